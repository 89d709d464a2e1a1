vcl 4.1;
# The boot VCL of vmods_two.yaml as a VCL file: two vmods imported from their .so (as
# varnishd's `import NAME from "PATH"`) beside the built-in directors.
import directors;
import ringlist from "libvmod_ringlist.so";
import saintish from "libvmod_saintish.so";

probe fast {
    .interval = 500ms;
    .window = 4;
    .threshold = 2;
}

backend web1 { .host = "10.0.0.1"; .port = "80"; .probe = fast; }
backend web2 { .host = "10.0.0.2"; .port = "80"; }
backend web3 { .host = "10.0.0.3"; .port = "80"; }

sub vcl_init {
    new pool = directors.round_robin();
    pool.add_backend(web2);
    pool.add_backend(web3);
    new s1 = saintish.wrapper(web1, 5);
    new ring = ringlist.ring(points = 8);
    ring.add_backend(s1.backend(), 2.0);
    ring.add_backend(pool.backend());
    ring.add_backend(web3, 0.5);
}

sub vcl_recv {
    set req.backend_hint = ring.backend();
}
