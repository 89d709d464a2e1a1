# error: 4:1: this VCL declares no backend (varnishd needs one, and vdisim models no 'backend NAME none')
vcl 4.1;
sub vcl_recv { return (pass); }
