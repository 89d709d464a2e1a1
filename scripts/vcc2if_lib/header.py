"""header.py -- the C interface of a parsed vmod: <prefix>.h with the
declarations vmodtool's header has (VPFX/VARGS/VENUM, ENUM values, event,
object structs, struct VARGS blocks, prototypes) and <prefix>.c with the ENUM
strings. Used by scripts/vcc2if; descriptor.py writes the .c vmodtool makes
(function table, JSON spec, Vmod_<name>_Data) with the Emitter's typedefs.
"""

WRAP = 64          # prototypes are wrapped at this width, as vmodtool does
FIELD_COL = 32     # struct VARGS member names start at this column


def lwrap(s, width=WRAP):
    """Break a prototype after a ',' (or '(') so lines stay under width."""
    out = []
    indent = ""
    while len(s) > width:
        cut = s[:width].rfind(",")
        if cut < 0:
            cut = s[:width].rfind("(")
        if cut < 0:
            break
        out.append(indent + s[:cut + 1])
        s = s[cut + 1:].lstrip()
        indent = "    "
    if s:
        out.append(indent + s)
    return out


def field(ctype, name):
    s = "\t" + ctype + "\t"
    while len(s.expandtabs()) < FIELD_COL:
        s += "\t"
    return s + name + ";"


def struct_name(mod, obj):
    return "struct VPFX(%s_%s)" % (mod.name, obj.name)


def td_name(mod, vname):
    """The function type a Vmod_<sympfx><module>_Func member points to."""
    return "td_%s%s_%s" % (mod.sympfx, mod.name, vname)


def c_names(mod, proto, part=""):
    """(C function name, VARGS name) of a proto; part is "__init"/"__fini"
    for an object's constructor and destructor."""
    base = proto.cname() + part
    return mod.sympfx + base, base


class Emitter:
    def __init__(self, mod):
        self.mod = mod
        self.out = []

    def blank(self):
        if self.out and self.out[-1] != "":
            self.out.append("")

    def argstruct(self, vname, args):
        self.blank()
        self.out.append("struct VARGS(%s) {" % vname)
        for a in args:
            if a.opt:
                self.out.append(field("char", "valid_" + a.nm2))
        for a in args:
            self.out.append(field(a.ct, a.nm2))
        self.out.append("};")

    def proto(self, proto, lead, part="", typedef=False, argstructs=True):
        """One prototype; lead: the C parameters before the VCL arguments.
        typedef: declare the function type td_<sympfx><module>_<name>
        instead (what the function table of the .c is made of); argstructs:
        write the struct VARGS block first (the .c has it from the .h)."""
        cname, vname = c_names(self.mod, proto, part)
        if typedef:
            cname = "typedef %s %s" % (proto.ret.ct,
                                       td_name(self.mod, vname))
        else:
            cname = "%s %s" % (proto.ret.ct, cname)
        params = list(lead)
        args = [] if part == "__fini" else proto.args
        if part != "__fini" and proto.argstruct:
            if argstructs:
                self.argstruct(vname, args)
            params.append("struct VARGS(%s)*" % vname)
        else:
            params += [a.ct for a in args]
        self.out += lwrap("%s(%s);" % (cname, ", ".join(params)))

    def obj(self, obj, **kw):
        st = struct_name(self.mod, obj)
        self.out.append(st + ";")
        self.proto(obj.proto, ["VRT_CTX", st + " **", "const char *"],
                   "__init", **kw)
        self.proto(obj.proto, [st + " **"], "__fini", **kw)
        for m in obj.methods:
            self.proto(m, ["VRT_CTX", st + " *"], **kw)
        self.blank()

    def macros(self):
        m = self.mod
        self.out += [
            "#define VPFX(a) %s##a" % m.sympfx,
            "#define VARGS(a) arg_%s%s_##a" % (m.sympfx, m.name),
            "#define VENUM(a) enum_%s%s_##a" % (m.sympfx, m.name),
            "",
        ]

    def header(self, vcc_name, regen):
        m = self.mod
        o = self.out
        o += [
            "/*",
            " * NB:  This file is machine generated, DO NOT EDIT!",
            " *",
            " * Edit %s and run %s instead" % (vcc_name, regen),
            " */",
            "",
            "#ifndef VDEF_H_INCLUDED",
            "#  error \"Include vdef.h first\"",
            "#endif",
            "#ifndef VRT_H_INCLUDED",
            "#  error \"Include vrt.h first\"",
            "#endif",
            "",
        ]
        self.macros()
        enums = m.enum_values()
        if enums:
            o += ["extern VCL_ENUM VENUM(%s);" % e for e in enums]
            o.append("")
        for kind, item in m.contents:
            if kind == "event":
                o.append("vmod_event_f VPFX(%s);" % item)
            elif kind == "func":
                self.proto(item, ["VRT_CTX"])
            elif kind == "obj":
                self.obj(item)
        while o and o[-1] == "":
            o.pop()
        return "\n".join(o) + "\n"


def header_text(mod, vcc_name, regen="scripts/vcc2if"):
    """regen: what to run after editing the .vcc (said in the header)."""
    return Emitter(mod).header(vcc_name, regen)


def c_text(mod, hname):
    lines = [
        "/* Generated by scripts/vcc2if: the ENUM strings of vmod %s. */"
        % mod.name,
        "",
        "#include \"cache/cache.h\"",
        "",
        "#include \"%s\"" % hname,
        "",
    ]
    lines += ["VCL_ENUM VENUM(%s) = \"%s\";" % (e, e)
              for e in mod.enum_values()]
    return "\n".join(lines) + "\n"
