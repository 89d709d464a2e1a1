vcl 4.1;
# Switches every request to the label `prod` (the L2/L6 bad scenarios load it).
backend web1 { .host = "10.0.0.1"; .port = "80"; }

sub vcl_recv {
    return (vcl(prod));
}
