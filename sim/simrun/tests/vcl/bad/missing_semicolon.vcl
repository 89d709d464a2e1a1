# error: 5:5: this statement has no ';' before the '}' at line 6
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv {
    unset req.http.Cookie
}
