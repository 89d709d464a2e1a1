# error: 3:16: syntax error: unexpected '@'
vcl 4.1;
backend web1 { @host = "10.0.0.1"; }
