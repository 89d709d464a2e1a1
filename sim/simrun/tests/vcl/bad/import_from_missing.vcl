# error: 3:17: import foo: no such file
vcl 4.1;
import foo from "nope/libvmod_foo.so";
backend web1 { .host = "10.0.0.1"; }
