"""Issue 17's targets and the ratios against the baselines, as tables, each judged on
one run ({name: summary} of results.py). A target row names a measure and its
benchmarks; one function, judge(), measures and compares every row alike."""
import collections
import operator
import re

from .units import GIB, fmt_bytes, fmt_ns


def ns(res, name):
    return res[name]["ns_per_item"] if name in res else None


def largest(res, family):
    """(N, summary) of the largest numeric argument of a family, or None."""
    best = None
    for name, s in res.items():
        m = re.match(re.escape(family) + r"/(\d+)$", name)
        if m and (best is None or int(m.group(1)) > best[0]):
            best = (int(m.group(1)), s)
    return best


# ---- measures: (res, *benchmarks) -> (value, shown, how) or None when not measured ----

def ratio(res, num, den):
    """Cost of num / cost of den; num may be a tuple: the first of them in the run."""
    if isinstance(num, tuple):
        num = next((n for n in num if n in res), num[-1])
    a, b = ns(res, num), ns(res, den)
    return (a / b, "%.1fx (%s vs %s)" % (a / b, fmt_ns(a), fmt_ns(b)), "%s / %s" % (num, den)) if a and b else None


def rate(res, name):
    r = res.get(name, {}).get("counters", {}).get("items_per_second")
    return (r, "%.3g/s" % r, name) if r else None


def speedup(res, base, faster):
    """Wall time of base / wall time of faster, two members of one family."""
    one, two = ns(res, base), ns(res, faster)
    how = "%s / %s (wall)" % (base, faster.split("/", 1)[-1])
    return (one / two, "%.2fx" % (one / two), how) if one and two else None


def rss_at(res, family, n_target, per_counter, what):
    """Peak RSS at n_target items, measured or extrapolated from the largest N run."""
    big = largest(res, family)
    if not big:
        return None
    n, s = big
    c = s["counters"]
    per = c.get(per_counter, 0)
    rss = c.get("peak_rss_bytes", 0) + (0 if n >= n_target else per * (n_target - n))
    if n >= n_target:
        note = "%s/%d" % (family, n)
    else:
        note = "extrapolated from %s/%d (%s per %s)" % (family, n, fmt_bytes(per), what)
    return (rss, fmt_bytes(rss), note)


def cpu_at(res, family, n_target):
    """CPU seconds of one run at N = n_target, scaled linearly from the largest N run."""
    big = largest(res, family)
    if not big:
        return None
    n, s = big
    cpu_s, wall_s = s["cpu_ns"] * n_target / n / 1e9, s["real_ns"] * n_target / n / 1e9
    note = "%s/%d" % (family, n) if n == n_target else "extrapolated linearly from %s/%d" % (family, n)
    return (cpu_s, "%.1f s CPU (%.1f s wall)" % (cpu_s, wall_s), note)


# ---- the targets ------------------------------------------------------------------------

Target = collections.namedtuple("Target", "label measure benchmarks op limit limit_text")
OPS = {"<=": operator.le, ">=": operator.ge}

