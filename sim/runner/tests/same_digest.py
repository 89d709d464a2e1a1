#!/usr/bin/env python3
"""same_digest.py SIMRUN SCENARIO LIBVMOD_SO: runs SCENARIO (objects of vdisim's built-in
directors) as it is and again with `vmods: [LIBVMOD_SO]` (the same C code loaded from its
.so, replacing the built-in module) over a few seeds; every seed's digest must be equal.
A difference means the loaded path calls the C code differently from the glue."""
import json
import os
import subprocess
import sys
import tempfile


def digests(simrun, scenario, out):
    r = subprocess.run([simrun, scenario, "--seeds", "1..3", "--quiet", "--json", out],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with open(out) as f:
        runs = json.load(f)["runs"]
    return r, {run["seed"]: (run["outcome"], run["digest"]) for run in runs}


def main(simrun, scenario, so):
    with tempfile.TemporaryDirectory() as tmp:
        loaded = os.path.join(tmp, "loaded.yaml")
        with open(scenario) as f, open(loaded, "w") as g:
            g.write("vmods: [%s]\n" % json.dumps(os.path.abspath(so)))
            g.write(f.read())
        r1, linked = digests(simrun, scenario, os.path.join(tmp, "a.json"))
        r2, dl = digests(simrun, loaded, os.path.join(tmp, "b.json"))
        if "replaces vdisim's built-in 'directors'" not in r2.stdout:
            print(r2.stdout)
            print("FAIL: the loaded vmod did not replace the built-in directors")
            return 1
        bad = 0
        for seed in sorted(linked):
            same = linked[seed] == dl.get(seed)
            bad += not same
            print("seed %d: linked %s, loaded %s%s" % (seed, linked[seed], dl.get(seed),
                                                       "" if same else "  <- differ"))
        if bad or len(linked) != 3:
            print(r1.stdout, r2.stdout)
            return 1
        return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
