# error: 3:9: backend web1: .host is required
vcl 4.1;
backend web1 { .port = "80"; }
