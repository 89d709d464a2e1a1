# error: 3:45: no probe named 'nope' is declared
vcl 4.1;
backend web1 { .host = "10.0.0.1"; .probe = nope; }
