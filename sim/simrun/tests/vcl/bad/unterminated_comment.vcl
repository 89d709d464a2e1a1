# error: 3:1: unterminated /* ... */ comment
vcl 4.1;
/* a comment that never ends
backend web1 { .host = "10.0.0.1"; }
