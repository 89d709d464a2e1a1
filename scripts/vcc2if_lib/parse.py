"""parse.py -- the stanzas of a .vcc ($Module, $ABI, $Prefix, $Synopsis,
$Version, $Event, $Function, $Object, $Method, $Restrict, $Alias) into a
vcc.Module. Used by scripts/vcc2if; errors are VccError(line, message).

Refused (VccError): what vmodtool refuses, and what it accepts but makes C of
that does not compile: a name that is not a C name where C uses it, a second
$Event, a function, object or method declared twice. Also refused, though
vmodtool takes them: punctuation or a quoted string as an argument name, and
punctuation as a default value. Accepted with a warning: what vmodtool accepts
but VCC would refuse or vmodtool itself warns about (an ENUM default that is not
one of its values, an unknown $Restrict scope, a bad $ABI or $Synopsis value, a
second $Module, which replaces the first).
"""

from .vcc import (Alias, Arg, CTYPES, C_NAME, METHOD_REF, ALIAS_NAME, Module,
                  Obj, Proto, RESTRICT_SCOPES, SEPARATORS, Stream, Tok,
                  VCL_NAME, VccError, is_quoted, stanzas)


def parse_type(ts, mod):
    """A VCL type, with its {values} for an ENUM."""
    t = ts.take()
    if t.text not in CTYPES:
        raise VccError(t.line, "unknown type %r" % t.text)
    a = Arg(t.text, t.line)
    if ts.peek() == "{":
        if a.vt != "ENUM":
            raise VccError(t.line, "only ENUM takes {values}, not %s" % a.vt)
        parse_enum_values(ts, a, mod)
    return a


def parse_enum_values(ts, a, mod):
    ts.take("{")
    a.spec = []
    while True:
        t = ts.take()
        v = t.text[1:-1] if is_quoted(t.text) else t.text
        if not C_NAME.match(v):
            raise VccError(t.line, "ENUM value %r is not a C name" % t.text)
        a.spec.append(v)
        mod.enums[v] = True
        sep = ts.take()
        if sep.text == "}":
            return
        if sep.text != ",":
            raise VccError(sep.line, "expected ',' or '}' in ENUM, got %r"
                           % sep.text)


def parse_arg(ts, end, names, mod):
    """TYPE [name[:cname]] [= default], up to `end` (',' or ']')."""
    a = parse_type(ts, mod)
    if ts.peek() == end:
        return a
    n = ts.take()
    if n.text in SEPARATORS or n.text[0] in "\"'":
        raise VccError(n.line, "expected an argument name, got %r" % n.text)
    if n.text in names:
        raise VccError(n.line, "duplicate argument name %r" % n.text)
    names.add(n.text)
    a.nm = n.text
    if ":" in n.text:
        parts = n.text.split(":")
        if len(parts) != 2 or not parts[0]:
            raise VccError(n.line, "bad argument name %r (name:cname)" % n.text)
        a.nm, a.nm2 = parts
    if ts.peek() == end:
        return a
    ts.take("=")
    d = ts.take()
    if d.text in SEPARATORS:
        raise VccError(d.line, "missing default value for %r" % a.nm)
    a.defval = d.text
    if a.vt == "ENUM" and is_quoted(d.text):
        a.defval = d.text[1:-1]
    if a.vt == "ENUM" and a.spec is not None and a.defval not in a.spec:
        mod.warnings.append((d.line, "ENUM default %r is not one of %s"
                             % (a.defval, ", ".join(a.spec))))
    return a


