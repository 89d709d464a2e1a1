# error: 4:13: unterminated string (a "..." string ends on its line) (it starts here)
vcl 4.1;
backend web1 {
    .host = "10.0.0.1;
}
