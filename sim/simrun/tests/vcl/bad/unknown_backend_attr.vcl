# error: 4:6: unknown backend attribute '.hots'; did you mean 'host'?
vcl 4.1;
backend web1 {
    .hots = "10.0.0.1";
}
