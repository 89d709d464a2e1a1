# error: 7:20: rr.backend(): director 'rr' is created later in vcl 'boot'
vcl 4.1;
import directors;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    new fb = directors.fallback();
    fb.add_backend(rr.backend());
    new rr = directors.round_robin();
    rr.add_backend(web1);
}
