vcl 4.1;
# Two-tier fallback, as an operator writes it: a primary pool (round robin over three
# probed servers) and a spare pool in another zone behind a fallback. vdisim reads the
# backends, the probe, vcl_init and the selection in vcl_recv; simrun lists the rest as
# ignored. vcl_two_tier.yaml runs it through an outage and a reload.
import directors;

probe web_health {
    .request =
        "HEAD /health HTTP/1.1"
        "Host: www.example.com"
        "Connection: close";
    .expected_response = 200;
    .interval = 1s;
    .timeout = 500ms;
    .window = 5;
    .threshold = 3;
}

backend a1 { .host = "10.1.0.1"; .port = "8080"; .probe = web_health; .connect_timeout = 0.5s; }
backend a2 { .host = "10.1.0.2"; .port = "8080"; .probe = web_health; .connect_timeout = 0.5s; }
backend a3 { .host = "10.1.0.3"; .port = "8080"; .probe = web_health; .connect_timeout = 0.5s; }
backend b1 { .host = "10.2.0.1"; .port = "8080"; .probe = web_health; .first_byte_timeout = 10s; }
backend b2 { .host = "10.2.0.2"; .port = "8080"; .probe = web_health; .first_byte_timeout = 10s; }

sub vcl_init {
    new primary = directors.round_robin();
    primary.add_backend(a1);
    primary.add_backend(a2);
    primary.add_backend(a3);

    new spare = directors.round_robin();
    spare.add_backend(b1);
    spare.add_backend(b2);

    new main = directors.fallback();
    main.add_backend(primary.backend());
    main.add_backend(spare.backend());
}

sub vcl_recv {
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    set req.backend_hint = main.backend();
}

sub vcl_backend_response {
    set beresp.ttl = 1m;
}
