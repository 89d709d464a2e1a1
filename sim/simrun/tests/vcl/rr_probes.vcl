vcl 4.1;
# Two web servers behind a round robin, both probed. vdisim reads the backends, the
# probe, vcl_init and the backend selection in vcl_recv; it lists the rest as ignored.
import directors;
import std;

probe health {
    .url = "/health";
    .interval = 1s;
    .timeout = 500ms;
    .window = 5;
    .threshold = 3;
    .initial = 2;
}

backend web1 {
    .host = "10.0.0.1";
    .port = "80";
    .probe = health;
    .connect_timeout = 1s;
    .max_connections = 200;
}

backend web2 {
    .host = "10.0.0.2";
    .port = "80";
    .probe = health;
    .first_byte_timeout = 30s;
}

sub vcl_init {
    new rr = directors.round_robin();
    rr.add_backend(web1);
    rr.add_backend(web2);
}

sub vcl_recv {
    set req.backend_hint = rr.backend();
    unset req.http.Cookie;
    std.log("picked");
}

sub vcl_deliver {
    set resp.http.X-Served-By = "vdisim";
}
