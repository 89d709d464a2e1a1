# error: 4:1: include is not supported: vdisim reads one VCL file; put the included text into it
vcl 4.1;
backend web1 { .host = "10.0.0.1"; }
include "other.vcl";