def parse_args(toks, line, mod):
    """( ARG, [ARG], ... ): toks from '(' to the last token, which must be ')'."""
    if not toks or toks[0].text != "(":
        raise VccError(toks[0].line if toks else line,
                       "expected '(', got %r" % (toks[0].text if toks else ""))
    if toks[-1].text != ")":
        raise VccError(toks[0].line, "expected ')' to end the arguments, got %r"
                       % toks[-1].text)
    if len(toks) == 2:
        return []
    # The closing ')' stands for a ',' after the last argument.
    ts = Stream(toks[1:-1] + [Tok(toks[-1].line, ",")], toks[0].line)
    args, names = [], set()
    while not ts.done():
        if ts.peek() == "[":
            ts.take("[")
            a = parse_arg(ts, "]", names, mod)
            if a.nm is None:
                raise VccError(a.line, "optional argument needs a name")
            a.opt = True
            ts.take("]")
        else:
            a = parse_arg(ts, ",", names, mod)
        ts.take(",")
        if a.vt == "VOID":
            raise VccError(a.line, "VOID cannot be an argument type")
        if a.nm is None:
            a.nm2 = "arg%d" % (len(args) + 1)
        elif a.nm2 is None:
            a.nm2 = a.nm
        args.append(a)
    if any(a.opt for a in args):
        for a in args:    # their C names become struct VARGS members
            if not C_NAME.match(a.nm2):
                raise VccError(a.line, "argument name %r is not a C name"
                               % a.nm2)
    return args


def parse_proto(ts, kind, mod, ret=True, prefix=""):
    """[TYPE] name ( ARGS ) -> Proto"""
    r = parse_type(ts, mod) if ret else Arg("VOID", ts.line)
    n = ts.take()
    if not VCL_NAME.match(n.text):
        raise VccError(n.line, "bad name %r" % n.text)
    name = prefix + n.text
    if not C_NAME.match(name.replace(".", "_")):
        raise VccError(n.line, "%r is not a C name" % name)
    args = parse_args(ts.rest(), n.line, mod)
    return Proto(kind, n.text, name, r, args, n.line)


def words(ts, line, kw, least, most=None):
    w = [t.text for t in ts.rest()]
    if len(w) < least or (most is not None and len(w) > most):
        raise VccError(line, "$%s: %s" % (kw, USAGE[kw]))
    return w


USAGE = {
    "Module": "expected $Module NAME MANSECTION DESCRIPTION",
    "ABI": "expected $ABI strict|vrt",
    "Prefix": "expected $Prefix C_NAME",
    "Synopsis": "expected $Synopsis auto|manual",
    "Version": "expected $Version TEXT",
    "Event": "expected $Event C_FUNCTION_NAME",
    "Restrict": "expected $Restrict SCOPE...",
    "Alias": "expected $Alias ALIAS SYMBOL or $Alias .ALIAS OBJECT.METHOD",
}


def c_word(w, line, what):
    if not C_NAME.match(w):
        raise VccError(line, "%s %r is not a C name" % (what, w))
    return w


def st_module(mod, ts, line):
    w = words(ts, line, "Module", 4)
    if mod.name is not None:
        mod.warnings.append((line, "second $Module: %r replaces %r"
                             % (w[1], mod.name)))
    mod.name = c_word(w[1], line, "module name")
    mod.mansection = w[2]
    if len(w) == 4 and is_quoted(w[3]):
        mod.description = w[3][1:-1]
    else:
        mod.description = " ".join(w[3:])
    return "module", None


def st_abi(mod, ts, line):
    w = words(ts, line, "ABI", 2, 2)
    if w[1] not in ("strict", "vrt"):
        # vmodtool only warns, and then builds against the VRT ABI.
        mod.warnings.append((line, "$ABI %r is neither 'strict' nor 'vrt'; "
                             "taken as vrt" % w[1]))
    mod.abi = "strict" if w[1] == "strict" else "vrt"
    return "abi", None


def st_prefix(mod, ts, line):
    mod.prefix = c_word(words(ts, line, "Prefix", 2, 2)[1], line, "$Prefix")
    return "prefix", None


def st_synopsis(mod, ts, line):
    w = words(ts, line, "Synopsis", 2, 2)
    if w[1] not in ("auto", "manual"):
        mod.warnings.append((line, "$Synopsis %r is neither 'auto' nor "
                             "'manual'; taken as manual" % w[1]))
    mod.synopsis = "auto" if w[1] == "auto" else "manual"
    return "synopsis", None


def st_version(mod, ts, line):
    mod.version = " ".join(words(ts, line, "Version", 2)[1:])
    return None


def st_event(mod, ts, line):
    w = words(ts, line, "Event", 2, 2)
    if mod.items("event"):
        raise VccError(line, "second $Event")
    return "event", c_word(w[1], line, "$Event function")


