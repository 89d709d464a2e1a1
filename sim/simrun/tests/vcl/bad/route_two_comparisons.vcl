# error: 5:25: '&&': one comparison per if is modelled around a backend selection; nest the ifs
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv {
    if (req.url ~ "^/a" && req.url ~ "b$") {
        set req.backend_hint = web1;
    }
}
