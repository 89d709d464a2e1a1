"""vcc.py -- what a VMOD interface file (.vcc) holds (Module, Obj, Proto, Arg,
Alias) and how it splits into stanzas and tokens. parse.py fills a Module;
header.py and glue.py write from it and must not need the .vcc text again.

Grammar, as vmodtool reads it: a stanza starts with a line beginning with `$`
and goes on over the lines that start with a blank or a tab; any other line
ends it, and the text up to the next `$` line is documentation. A stanza is
split into tokens at blanks and at []{}(),= ; a quote ("...", '...') is one
token, without escapes.
"""

import re

# VCL type -> C type (the C types are vrt.h's).
CTYPES = {
    "ACL": "VCL_ACL", "BACKEND": "VCL_BACKEND", "BLOB": "VCL_BLOB",
    "BODY": "VCL_BODY", "BOOL": "VCL_BOOL", "BYTES": "VCL_BYTES",
    "DURATION": "VCL_DURATION", "ENUM": "VCL_ENUM", "HEADER": "VCL_HEADER",
    "HTTP": "VCL_HTTP", "INT": "VCL_INT", "IP": "VCL_IP", "PROBE": "VCL_PROBE",
    "REAL": "VCL_REAL", "REGEX": "VCL_REGEX", "STEVEDORE": "VCL_STEVEDORE",
    "STRANDS": "VCL_STRANDS", "STRING": "VCL_STRING", "SUB": "VCL_SUB",
    "TIME": "VCL_TIME", "VOID": "VCL_VOID",
    "PRIV_CALL": "struct vmod_priv *", "PRIV_TASK": "struct vmod_priv *",
    "PRIV_TOP": "struct vmod_priv *", "PRIV_VCL": "struct vmod_priv *",
}
# What VCC takes after $Restrict (it refuses to import a vmod naming another).
RESTRICT_SCOPES = {
    "client", "backend", "housekeeping", "vcl_recv", "vcl_pipe", "vcl_pass",
    "vcl_hash", "vcl_purge", "vcl_miss", "vcl_hit", "vcl_deliver",
    "vcl_synth", "vcl_backend_fetch", "vcl_backend_response",
    "vcl_backend_error", "vcl_init", "vcl_fini",
}
C_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A function may be written ".name" (C name "_name"); methods must be.
VCL_NAME = re.compile(r"^[A-Za-z.][A-Za-z0-9_]*$")
ALIAS_NAME = re.compile(r"^\.?[A-Za-z_][A-Za-z0-9_]*$")
METHOD_REF = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
SEPARATORS = set("[](){},=")


class VccError(Exception):
    def __init__(self, line, msg):
        super().__init__(msg)
        self.line = line
        self.msg = msg


def is_quoted(text):
    return len(text) > 2 and text[0] == text[-1] and text[0] in "\"'"


# ------------------------------------------------------------------ model

class Arg:
    """A VCL type with its name, C name (nm2: 'arg<N>' when unnamed, or the
    part after ':' in 'name:cname'), default, ENUM values and [optional]."""

    def __init__(self, vt, line):
        self.vt = vt
        self.line = line
        self.nm = None
        self.nm2 = None
        self.defval = None    # as written; an ENUM default without its quotes
        self.spec = None      # ENUM values, when given
        self.opt = False

    @property
    def ct(self):
        return CTYPES[self.vt]


class Proto:
    """A $Function, an $Object's constructor, or a $Method. name is the VCL
    name ("f", "obj", "obj.meth"); cname() the C name after the prefix."""

    def __init__(self, kind, bname, name, ret, args, line):
        self.kind = kind          # "function", "object", "method"
        self.bname = bname        # as written (".meth" for a method)
        self.name = name
        self.ret = ret            # Arg holding the return type
        self.args = args
        self.argstruct = any(a.opt for a in args)
        self.restrict = None      # [scope, ...] from $Restrict
        self.line = line

    def cname(self):
        return self.name.replace(".", "_")

    @property
    def meth(self):
        """a method's name without its object and dot"""
        return self.bname[1:] if self.kind == "method" else self.bname


class Obj:
    def __init__(self, proto, null_ok):
        self.proto = proto
        self.null_ok = null_ok
        self.methods = []

    @property
    def name(self):
        return self.proto.name


class Alias:
    """$Alias: alias is "name" or "obj.name"; target the same for the
    function, object or method it stands for."""

    def __init__(self, alias, target, obj, line):
        self.alias = alias
        self.target = target
        self.obj = obj            # the Obj for a method alias, else None
        self.line = line


class Module:
    def __init__(self):
        self.name = None
        self.mansection = None
        self.description = None
        self.prefix = None        # $Prefix; symbols are <prefix>_... ("vmod")
        self.abi = "strict"       # or "vrt"
        self.synopsis = "auto"
        self.version = None       # $Version text
        # In file order: ("event", name) ("func", Proto) ("obj", Obj)
        # ("alias", Alias) and markers ("module"|"abi"|"prefix"|"synopsis", None).
        self.contents = []
        self.enums = {}           # every ENUM value -> True
        self.names = {}           # functions and objects -> line
        self.warnings = []        # (line, message): accepted, but VCC would balk
        # Each stanza as "$Kw tok tok ...": what vmodtool hashes into the
        # file_id of Vmod_<name>_Data (not written yet).
        self.stanza_texts = []

    @property
    def sympfx(self):
        return (self.prefix or "vmod") + "_"

    def items(self, kind):
        return [item for k, item in self.contents if k == kind]

    def enum_values(self):
        return sorted(self.enums)


# ------------------------------------------------------------------ lexing

class Tok:
    def __init__(self, line, text):
        self.line = line
        self.text = text

    def __repr__(self):
        return "%d:%r" % (self.line, self.text)


TOKEN = re.compile(r"""\s+|"[^"]*"?|'[^']*'?|[\[\](){},=]|[^\s\[\](){},="']+""")


def lex(text, line):
    toks = []
    for m in TOKEN.finditer(text):
        s = m.group(0)
        if not s.isspace():
            toks.append(Tok(line, s))
        line += s.count("\n")
    return toks


def stanzas(text):
    """Yield (line, tokens) per $ stanza, the '$' dropped."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$"):
            i += 1
            continue
        start = i
        i += 1
        while i < len(lines) and lines[i][:1] in (" ", "\t"):
            i += 1
        yield start + 1, lex("\n".join(lines[start:i])[1:], start + 1)


class Stream:
    def __init__(self, toks, line):
        self.toks = toks
        self.i = 0
        self.line = line

    def peek(self):
        return self.toks[self.i].text if self.i < len(self.toks) else None

    def take(self, what=None):
        if self.i >= len(self.toks):
            raise VccError(self.line, "unexpected end of declaration"
                           + (", expected %r" % what if what else ""))
        t = self.toks[self.i]
        self.line = t.line
        if what is not None and t.text != what:
            raise VccError(t.line, "expected %r, got %r" % (what, t.text))
        self.i += 1
        return t

    def done(self):
        return self.i >= len(self.toks)

    def rest(self):
        out = self.toks[self.i:]
        self.i = len(self.toks)
        return out
