vcl 4.1;
# The same cache tier with c4 out for maintenance (vcl_shard_reload.yaml loads it
# while requests run through vcl_shard_reload.vcl): its backend is gone (VCC refuses
# a declared backend that nothing uses).
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

sub vcl_init {
    new ring = directors.shard();
    ring.add_backend(c1);
    ring.add_backend(c2);
    ring.add_backend(c3);
    ring.reconfigure();
}

sub vcl_recv {
    set req.backend_hint = ring.backend(by = URL);
}
