vcl 4.1;
# A multi-tenant front VCL: requests for objects 0-4 go on in the VCL the label `tenant`
# points at (return (vcl(LABEL)), docs/cli-rules.md L6), the rest to the front server.
# vdisim requests carry URL /obj/K (K the traffic key). The label must exist when this
# VCL is loaded (vcl.label first), so varnishd -C alone cannot compile it.

backend front { .host = "10.0.0.1"; .port = "80"; }

sub vcl_recv {
    if (req.url ~ "^/obj/[0-4]$") {
        return (vcl(tenant));
    }
    set req.backend_hint = front;
}
