"""The command line of scripts/bench-dashboard: options, then one of --compare, a run of
the suites (or --ingest) recorded in the history, and the page. Exit status: 0 ok,
1 regression (--compare), 2 bad usage or input (an Error from any module)."""
import argparse
import os

from . import ROOT, Error, warn
from .compare import compare_main
from .history import append_history, make_record, read_history
from .render import render
from .run import ingest, run_suites


def options(description, argv):
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compare", nargs=2, metavar=("BASE", "NEW"))
    ap.add_argument("--threshold", type=float, default=0.10)
    ap.add_argument("--history", default=os.path.join(ROOT, "bench", "history.jsonl"))
    ap.add_argument("--out")
    ap.add_argument("--full", action="store_true", help="include the largest sizes (bench_e2e --full)")
    ap.add_argument("--filter", help="--benchmark_filter for every suite")
    ap.add_argument("--min-time", help="--benchmark_min_time for every suite")
    ap.add_argument("--no-build", action="store_true", help="do not run scripts/build first")
    ap.add_argument("--ingest", nargs="+", metavar="SUITE=FILE", help="record existing JSON results instead of running")
    ap.add_argument("--render-only", action="store_true", help="render the page from the history as it is")
    return ap.parse_args(argv)


def dashboard(args):
    if args.threshold < 0:
        raise Error("--threshold must be >= 0")
    if args.compare:
        return compare_main(args.compare[0], args.compare[1], args.threshold)
    build = os.environ.get("VDISIM_BUILD") or os.path.join(ROOT, "build")
    out = args.out or os.path.join(build, "bench-dashboard.html")
    if not args.render_only:
        rec = make_record(ingest(args.ingest) if args.ingest else run_suites(build, args))
        append_history(args.history, rec)
        warn("appended %s to %s" % (rec["key"], args.history))
    render(read_history(args.history), out, args.threshold)
    warn("wrote %s" % out)
    return 0


def main(description, argv=None):
    """The exit status of one command line (argparse exits 2 itself on bad options)."""
    args = options(description, argv)
    try:
        return dashboard(args)
    except Error as err:
        warn(str(err))
        return 2
