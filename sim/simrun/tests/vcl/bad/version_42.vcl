# error: 2:5: VCL version 4.2 is not supported (4.0 or 4.1)
vcl 4.2;
backend web1 { .host = "10.0.0.1"; }
