# error: 6:14: new: unknown vmod object 'directors.round_robbin'
vcl 4.1;
import directors;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    new rr = directors.round_robbin();
}
