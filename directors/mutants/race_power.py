#!/usr/bin/env python3
"""Power of the scheduling strategies on the race mutants: for each mutant and strategy,
the first seed that kills it and how many of seeds 1..N do (the kill rate). One seed to
first failure is a noisy number; the rate over N seeds is what compares strategies.

Usage:
  race_power.py --simrun PATH [--seeds N] [--strategies random,pct:3,pos]
                [--only dyn_no_task_ref,...] [--jobs J] [--markdown]
Default mutants: the race rows of the kill table (dyn_delete_before_swap,
dyn_no_task_ref, dyn_hold_after_unlock, dyn_ignore_null). Long: ctest label `power`
(not run by CI), or run it by hand. Python 3 standard library only.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kill_table  # noqa: E402  (manifest, simrun wrapper, what counts as a kill)

RACES = ["dyn_delete_before_swap", "dyn_no_task_ref", "dyn_hold_after_unlock", "dyn_ignore_null"]


def measure(m, sim, strategy, seeds):
    """(first killing seed or None, kills among seeds 1..seeds)."""
    _, runs = sim.run(m.scenario, (1, seeds), strategy)
    kills = [r["seed"] for r in runs if kill_table.killed(m, r)]
    return (kills[0] if kills else None), len(kills)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--simrun", required=True)
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--strategies", default="random,pct:3,pos")
    ap.add_argument("--only", default=",".join(RACES))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--markdown", action="store_true")
    a = ap.parse_args()
    want = a.only.split(",")
    mutants = [m for m in kill_table.load_manifest() if m.name in want]
    strategies = a.strategies.split(",")
    sim = kill_table.Simrun(a.simrun, a.jobs)
    rows = []
    for m in mutants:
        cells = []
        for s in strategies:
            first, n = measure(m, sim, s, a.seeds)
            cells.append("%s (%d/%d)" % (first if first is not None else ">%d" % a.seeds, n, a.seeds))
        rows.append((m.name, cells))
        print("%-24s %s" % (m.name, "  ".join("%s: %s" % (s, c) for s, c in zip(strategies, cells))), flush=True)
    if a.markdown:
        print("\n| mutant | " + " | ".join(strategies) + " |")
        print("|---|" + "---|" * len(strategies))
        for name, cells in rows:
            print("| %s | %s |" % (name, " | ".join(cells)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
