# error: 4:9: 'web1' is already declared (line 3)
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
backend web1 { .host = "10.0.0.2"; }
