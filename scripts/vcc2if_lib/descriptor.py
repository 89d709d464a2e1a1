"""descriptor.py -- the .c that Varnish 8.0's vmodtool makes from a .vcc: ENUM
strings, the function table (struct Vmod_<sympfx><module>_Func, one pointer per
event, function, constructor, destructor and method in file order, then one per
ENUM value, sorted), the JSON spec VCC reads (between "VMOD_JSON_SPEC\\x02" and
"\\x03") and the Vmod_<module>_Data descriptor varnishd -- and vdisim's loader --
find with dlsym. Used by scripts/vmodtool.py and scripts/vcc2if --descriptor.
"""

import hashlib
import json
import os
import subprocess

from .header import Emitter, td_name

JSON_MAGIC = "VMOD_JSON_SPEC\\x02"   # as C text: VCC looks for it, then the JSON
JSON_END = "\\n\\x03"
# Stands in the $VMOD entry for what only the compiler knows (the ABI string and
# the VRT version); replaced by C string pasting when the JSON becomes C.
_ABI_HOLE = "@vdisim-abi-and-vrt-version@"


def file_id(mod):
    """sha256 of the stanzas, each as '$' + its tokens joined by blanks: the
    same id VCC compiles into the VCL, so varnishd can tell a rebuilt vmod."""
    h = hashlib.sha256()
    for text in mod.stanza_texts:
        h.update((text + "\n").encode("utf-8"))
    return h.hexdigest()


def func_struct_name(mod):
    return "Vmod_%s%s_Func" % (mod.sympfx, mod.name)


def slots(mod):
    """The members of the function table: (member, pointee type, value)."""
    out = []
    for kind, item in mod.contents:
        if kind == "event":
            out.append(("_event", "vmod_event_f", mod.sympfx + item))
        elif kind == "func":
            out.append(_slot(mod, item.cname()))
        elif kind == "obj":
            out.append(_slot(mod, item.proto.cname() + "__init"))
            out.append(_slot(mod, item.proto.cname() + "__fini"))
            out += [_slot(mod, m.cname()) for m in item.methods]
    for e in mod.enum_values():
        out.append(("enum_" + e, "VCL_ENUM", "&VENUM(%s)" % e))
    return out


def _slot(mod, cname):
    return ("f_" + cname, td_name(mod, cname), mod.sympfx + cname)


def _member(ctype, name):
    s = "\t" + ctype
    s += "\n\t\t\t\t\t" if len(s.expandtabs()) >= 40 else "\t"
    while len(s.split("\n")[-1].expandtabs()) < 40:
        s += "\t"
    return s + name


def func_struct(mod):
    lines = ["struct %s {" % func_struct_name(mod)]
    lines += [_member(t, "*%s;" % m) for m, t, _ in slots(mod)]
    return lines + ["};"]


def typedefs(mod, argstructs):
    """Objects' then functions' function types, as the .c (argstructs False:
    the .h has the struct VARGS blocks) and the $CPROTO (True) declare them."""
    em = Emitter(mod)
    for kind, item in mod.contents:
        if kind == "obj":
            em.obj(item, typedef=True, argstructs=argstructs)
    em.out.append("/* Functions */")
    for kind, item in mod.contents:
        if kind == "func":
            em.proto(item, ["VRT_CTX"], typedef=True, argstructs=argstructs)
    return em.out


def cproto(mod):
    """What VCC pastes into the C of a VCL importing the vmod: the macros,
    object structs, argument structs, function types and the table."""
    em = Emitter(mod)
    em.macros()
    lines = em.out + typedefs(mod, True) + [""] + func_struct(mod)
    lines += ["#undef VPFX", "#undef VARGS", "#undef VENUM"]
    csn = func_struct_name(mod)
    # One string per line, as the spec has it (each of several lines of C).
    flat = "\n".join(lines).split("\n")
    return flat + ["static struct %s %s;" % (csn, csn)]


def _arg_json(a):
    v = [a.vt, a.nm, a.nm2, a.defval, a.spec]
    if a.opt:
        v.append(True)
    while v[-1] is None:
        v.pop()
    return v


def _proto_json(mod, proto, cname, args):
    csn = func_struct_name(mod)
    if proto.argstruct and args:
        vargs = "struct arg_%s%s_%s" % (mod.sympfx, mod.name, cname)
    else:
        vargs = ""
    return [[proto.ret.vt], "%s.f_%s" % (csn, cname), vargs] + \
        [_arg_json(a) for a in args]


def spec(mod, fid):
    """The JSON spec as Python lists (the ABI hole still in $VMOD)."""
    csn = func_struct_name(mod)
    top = [["$VMOD", "2.0", mod.name, csn, fid, _ABI_HOLE],
           ["$CPROTO"] + cproto(mod)]
    for kind, item in mod.contents:
        if kind == "event":
            top.append(["$EVENT", "%s._event" % csn])
        elif kind == "func":
            top.append(["$FUNC", item.name,
                        _proto_json(mod, item, item.cname(), item.args)])
            if item.restrict is not None:
                top.append(["$RESTRICT", list(item.restrict)])
        elif kind == "obj":
            p = item.proto
            o = ["$OBJ", p.name, {"NULL_OK": item.null_ok},
                 "struct %s%s_%s" % (mod.sympfx, mod.name, p.name),
                 ["$INIT", _proto_json(mod, p, p.cname() + "__init", p.args)],
                 ["$FINI", _proto_json(mod, p, p.cname() + "__fini", [])]]
            for m in item.methods:
                o.append(["$METHOD", m.meth,
                          _proto_json(mod, m, m.cname(), m.args)])
                if m.restrict is not None:
                    o.append(["$RESTRICT", list(m.restrict)])
            top.append(o)
        elif kind == "alias":
            top.append(["$ALIAS", item.alias, item.target])
    return top


