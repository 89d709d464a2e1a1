#!/usr/bin/env python3
"""vmodtool_test.py -- checks scripts/vmodtool.py, the vmodtool stand-in a vmod's
autotools build runs: on every .vcc of this repository it writes vcc_NAME_if.h/.c
and the two .rst files; the .c compiles (-Wall -Werror) against the fake VRT and
defines Vmod_NAME_Data; its JSON spec (read back from the preprocessed C) parses,
starts with the $VMOD entry (name, function table, file_id, ABI, VRT version) and
names every $Function, $Object, $Method and $Alias of the .vcc, each with the
table member and C symbol that the object file references; the table's members
are in JSON order. A pinned file_id says the hash is vmodtool's. Also
scripts/vsctool.py on a counter file: the C it writes compiles.
Usage: vmodtool_test.py REPO_ROOT [CC]
"""

import ast
import json
import os
import re
import subprocess
import sys
import tempfile

root = os.path.abspath(sys.argv[1])
cc = sys.argv[2] if len(sys.argv) > 2 else "cc"
tool = os.path.join(root, "scripts", "vmodtool.py")
inc = os.path.join(root, "sim", "fake_vrt", "include")
VCCS = ["sim/fake_vrt/tests/sample.vcc", "sim/fake_vrt/tests/vcc/aliases.vcc",
        "sim/fake_vrt/tests/vcc/all_types.vcc", "sim/fake_vrt/tests/vcc/enums.vcc",
        "directors/vmod_directors.vcc", "examples/vmods/resolv/src/vmod_resolv.vcc",
        "examples/vmods/ringlist/src/vmod_ringlist.vcc",
        "examples/vmods/saintish/src/vmod_saintish.vcc"]
# Written for this test; its file_id is what Varnish 8.0.0's vmodtool.py makes
# of it (the sha256 of its stanzas as vmodtool normalises them).
PINNED_VCC = """# pinned.vcc: file_id as vmodtool computes it
$Module pinned 3 "pinned"
$ABI vrt
$Event ev
$Function STRING f(STRING s, [INT n = 3],
    ENUM {A, B} e = "A")
$Restrict vcl_recv
$Object o(BACKEND b)
$Method VOID .m(REAL r)
"""
# A counter set written for this test, for scripts/vsctool.py.
VSC = """Counters of a test vmod.

.. varnish_vsc_begin::\tcnt
\t:oneliner:\tcnt counters
\t:order:\t\t80

\tWhat the test vmod counts.

.. varnish_vsc:: hits
\t:type:\tcounter
\t:oneliner:\tHits

.. varnish_vsc:: g_live
\t:type:\tgauge
\t:level:\tdebug
\t:group:\tlive
\t:oneliner:\tLive things

.. varnish_vsc_end::\tcnt
"""
PINNED_ID = "1f99eb4e4b8c79208a9acc698665fdfaa180b835df2a018a79f7b81fbd42fe09"

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   - " + what)
    else:
        failed += 1
        print("FAIL - " + what + ("\n    " + detail.replace("\n", "\n    ")
                                   if detail else ""))
    return ok


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def json_spec(cfile, cwd):
    """Vmod_Json[] as the compiler sees it: strings pasted, macros expanded."""
    pp = run([cc, "-E", "-I", cwd, "-I", inc, cfile], cwd)
    if pp.returncode:
        raise ValueError(pp.stderr)
    body = pp.stdout.split("Vmod_Json[] = {", 1)[1]
    body = body[:body.index('\\x03"') + 5]
    text = "".join(ast.literal_eval(s)
                   for s in re.findall(r'"(?:[^"\\]|\\.)*"', body))
    magic = "VMOD_JSON_SPEC\x02"
    if not (text.startswith(magic) and text.endswith("\x03")):
        raise ValueError("no VMOD_JSON_SPEC\\x02 ... \\x03 around the JSON")
    return json.loads(text[len(magic):-1])


