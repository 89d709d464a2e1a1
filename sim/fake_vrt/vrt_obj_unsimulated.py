#!/usr/bin/env python3
"""Writes the C++ definitions of the VCL variables vdisim does not simulate: every
VRT_r_/VRT_l_/VRT_u_ function include/vrt_obj.h declares that vrt_obj.cpp's object file
does not define (nm). Each fails the task, naming the variable, and returns the type's
zero (vrt_obj_unsimulated.hpp), so a vmod may call any of them.

  vrt_obj_unsimulated.py NM HEADER OBJECT... OUTPUT
"""
import re
import subprocess
import sys

# VCL's objects, the longer of two with a common prefix first: req_top.time is not
# req.top_time, obj_stale.age not obj.stale_age.
OBJECTS = ["req_top", "obj_stale", "client", "server", "remote", "local", "bereq", "beresp",
           "resp", "req", "obj", "sess", "storage", "param"]
DECL = re.compile(r"^(?P<ret>[A-Za-z_][\w ]*?\**)\s*\b(?P<fn>VRT_(?P<kind>[rlu])_(?P<name>\w+))\((?P<args>[^)]*)\);$")


def vcl_name(kind, name):
    for obj in OBJECTS:
        if name == obj:
            return obj
        if name.startswith(obj + "_"):
            var = obj + "." + name[len(obj) + 1:]
            # unset req.http: the whole header set, as VCL writes it
            return var + ".*" if kind == "u" and var.endswith(".http") else var
    sys.exit(f"vrt_obj_unsimulated.py: no VCL object for VRT_{kind}_{name}")


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    nm, header, objects, output = argv[1], argv[2], argv[3:-1], argv[-1]
    defined = set()
    for obj in objects:
        out = subprocess.run([nm, "--defined-only", "-g", obj], check=True, capture_output=True, text=True).stdout
        defined.update(line.split()[-1] for line in out.splitlines() if line.split())
    lines = ["// Generated from include/vrt_obj.h by sim/fake_vrt/vrt_obj_unsimulated.py: the VCL",
             "// variables vrt_obj.cpp does not simulate. Do not edit.",
             '#include "sim/fake_vrt/vrt_obj_unsimulated.hpp"',
             "",
             'extern "C" {']
    with open(header) as f:
        for decl in f:
            m = DECL.match(decl.strip())
            if not m or m["fn"] in defined:
                continue
            ret = m["ret"].strip()
            var = vcl_name(m["kind"], m["name"])
            body = (f'not_simulated_v(ctx, "{var}");' if ret == "void"
                    else f'return not_simulated<{ret}>(ctx, "{var}");')
            lines.append(f"{ret} {m['fn']}({m['args']}) {{ {body} }}")
    lines.append('}  // extern "C"')
    with open(output, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv)
