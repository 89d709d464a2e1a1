# error: 4:14: this '{' has no matching '}'
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv {
    set req.backend_hint = web1;
