#!/usr/bin/env python3
"""vmodtool.py -- vdisim's stand-in for Varnish 8.0's lib/libvcc/vmodtool.py,
with its command line, so a vmod's own build (varnish.m4's rules run
`$(PYTHON) $(VMODTOOL) -o vcc_NAME_if vmod_NAME.vcc`) works unchanged against
vdisim. Installed as share/vdisim/vmodtool.py, which varnishapi.pc names.

Usage: vmodtool.py [-N] [-o PREFIX] [-w RSTDIR] [-b] [-n] [FILE.vcc ...]
  reads the first FILE that exists (else ./vmod.vcc) and writes PREFIX.h,
  PREFIX.c (default PREFIX: vcc_if) and RSTDIR/vmod_NAME.rst, .man.rst;
  a file whose text did not change is left alone (so make rebuilds nothing),
  and so is an .rst that vdisim did not write (a checkout's own docs).
  -N  --strict       warnings are errors
  -b  --boilerplate  (Varnish's own tree only) not supported: a warning
  -n  --noinst       goes with -b; ignored
Errors print "FILE:LINE: error: ..." and exit 1.
"""

import optparse
import os
import sys

sys.dont_write_bytecode = True

_here = os.path.dirname(os.path.realpath(__file__))
for _d in (_here, os.path.join(_here, os.pardir, "share", "vdisim")):
    if os.path.isdir(os.path.join(_d, "vcc2if_lib")):
        sys.path.insert(0, _d)
        break

from vcc2if_lib import descriptor, rst  # noqa: E402
from vcc2if_lib.header import header_text  # noqa: E402
from vcc2if_lib.parse import parse  # noqa: E402
from vcc2if_lib.vcc import VccError  # noqa: E402


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def foreign_doc(path):
    """An existing file that vdisim did not write."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return not f.readline().startswith(rst.MARK)
    except OSError:
        return False


def options(argv):
    p = optparse.OptionParser(usage="%prog [options] <vmod.vcc>")
    p.add_option("-b", "--boilerplate", action="store_true", default=False)
    p.add_option("-N", "--strict", action="store_true", default=False)
    p.add_option("-n", "--noinst", action="store_true", default=False)
    p.add_option("-o", "--output", metavar="prefix", default="vcc_if")
    p.add_option("-w", "--rstdir", metavar="directory", default=".")
    return p.parse_args(argv)


def main(argv):
    opts, args = options(argv[1:])
    src = next((f for f in args if os.path.exists(f)), None)
    if src is None and os.path.exists("vmod.vcc"):
        src = "vmod.vcc"
    if src is None:
        sys.stderr.write("vmodtool.py: error: no .vcc file given or found "
                         "(looked for %s)\n" % (", ".join(args) or "vmod.vcc"))
        return 1
    try:
        with open(src, encoding="utf-8") as f:
            mod = parse(f.read())
    except VccError as e:
        sys.stderr.write("%s:%d: error: %s\n" % (src, e.line, e.msg))
        return 1
    for line, msg in mod.warnings:
        kind = "error" if opts.strict else "warning"
        sys.stderr.write("%s:%d: %s: %s\n" % (src, line, kind, msg))
    if opts.strict and mod.warnings:
        return 1
    if opts.boilerplate:
        sys.stderr.write("vmodtool.py: warning: --boilerplate (automake "
                         "rules for Varnish's own tree) is not supported by "
                         "vdisim; not written\n")
    srcdir = os.path.dirname(src)
    vcc_name = os.path.basename(src)
    hname = os.path.basename(opts.output) + ".h"
    version = descriptor.package_version(mod, srcdir)
    vcs = descriptor.vcs_version(srcdir)
    write_if_changed(opts.output + ".h", header_text(mod, vcc_name, "make"))
    write_if_changed(opts.output + ".c",
                     descriptor.c_text(mod, hname, vcc_name, version, vcs))
    base = os.path.join(opts.rstdir, "vmod_" + mod.name)
    for path, man in ((base + ".rst", False), (base + ".man.rst", True)):
        # A checkout may ship vmodtool's full documentation (libvmod-dynamic
        # does); ours has the interface only, so it does not replace that.
        if not foreign_doc(path):
            write_if_changed(path, rst.rst_text(mod, vcc_name, man))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
