# error: 5:28: 'web3' is not a backend of this VCL
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv {
    set req.backend_hint = web3;
}
