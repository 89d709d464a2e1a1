# error: 6:5: 'rr' is not an object created so far in vcl_init
vcl 4.1;
import directors;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    rr.add_backend(web1);
    new rr = directors.round_robin();
}
