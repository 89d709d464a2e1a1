# error: 7:20: only OBJ.backend() of an object created before is modelled as an argument, got 'rr.backend(...)'
vcl 4.1;
import directors;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    new fb = directors.fallback();
    fb.add_backend(rr.backend());
    new rr = directors.round_robin();
    rr.add_backend(web1);
}
