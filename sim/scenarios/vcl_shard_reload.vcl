vcl 4.1;
# A cache tier sharded by URL, as an operator writes it: four probed nodes behind
# vmod_directors' shard. vcl_shard_reload.yaml reloads to vcl_shard_reload_v2.vcl, which
# takes c4 out for maintenance, while requests are in flight.
import directors;

probe node_health {
    .url = "/health";
    .interval = 1s;
    .timeout = 300ms;
    .window = 4;
    .threshold = 2;
}

backend c1 { .host = "10.3.0.1"; .port = "6081"; .probe = node_health; }
backend c2 { .host = "10.3.0.2"; .port = "6081"; .probe = node_health; }
backend c3 { .host = "10.3.0.3"; .port = "6081"; .probe = node_health; }
backend c4 { .host = "10.3.0.4"; .port = "6081"; .probe = node_health; }

sub vcl_init {
    new ring = directors.shard();
    ring.add_backend(c1);
    ring.add_backend(c2);
    ring.add_backend(c3);
    ring.add_backend(c4);
    ring.reconfigure();
}

sub vcl_recv {
    set req.backend_hint = ring.backend(by = URL);
}