def _c_string(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def json_c_lines(mod, fid):
    """static const char Vmod_Json[]: the spec, one JSON line per C line."""
    major, minor = ("0", "0") if mod.abi == "strict" else \
        ("VRT_MAJOR_VERSION", "VRT_MINOR_VERSION")
    out = [
        "/* A macro argument as a JSON string: 22U -> \"\\\"22U\\\"\" */",
        "#define VDISIM_JSTR_(x) \"\\\"\" #x \"\\\"\"",
        "#define VDISIM_JSTR(x) VDISIM_JSTR_(x)",
        "",
        "static const char Vmod_Json[] = {",
        "\t\"%s\"" % JSON_MAGIC,
    ]
    text = json.dumps(spec(mod, fid), indent=2, separators=(",", ": "))
    hole = json.dumps(_ABI_HOLE)
    for line in text.split("\n"):
        if line.strip() == hole:
            pad = line[:len(line) - len(line.lstrip())]
            out.append('\t"%s\\"" VMOD_ABI_Version "\\", "' % pad)
            out.append('\t    VDISIM_JSTR(%s) ", " VDISIM_JSTR(%s) "\\n"'
                       % (major, minor))
        else:
            out.append('\t"%s\\n"' % _c_string(line))
    out += ["\t\"%s\"" % JSON_END, "};", "#undef VDISIM_JSTR", "#undef VDISIM_JSTR_"]
    return out


def package_version(mod, srcdir):
    """$Version, else PACKAGE_STRING from the first Makefile found (the vcc's
    directory, then the working directory), else NOVERSION."""
    if mod.version is not None:
        return mod.version
    for d in (srcdir, "."):
        mk = os.path.join(d, "Makefile")
        if not os.path.exists(mk):
            continue
        with open(mk, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("PACKAGE_STRING"):
                    return line.split("=", 1)[1].strip()
        break
    return "NOVERSION"


def vcs_version(srcdir, record=True):
    """The git commit of the vcc's checkout; without git, the one a dist
    archive recorded in vmod_vcs_version.txt; else NOGIT. With git, records
    it in ./vmod_vcs_version.txt (a vmod's Makefile may ship that file)."""
    try:
        rev = subprocess.run(["git", "-C", srcdir or ".", "rev-parse", "HEAD"],
                             capture_output=True, text=True, check=False)
        head = rev.stdout.strip() if rev.returncode == 0 else ""
    except OSError:
        head = ""
    if head:
        if record:
            with open("vmod_vcs_version.txt", "w") as f:
                f.write(head)
        return head
    for d in (".", srcdir):
        p = os.path.join(d or ".", "vmod_vcs_version.txt")
        if os.path.exists(p):
            with open(p) as f:
                return f.read()
    return "NOGIT"


def c_text(mod, hname, vcc_name, version, vcs, config_h=True):
    """The whole .c. config_h: include config.h first (an autotools build has
    one; vmodtool's .c always includes it)."""
    csn = func_struct_name(mod)
    fid = file_id(mod)
    o = [
        "/*",
        " * Generated by vdisim's vmodtool from %s: ENUM strings, function" % vcc_name,
        " * table, JSON spec and the Vmod_%s_Data descriptor. Do not edit." % mod.name,
        " */",
        "",
    ]
    if config_h:
        o.append('#include "config.h"')
    o += ['#include "vdef.h"', '#include "vrt.h"', '#include "%s"' % hname,
          '#include "vmod_abi.h"', ""]
    o += ['VCL_ENUM VENUM(%s) = "%s";' % (e, e) for e in mod.enum_values()]
    o.append("")
    o += typedefs(mod, False)
    o.append("")
    o += func_struct(mod)
    o += ["", "static const struct %s %s = {" % (csn, csn)]
    o += ["\t.%s = %s," % (m, v) for m, _, v in slots(mod)]
    o += ["};", ""]
    o += json_c_lines(mod, fid)
    o += [
        "",
        "static const char vmod_vcs[] v_used_(section(\".vmod_vcs\")) = %s;"
        % json.dumps(vcs),
        "",
        "extern const struct vmod_data Vmod_%s_Data;" % mod.name,
        "",
        "const struct vmod_data Vmod_%s_Data = {" % mod.name,
        "\t.vrt_major =\t%s," % ("0" if mod.abi == "strict" else "VRT_MAJOR_VERSION"),
        "\t.vrt_minor =\t%s," % ("0" if mod.abi == "strict" else "VRT_MINOR_VERSION"),
        "\t.file_id =\t\"%s\"," % fid,
        "\t.name =\t\t\"%s\"," % mod.name,
        "\t.func_name =\t\"%s\"," % csn,
        "\t.func =\t\t&%s," % csn,
        "\t.func_len =\tsizeof(%s)," % csn,
        "\t.json =\t\tVmod_Json,",
        "\t.abi =\t\tVMOD_ABI_Version,",
        "\t.version =\t%s," % json.dumps(version),
        "\t.vcs =\t\tvmod_vcs,",
        "};",
    ]
    return "\n".join(o) + "\n"
