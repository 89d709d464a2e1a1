# error: 7:5: rr.add_backnd(web1): round_robin has no method .add_backnd()
vcl 4.1;
import directors;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    new rr = directors.round_robin();
    rr.add_backnd(web1);
}
