# error: 2:1: expected 'vcl 4.0;' or 'vcl 4.1;' first (varnishd requires it), got 'backend'
backend web1 { .host = "10.0.0.1"; }
