# error: 9:28: 'rr' is an object; pick a backend with rr.backend()
vcl 4.1;
import directors;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    new rr = directors.round_robin();
}
sub vcl_recv {
    set req.backend_hint = rr;
}
