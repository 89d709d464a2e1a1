# error: 4:9: include: no file 'other.vcl' in vdisim's vcl_path
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
include "other.vcl";
