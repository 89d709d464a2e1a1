# error: 3:8: import foo: no vmod 'foo' is loaded; load it with 'simrun --vmod PATH/libvmod_foo.so'
vcl 4.1;
import foo;
backend web1 { .host = "10.0.0.1"; }