def declared(vcc_text):
    """What the .vcc declares, read with plain regexes (not vdisim's parser)."""
    prefix = re.search(r"^\$Prefix\s+(\w+)", vcc_text, re.M)
    funcs, objs, aliases = [], {}, []
    cur = None
    for m in re.finditer(r"^\$(Function|Object|Method|Alias)\s+(.*)$",
                         vcc_text, re.M):
        kw, rest = m.group(1), m.group(2)
        if kw == "Function":
            funcs.append(re.match(r"(?:ENUM\s*\{[^}]*\}|\S+)\s+([\w.]+)", rest).group(1))
        elif kw == "Object":
            cur = re.match(r"(?:NULL_OK\s+)?(\w+)", rest).group(1)
            objs[cur] = []
        elif kw == "Method":
            objs[cur].append(re.match(r"(?:ENUM\s*\{[^}]*\}|\S+)\s+\.(\w+)", rest).group(1))
        else:
            aliases.append(rest.split()[0])
    return (prefix.group(1) if prefix else "vmod") + "_", funcs, objs, aliases


def generate(rel, tmp):
    """vmodtool.py -o on the .vcc rel: its files are written and its C file compiles.
    Returns (vcc text, module name, file prefix, the object's symbols) or None."""
    path = os.path.join(root, rel) if not os.path.isabs(rel) else rel
    with open(path) as f:
        text = f.read()
    name = re.search(r"^\$Module\s+(\w+)", text, re.M).group(1)
    pfx = "vcc_%s_if" % name
    r = run([sys.executable, tool, "-o", pfx, path], tmp)
    made = [pfx + ".h", pfx + ".c", "vmod_%s.rst" % name, "vmod_%s.man.rst" % name]
    if not check(r.returncode == 0 and all(os.path.exists(os.path.join(tmp, f))
                                           for f in made),
                 "%s: vmodtool.py -o %s writes %s" % (rel, pfx, ", ".join(made)),
                 r.stderr):
        return None
    r = run([cc, "-std=gnu11", "-Wall", "-Werror", "-c", "-I", tmp, "-I", inc,
             "-include", "vdisim_vmod_prelude.h", pfx + ".c", "-o", pfx + ".o"], tmp)
    if not check(r.returncode == 0, "%s: %s.c compiles" % (rel, pfx), r.stderr):
        return None
    nm = run(["nm", pfx + ".o"], tmp).stdout
    syms = {}
    for line in nm.splitlines():
        parts = line.split()
        syms[parts[-1]] = parts[-2]
    check(syms.get("Vmod_%s_Data" % name) in ("D", "R"),
          "%s: defines Vmod_%s_Data" % (rel, name))
    return text, name, pfx, syms


def check_entries(rel, spec, text, name, syms, csn, sympfx):
    """The JSON spec's entries against the .vcc: one per function, object, method and
    alias, each prototype naming its table member and calling its C symbol. Returns
    the table members in JSON order."""
    _, funcs, objs, aliases = declared(text)
    refs = []      # table members in JSON order, and their C symbols

    def proto_ok(what, proto, member):
        refs.append(member)
        ok = proto[1] == "%s.%s" % (csn, member)
        sym = sympfx + member[2:]
        return check(ok and syms.get(sym) == "U",
                     "%s: %s calls %s (table member %s)" % (rel, what, sym, member),
                     repr(proto[:3]))

    for e in spec[2:]:
        if e[0] == "$EVENT":
            refs.append("_event")
    jfuncs = {e[1]: e[2] for e in spec if e[0] == "$FUNC"}
    check(sorted(jfuncs) == sorted(funcs), "%s: $FUNC for each $Function" % rel,
          "%s vs %s" % (sorted(jfuncs), sorted(funcs)))
    for e in spec:
        if e[0] == "$FUNC":
            proto_ok("function " + e[1], e[2], "f_" + e[1].replace(".", "_"))
        elif e[0] == "$OBJ":
            o = e[1]
            check(e[3] == "struct %s%s_%s" % (sympfx, name, o),
                  "%s: $OBJ %s names its struct" % (rel, o))
            proto_ok(o + " constructor", e[4][1], "f_%s__init" % o)
            proto_ok(o + " destructor", e[5][1], "f_%s__fini" % o)
            meths = [m for m in e[6:] if m[0] == "$METHOD"]
            check([m[1] for m in meths] == objs.get(o),
                  "%s: $METHOD for each method of %s" % (rel, o))
            for m in meths:
                proto_ok("method %s.%s" % (o, m[1]), m[2], "f_%s_%s" % (o, m[1]))
    check(sorted(o for o in objs) == sorted(e[1] for e in spec if e[0] == "$OBJ"),
          "%s: $OBJ for each $Object" % rel)
    jal = ["." + a.split(".")[1] if "." in a else a
           for a in (e[1] for e in spec if e[0] == "$ALIAS")]
    check(sorted(jal) == sorted(aliases), "%s: $ALIAS for each $Alias" % rel,
          "%s vs %s" % (jal, aliases))
    return refs


