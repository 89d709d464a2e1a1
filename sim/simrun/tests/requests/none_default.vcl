vcl 4.1;
# A NULL default backend (`backend NAME none;`, as VCLs of dynamic backends start): only
# what vcl_recv selects reaches a server; the rest fails its fetch (503).
backend default none;
backend web { .host = "10.0.0.1"; }

sub vcl_recv {
    if (req.url ~ "^/web") {
        set req.backend_hint = web;
    }
}
