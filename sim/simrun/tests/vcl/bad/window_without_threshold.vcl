# error: 5:6: Must specify .threshold with .window
vcl 4.1;
probe p {
    .url = "/";
    .window = 5;
}
backend web1 { .host = "10.0.0.1"; .probe = p; }
