# error: 5:9: a condition on 'req.method' is not modelled around a backend selection
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv {
    if (req.method == "POST") {
        set req.backend_hint = web1;
    }
}
