"""vcc2if_lib -- the parts of scripts/vcc2if: vcc (read a .vcc into a Module),
header (vcc_<module>_if.h and .c), descriptor (vmodtool's .c: function table,
JSON spec, Vmod_<module>_Data), rst (its docs) and glue (C++ for vdisim's runner).
Stdlib only; nothing here runs a compiler or touches files except through main().
"""
