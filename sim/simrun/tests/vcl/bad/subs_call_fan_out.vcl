# error: 7:36: subs read where they are called add up to more than 1048576 tokens
vcl 4.1;
# Found by scripts/fuzz (VCL reader, 2026-12-06): subs calling each other several times
# made the reader follow every path, 4^15 here, from an if (hang) and from a call.
backend web1 { .host = "10.0.0.1"; }
sub s16 { set req.http.x-seen = "1"; }
sub s15 { call s16; call s16; call s16; call s16; }
sub s14 { call s15; call s15; call s15; call s15; }
sub s13 { call s14; call s14; call s14; call s14; }
sub s12 { call s13; call s13; call s13; call s13; }
sub s11 { call s12; call s12; call s12; call s12; }
sub s10 { call s11; call s11; call s11; call s11; }
sub s9 { call s10; call s10; call s10; call s10; }
sub s8 { call s9; call s9; call s9; call s9; }
sub s7 { call s8; call s8; call s8; call s8; }
sub s6 { call s7; call s7; call s7; call s7; }
sub s5 { call s6; call s6; call s6; call s6; }
sub s4 { call s5; call s5; call s5; call s5; }
sub s3 { call s4; call s4; call s4; call s4; }
sub s2 { call s3; call s3; call s3; call s3; }
sub s1 { call s2; call s2; call s2; call s2; }
sub vcl_recv {
    if (req.url ~ "^/a") { call s1; }
    call s1;
    set req.backend_hint = web1;
}
