# error: 7:20: rr.add_backend("web1"): argument 1 (BACKEND)
vcl 4.1;
import directors;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    new rr = directors.round_robin();
    rr.add_backend("web1");
}