def one(rel, tmp):
    made = generate(rel, tmp)
    if made is None:
        return None
    text, name, pfx, syms = made
    try:
        spec = json_spec(pfx + ".c", tmp)
    except (ValueError, IndexError, SyntaxError) as e:
        check(False, "%s: JSON spec parses" % rel, str(e))
        return None
    check(True, "%s: JSON spec parses" % rel)
    sympfx = declared(text)[0]
    csn = "Vmod_%s%s_Func" % (sympfx, name)
    head = spec[0]
    check(head[:4] == ["$VMOD", "2.0", name, csn] and
          re.fullmatch(r"[0-9a-f]{64}", head[4]) is not None and
          head[5] == "Varnish 8.0.0 vdisim" and
          head[6:] in (["0", "0"], ["22U", "0U"]),
          "%s: $VMOD entry (name, %s, file_id, ABI, VRT version)" % (rel, csn),
          repr(head))
    check(spec[1][0] == "$CPROTO" and ("struct %s {" % csn) in spec[1],
          "%s: $CPROTO declares struct %s" % (rel, csn))
    refs = check_entries(rel, spec, text, name, syms, csn, sympfx)
    # Table order: event/functions/objects in file order, then ENUM pointers.
    with open(os.path.join(tmp, pfx + ".c")) as f:
        c = f.read()
    init = c.split("static const struct %s %s = {" % (csn, csn), 1)[1].split("};")[0]
    members = re.findall(r"\.(\w+) =", init)
    order = [m for m in members if not m.startswith("enum_")]
    check(sorted(refs) == sorted(order) and
          [m for m in order if m == "_event" or m in refs] == order,
          "%s: function table members are the JSON's" % rel,
          "%s vs %s" % (order, refs))
    return head[4]


def vsctool(tmp):
    """vsctool.py -h/-c/-r on VSC: VSC_cnt.h declares the struct and functions,
    VSC_cnt.c compiles, -r prints the counters as reStructuredText."""
    with open(os.path.join(tmp, "cnt.vsc"), "w") as f:
        f.write(VSC)
    vt = os.path.join(root, "scripts", "vsctool.py")
    r = run([sys.executable, vt, "-h", "cnt.vsc"], tmp)
    r2 = run([sys.executable, vt, "-c", "cnt.vsc"], tmp)
    if not check(r.returncode == 0 and r2.returncode == 0,
                 "vsctool.py -h, -c write VSC_cnt.h, VSC_cnt.c", r.stderr + r2.stderr):
        return
    with open(os.path.join(tmp, "VSC_cnt.h")) as f:
        h = f.read()
    check("struct VSC_cnt {\n\tuint64_t\thits;\n\tuint64_t\tg_live;\n};" in h and
          "struct VSC_cnt_live {" in h and "VSC_cnt_New(" in h and
          "void VSC_cnt_Destroy(struct vsc_seg **);" in h,
          "VSC_cnt.h: counters in file order, group struct, New/Destroy", h)
    r = run([cc, "-std=gnu11", "-Wall", "-Werror", "-c", "-I", tmp, "-I", inc,
             "VSC_cnt.c", "-o", "VSC_cnt.o"], tmp)
    check(r.returncode == 0, "VSC_cnt.c compiles", r.stderr)
    r = run([sys.executable, vt, "-r", "cnt.vsc"], tmp)
    check(r.returncode == 0 and "``hits``" in r.stdout and "``g_live``" in r.stdout,
          "vsctool.py -r prints the counters", r.stdout + r.stderr)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        open(os.path.join(tmp, "config.h"), "w").close()
        for rel in VCCS:
            one(rel, tmp)
        pinned = os.path.join(tmp, "vmod_pinned.vcc")
        with open(pinned, "w") as f:
            f.write(PINNED_VCC)
        fid = one(pinned, tmp)
        vsctool(tmp)
        check(fid == PINNED_ID, "file_id of pinned.vcc is vmodtool's",
              "%s != %s" % (fid, PINNED_ID))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