def add_name(mod, name, line):
    if name in mod.names:
        raise VccError(line, "%r already declared on line %d"
                       % (name, mod.names[name]))
    mod.names[name] = line


def st_function(mod, ts, line):
    ts.take()
    p = parse_proto(ts, "function", mod)
    add_name(mod, p.name, line)
    return "func", p


def st_object(mod, ts, line):
    ts.take()
    null_ok = ts.peek() == "NULL_OK"
    if null_ok:
        ts.take()
    p = parse_proto(ts, "object", mod, ret=False)
    if "." in p.name:
        raise VccError(p.line, "bad object name %r" % p.name)
    add_name(mod, p.name, line)
    return "obj", Obj(p, null_ok)


def st_method(mod, ts, line):
    if not mod.contents or mod.contents[-1][0] != "obj":
        raise VccError(line, "$Method must follow its $Object or its "
                       "other $Methods")
    obj = mod.contents[-1][1]
    ts.take()
    p = parse_proto(ts, "method", mod, prefix=obj.name)
    if not p.bname.startswith(".") or p.bname == ".":
        raise VccError(p.line, "method name must start with '.': %r" % p.bname)
    if any(m.name == p.name for m in obj.methods):
        raise VccError(line, "duplicate method %r" % p.bname)
    obj.methods.append(p)
    return None


def st_restrict(mod, ts, line):
    w = words(ts, line, "Restrict", 2)
    last = mod.contents[-1] if mod.contents else (None, None)
    if last[0] == "func":
        target = last[1]
    elif last[0] == "obj" and last[1].methods:
        target = last[1].methods[-1]
    else:
        raise VccError(line, "$Restrict must follow a $Function or $Method")
    for s in w[1:]:
        if s not in RESTRICT_SCOPES:
            mod.warnings.append((line, "unknown $Restrict scope %r: VCC "
                                 "will not import this vmod" % s))
    target.restrict = w[1:]
    return None


def find_symbol(mod, name, line):
    for kind, item in mod.contents:
        if kind == "func" and item.name == name:
            return item
        if kind == "obj" and item.name == name:
            return item
    raise VccError(line, "$Alias: no function or object %r above it" % name)


def st_alias(mod, ts, line):
    w = words(ts, line, "Alias", 3, 3)
    alias, target = w[1], w[2]
    if not ALIAS_NAME.match(alias):
        raise VccError(line, "$Alias: %r is not a C name" % alias)
    if not alias.startswith("."):
        find_symbol(mod, target, line)
        return "alias", Alias(alias, target, None, line)
    if not METHOD_REF.match(target):
        raise VccError(line, USAGE["Alias"])
    obj = find_symbol(mod, target.split(".")[0], line)
    if not isinstance(obj, Obj):
        raise VccError(line, "$Alias: %r is not an object" % obj.name)
    if not any(m.name == target for m in obj.methods):
        raise VccError(line, "$Alias: object %r has no method %r"
                       % (obj.name, target.split(".")[1]))
    return "alias", Alias(obj.name + alias, target, obj, line)


STANZAS = {
    "Module": st_module, "ABI": st_abi, "Prefix": st_prefix,
    "Synopsis": st_synopsis, "Version": st_version, "Event": st_event,
    "Function": st_function, "Object": st_object, "Method": st_method,
    "Restrict": st_restrict, "Alias": st_alias,
}


def parse(text):
    """The text of a .vcc -> Module; raises VccError."""
    mod = Module()
    for line, toks in stanzas(text):
        if not toks:
            raise VccError(line, "'$' without a directive")
        kw = toks[0].text
        mod.stanza_texts.append("$" + " ".join(t.text for t in toks))
        fn = STANZAS.get(kw)
        if fn is None:
            raise VccError(line, "unknown directive $%s" % kw)
        entry = fn(mod, Stream(toks, line), line)
        # $Method, $Restrict and $Version do not end an $Object's methods.
        if entry is not None:
            mod.contents.append(entry)
    if mod.name is None:
        raise VccError(1, "no $Module")
    return mod
