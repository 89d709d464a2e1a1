# error: 3:24: backend web1: bad address: port 'http' is not a number
vcl 4.1;
backend web1 { .host = "10.0.0.1"; .port = "http"; }
