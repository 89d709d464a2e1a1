# error: 4:1: this VCL declares no backend (varnishd needs one; 'backend NAME none;' declares one that is NULL)
vcl 4.1;
sub vcl_recv { return (pass); }
