# error: 7:17: return (vcl(tenant)): vcl 'boot' is loaded at start, before any vcl.label; load a VCL that switches to a label in the timeline, after the label
vcl 4.1;
# L6: the first VCL is loaded before any label exists, so it cannot switch to one.
backend web1 { .host = "10.0.0.1"; .port = "80"; }

sub vcl_recv {
    return (vcl(tenant));
}
