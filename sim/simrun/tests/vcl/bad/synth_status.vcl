# error: 4:24: return (synth): a status of 100 to 999, as a number
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
sub vcl_recv { return (synth(1000)); }
