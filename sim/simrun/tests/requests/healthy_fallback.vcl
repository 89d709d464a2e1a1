vcl 4.1;
# Falling back by hand when the pool is sick, as operators write it without a fallback
# director: std.healthy() of the hint so far, then of a backend.
import std;
import directors;

backend p1 { .host = "10.0.0.1"; }
backend p2 { .host = "10.0.0.2"; }
backend spare { .host = "10.0.0.3"; }

sub vcl_init {
    new pool = directors.round_robin();
    pool.add_backend(p1);
    pool.add_backend(p2);
}

sub vcl_recv {
    set req.backend_hint = pool.backend();
    if (!std.healthy(req.backend_hint)) {
        if (std.healthy(spare)) {
            set req.backend_hint = spare;
        } else {
            return (synth(503, "No healthy backend"));
        }
    }
}
