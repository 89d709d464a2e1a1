vcl 4.0;
# A hash over a fallback (round robin pool, then a spare) and the spare itself;
# calls nested as arguments and a pick with the request's URL. nested_hash_yaml.yaml is
# the same VCL in YAML: both must give the same digests.
import directors;

probe ping {
    .url = "/ping";
    .interval = 2s;
    .timeout = 1s;
    .threshold = 2;
}

backend a1 { .host = "10.1.0.1"; .probe = ping; }
backend a2 { .host = "10.1.0.2"; .probe = ping; }
backend b1 { .host = "10.2.0.1:8080"; }

sub vcl_init {
    new pool = directors.round_robin();
    pool.add_backend(a1);
    pool.add_backend(a2);
    new main = directors.fallback(sticky = false);
    main.add_backend(pool.backend());
    main.add_backend(b1);
    new h = directors.hash();
    h.add_backend(main.backend(), 3);
    h.add_backend(b1);
}

sub vcl_recv {
    set req.backend_hint = h.backend(req.url);
}
