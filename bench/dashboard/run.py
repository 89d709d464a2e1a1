"""Where a record's Google Benchmark documents come from: the suites run here (after
scripts/build unless --no-build), or JSON files given with --ingest SUITE=FILE."""
import json
import os
import subprocess
import sys

from . import ROOT, Error, warn
from .results import read_json

SUITES = ["bench_core", "bench_runtime", "bench_e2e", "bench_scenarios", "bench_property"]


def suite_command(exe, suite, args):
    cmd = [exe, "--benchmark_format=json"]
    if args.filter:
        cmd.append("--benchmark_filter=" + args.filter)
    if args.min_time:
        cmd.append("--benchmark_min_time=%s" % args.min_time)
    if args.full and suite == "bench_e2e":
        cmd.append("--full")
    return cmd


def run_suite(exe, suite, args):
    """The suite's JSON document, or None when no benchmark matches the filter."""
    cmd = suite_command(exe, suite, args)
    warn("running %s" % " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True)
    # Exit 1 with a JSON document: some benchmarks erred (they are in it, marked
    # error_occurred, e.g. the memory guard of BM_InFlight); anything else is a crash.
    if p.returncode == 0 and not p.stdout.strip():
        warn("%s: no benchmark matches the filter" % suite)
        return None
    try:
        doc = json.loads(p.stdout) if p.returncode in (0, 1) else None
    except ValueError:
        doc = None
    if doc is None:
        sys.stderr.write(p.stderr)
        raise Error("%s exited with %d" % (suite, p.returncode))
    for b in doc.get("benchmarks", []):
        if b.get("error_occurred"):
            warn("%s: %s erred: %s" % (suite, b.get("name"), b.get("error_message")))
    return doc


def run_suites(build, args):
    """{suite: document} for every suite in build/bench that ran something."""
    if not args.no_build:
        env = dict(os.environ, VDISIM_BUILD=build)
        if subprocess.run([os.path.join(ROOT, "scripts", "build")], env=env).returncode != 0:
            raise Error("scripts/build failed")
    docs = {}
    for suite in SUITES:
        exe = os.path.join(build, "bench", suite)
        if not os.access(exe, os.X_OK):
            raise Error("%s not found (build first, or set VDISIM_BUILD)" % exe)
        doc = run_suite(exe, suite, args)
        if doc is not None:
            docs[suite] = doc
    return docs


def ingest(items):
    """{suite: document} from SUITE=FILE arguments."""
    docs = {}
    for item in items:
        suite, _, path = item.partition("=")
        if not path:
            raise Error("--ingest wants SUITE=FILE, got " + item)
        docs[suite] = read_json(path)
    return docs
