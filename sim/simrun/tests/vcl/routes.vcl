vcl 4.1;
# Routing in vcl_recv: a pool by default, small objects to a static server, one host
# pinned (in a sub of its own, read where it is called). vdisim requests carry URL
# /obj/K and Host hK.example (K the traffic key).
import directors;

backend web1 { .host = "10.0.0.1"; .port = "80"; }
backend web2 { .host = "10.0.0.2"; .port = "80"; }
backend static1 { .host = "10.0.0.3"; .port = "80"; }
backend pinned { .host = "10.0.0.4"; .port = "80"; }

sub vcl_init {
    new pool = directors.round_robin();
    pool.add_backend(web1);
    pool.add_backend(web2);
}

sub pin_hosts {
    if (req.http.host == "h42.example") {
        set req.backend_hint = pinned;
    }
}

sub vcl_recv {
    set req.backend_hint = pool.backend();
    if (req.url ~ "^/obj/[0-9]$") {
        set req.backend_hint = static1;
    } else {
        call pin_hosts;
    }
    if (req.url !~ "^/obj/") {
        return (synth(404));
    }
}
