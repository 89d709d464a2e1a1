vcl 4.1;
# Routing on a header vcl_recv sets itself (as devicedetect.vcl's X-UA-Device): the
# condition after it and the hash director's key read the value it set.
import directors;

backend mobile { .host = "10.0.0.1"; }
backend d1 { .host = "10.0.0.2"; }
backend d2 { .host = "10.0.0.3"; }

sub vcl_init {
    new h = directors.hash();
    h.add_backend(d1, 1);
    h.add_backend(d2, 1);
}

sub detect {
    set req.http.X-Device = "pc";
    if (req.http.User-Agent ~ "(?i)iphone|android") {
        set req.http.X-Device = "mobile-" + req.http.User-Agent;
    }
}

sub vcl_recv {
    call detect;
    if (req.http.X-Device ~ "^mobile") {
        set req.backend_hint = mobile;
    } else {
        set req.backend_hint = h.backend(req.http.X-Device);
    }
    unset req.http.X-Device;
}
