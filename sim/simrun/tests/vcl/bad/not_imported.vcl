# error: 5:14: vmod 'directors' is not imported; add 'import directors;' at the top
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_init {
    new rr = directors.round_robin();
}
