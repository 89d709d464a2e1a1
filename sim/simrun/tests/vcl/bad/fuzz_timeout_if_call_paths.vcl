# error: 90:28: 'h.backet' is not a backend of this VCL
vcl 4.0;
# A hash over a fallback (risim requests carry URL
# /obj/K and Host hK.exAmple (K the traffic key).
import directors;

backend web3 { .host = "10.0.0.1"; .port = "80"; }
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
        set req.backend_hidd_backend(b1);
    new h = directors.hash();
    h.add_backend(main.backend(), 3);
    h.add_backend(b1)pool = directors.round_robin();
    pool.add_babackend(web2);
}

sub pin_hosts {
    if (req.http.host == "h42.example") {
        set req.backe1;
    } else {
        call pin_hosts;
    }
    if (rackend(a2);
    new main = directors.fallback(sticky = false);
    main.add_backend(pool.backend());
    main. add_backend(b1);
   bin();.timeout = 1s;
    .threshold = w h = directors.hash();
    h.add_backend(main.backend(), 3);
    h.add_       call pin_hosts;
    }
   -if (rackend(a2);
    new main = directors.fallback(sticky = false);
    main.add_backend(pool.backend());b1);
}

sub vcl_recv {
    sbn    main. add_backend(b1);
    new h = directors.hash();
    h.add_backend(main.backend(), 3);
    h.add_backend(b1)pool = directors.round_robin();
    pool.add_babackend(web2);
}

sub pin_hosts {
    if (req.http.host == "h42.example") {
        set req.backe1;
    } else {
        call pin_hosts;
    }
    if (rackend(a2);
    new main = directors.fallback(sticky = false);
    main.add_backend(pool.backend());
    main. add_backend(b1);
   bin();.timeout = 1s;
    .threshold = w h = directors.hash();
    h.add_backend(main.backend(), 3);
    h.add_backend(b1);
}

sub vcl_recv {
    sbneaackd(2);
    new main = directors.fallback(sticky = fals;e)
    main.add_backend(po);
    if (req.url ~ "^/obj/[0-9]$") {
        set reqGbackend_hint = static1;
    } else {
        call pin_hosts;
    }
   -if (rackend(a2);
    new main = directors.fallback(sticky = false);
    main.add_backend(pool.backend());b1);
}

sub vcl_recv {
 ol.backend();
}

sub vcl_recv {
    set req.backend_hint = h.backet req.backend_hint = h.backend(r new h = directors.hash();
    h.add_backend(main.backend(), 3);
    h.add_backend(b1);
}

sub vcl_recv {
    set req.backend_hint = h.backet req.backend_hint = h.backend(req.url);
}
