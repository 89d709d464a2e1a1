# error: 5:19: bad regex "^/(a": missing closing parenthesis
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv {
    if (req.url ~ "^/(a") {
        set req.backend_hint = web1;
    }
}
