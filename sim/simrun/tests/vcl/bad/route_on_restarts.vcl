# error: 5:28: a condition on 'req.restarts' is not modelled around a backend selection (requests carry req.url, req.method, req.proto and req.http.*: comparisons with ~ !~ == != and a string, a header alone, std.healthy(...), ! && || and parentheses)
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv {
    if (req.url ~ "^/a" || req.restarts > 0) {
        set req.backend_hint = web1;
    }
}