TARGETS = [
    # A point that always switches (replay) is exactly "point + switch"; older records
    # have only the random strategy's switch (about 2 points per switch).
    Target("scheduling point + switch vs raw boost::context switch", ratio,
           (("BM_SchedSwitchReplay", "BM_SchedSwitch"), "BM_RawContextSwitch"), "<=", 8, "8x"),
    Target("decision without a switch vs raw switch", ratio, ("BM_Decision", "BM_RawContextSwitch"), "<=", 3, "3x"),
    Target("sequential simulated requests per second per core", rate, ("BM_Requests/1",), ">=", 2e6, "2,000,000/s"),
    Target("request cost at 1,024 concurrent vs sequential", ratio, ("BM_Requests/1024", "BM_Requests/1"),
           "<=", 2, "2x"),
    Target("race seeds per second per core (set-up, run, verdict)", rate, ("BM_RaceSeeds",), ">=", 20000, "20,000/s"),
    Target("default-scenario seeds per second per core", rate, ("BM_ScenarioSeeds",), ">=", 50, "50/s"),
    Target("property cases per second (50 operations, generated and run)", rate, ("BM_PropertyCase50Gen",),
           ">=", 2000, "2,000/s"),
    Target("100,000 in-flight requests, peak RSS", rss_at, ("BM_InFlight", 100000, "rss_per_request_bytes", "request"),
           "<=", 2 * GIB, "2 GiB"),
    Target("100,000 parked actors, peak RSS", rss_at, ("BM_Fibers", 100000, "rss_per_fiber_bytes", "fiber"),
           "<=", GIB, "1 GiB"),
    Target("24 virtual hours x 1,000 probed backends", cpu_at, ("BM_Probes24h", 1000), "<=", 10, "10 s CPU"),
    Target("simrun --jobs 2 vs --jobs 1 (sweep of 5,000 race seeds)", speedup,
           ("BM_SweepRaceSeeds/jobs:1/seeds:5000", "BM_SweepRaceSeeds/jobs:2/seeds:5000"), ">=", 1.8, "1.8x"),
]


def judge(res, target):
    """(what, measured, limit, MET | MISSED | NOT MEASURED, how) of one target row."""
    limit = "%s %s" % (target.op, target.limit_text)
    m = target.measure(res, *target.benchmarks)
    if m is None:
        return (target.label, "-", limit, "NOT MEASURED", "")
    value, shown, how = m
    return (target.label, shown, limit, "MET" if OPS[target.op](value, target.limit) else "MISSED", how)


def targets(res):
    """Issue 17's targets on one run; ratios come from the same run."""
    return [judge(res, t) for t in TARGETS]


# ---- ratios vs baselines ----------------------------------------------------------------

RATIOS = [  # (label, numerator, denominator): how many times the denominator's cost
    ("sim switch (random) / raw context switch", "BM_SchedSwitch", "BM_RawContextSwitch"),
    ("sim switch (forced, replay) / raw context switch", "BM_SchedSwitchReplay", "BM_RawContextSwitch"),
    ("Boost.Fiber round_robin yield / raw context switch", "BM_BoostFiberYield", "BM_RawContextSwitch"),
    ("sim scheduling point (random) / raw context switch", "BM_SchedPoint/pct:0", "BM_RawContextSwitch"),
    ("one trace event / raw context switch", "BM_TraceAdd/text:0", "BM_RawContextSwitch"),
    ("thread handoff / sim condvar handoff (fiber speed-up)", "BM_ThreadHandoff", "BM_CondVarHandoff"),
    ("contended mutex, 64 actors / 2 actors (per acquisition)", "BM_MutexContended/64", "BM_MutexContended/2"),
    ("timer fire, 1024 sleepers / 1 sleeper", "BM_TimerSleep/1024", "BM_TimerSleep/1"),
    ("refcounted assign / static assign", "BM_AssignBackend/static:0", "BM_AssignBackend/static:1"),
    ("request at concurrency 1024 / sequential", "BM_Requests/1024", "BM_Requests/1"),
    ("sweep of 200 race seeds (a fork weighs), --jobs 1 / --jobs 2 (wall)", "BM_SweepRaceSeeds/jobs:1/seeds:200",
     "BM_SweepRaceSeeds/jobs:2/seeds:200"),
]


def ratios(res):
    """(label, value, numerator, denominator) of every RATIOS row the run has, then
    1024 backends / 1 backend of every BM_Resolve* family."""
    out = [(label, ns(res, a) / ns(res, b), a, b) for label, a, b in RATIOS if ns(res, a) and ns(res, b)]
    for fam in sorted({n.rsplit("/", 1)[0] for n in res if n.startswith("BM_Resolve")}):
        big, one = fam + "/1024", fam + "/1"
        if ns(res, big) and ns(res, one):
            out.append(("%s: 1024 backends / 1 backend" % fam[3:], ns(res, big) / ns(res, one), big, one))
    return out
