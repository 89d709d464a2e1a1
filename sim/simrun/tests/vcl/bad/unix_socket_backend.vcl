# error: 3:17: .path (a Unix socket backend) is not modelled by vdisim: use .host
vcl 4.1;
backend web1 { .path = "/run/web.sock"; }
