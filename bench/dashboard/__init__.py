"""The benchmark dashboard behind scripts/bench-dashboard (docs/benchmarks.md).

results (Google Benchmark JSON -> summaries), units (ns and bytes as text), history
(bench/history.jsonl records), run (builds and runs the suites), compare (--compare and
the regression check), targets (issue 17's targets and the ratios, as tables), svg
(inline charts), render (the HTML page), cli (the command line). Stdlib only; nothing
here runs at import.
"""
import os
import sys

# The source tree: git, scripts/build and bench/history.jsonl are found from here.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Error(Exception):
    """Bad usage or input: the command prints it and exits 2."""


def warn(msg):
    print("bench-dashboard: " + msg, file=sys.stderr)
