"""Dashboard records and bench/history.jsonl: one JSON line a record, one record a run of
the suites, keyed by commit and machine (<commit[:12]>[+dirty]@<host>/<nproc>/<cpu>)."""
import datetime
import json
import os
import platform
import socket
import subprocess

from . import ROOT, warn
from .results import results_of

# What a record keeps of Google Benchmark's context: how busy the machine was, its CPUs
# and the library's build type.
CONTEXT_KEYS = ("load_avg", "num_cpus", "mhz_per_cpu", "library_build_type")


def git(*args):
    try:
        p = subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True, check=True)
        return p.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine():
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"hostname": socket.gethostname(), "nproc": os.cpu_count() or 0, "cpu_model": cpu}


def machine_key(m):
    return "%s/%s/%s" % (m["hostname"], m["nproc"], m["cpu_model"])


def make_record(suite_docs):
    """One record from {suite: Google Benchmark JSON document}, stamped with this checkout
    and this machine."""
    commit = git("rev-parse", "HEAD") or "unknown"
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    m = machine()
    rec = {"commit": commit, "dirty": dirty, "subject": git("log", "-1", "--format=%s"),
           "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
           "machine": m, "key": commit[:12] + ("+dirty" if dirty else "") + "@" + machine_key(m), "suites": {}}
    for suite, doc in suite_docs.items():
        ctx = doc.get("context", {})
        rec["suites"][suite] = {"context": {k: ctx.get(k) for k in CONTEXT_KEYS}, "results": results_of(doc)}
    return rec


def read_history(path):
    """Every record of the file, oldest first; a line that is not JSON is skipped, said."""
    recs = []
    if not os.path.exists(path):
        return recs
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line:
                try:
                    recs.append(json.loads(line))
                except ValueError:
                    warn("%s:%d: skipping a bad record" % (path, n))
    return recs


def append_history(path, rec):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "a") as f:
        f.write(json.dumps(rec, sort_keys=True) + "\n")
