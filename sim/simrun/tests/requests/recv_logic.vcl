vcl 4.1;
# vcl_recv as operators write it: returns before and after the selection, conditions
# with && || ! and parentheses on the URL, the method and headers, present or not, and
# vcl_backend_fetch's own selection and return. recv_logic.yaml sends each case.
import directors;

backend web1 { .host = "10.0.0.1"; }
backend web2 { .host = "10.0.0.2"; }
backend api { .host = "10.0.0.3"; }
backend beta { .host = "10.0.0.4"; }
backend media { .host = "10.0.0.5"; }

sub vcl_init {
    new pool = directors.round_robin();
    pool.add_backend(web1);
    pool.add_backend(web2);
}

sub vcl_recv {
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin" || req.http.X-Blocked) {
        return (synth(403, "Forbidden"));
    }
    if (req.url == "/fail") {
        return (fail);
    }
    if (req.url == "/odd") {
        return (synth(1404));
    }
    if (req.url == "/bad") {
        return (synth(42));
    }
    if (req.url ~ "^/api/" && (req.http.X-Beta == "1" || req.http.Cookie ~ "beta=1")) {
        set req.backend_hint = beta;
    } elsif (req.url ~ "^/api/") {
        set req.backend_hint = api;
    } else {
        set req.backend_hint = pool.backend();
    }
    if (req.http.Upgrade ~ "(?i)websocket") {
        return (pipe);
    }
    if (!req.http.X-Tenant) {
        return (hash);
    }
    set req.backend_hint = api;
}

sub vcl_backend_fetch {
    if (bereq.url ~ "^/gone") {
        return (error(410));
    }
    if (bereq.url ~ "\.(jpg|png)$") {
        set bereq.backend = media;
    }
}
