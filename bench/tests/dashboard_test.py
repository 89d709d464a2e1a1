#!/usr/bin/env python3
"""Tests of scripts/bench-dashboard on the fixtures in bench/fixtures (no benchmarks run).

usage: dashboard_test.py compare|render DASHBOARD FIXTURES WORKDIR
  compare: --compare exits 0 on base vs new_ok, 1 on base vs new_regressed (naming the
           regressed benchmark), 2 on unreadable input.
  render:  --ingest of three fixture runs into a fresh history (records keyed by commit
           and machine), then the page: every section, SVG charts, the regression
           flagged, targets judged, self-contained (no scripts, no network), ASCII only.
"""
import json, os, re, shutil, subprocess, sys


def run(*args):
    p = subprocess.run([sys.executable] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def check(cond, msg, out=""):
    if not cond:
        print("FAIL: " + msg)
        if out:
            print(out)
        sys.exit(1)
    print("ok: " + msg)


def test_compare(dash, fix, work):
    rc, out = run(dash, "--compare", os.path.join(fix, "base.json"), os.path.join(fix, "new_ok.json"))
    check(rc == 0, "compare base vs new_ok exits 0", out)
    check("0 regression(s) beyond 10%" in out, "no regression reported", out)
    check(re.search(r"BM_Fibers/1000\s+ns/item.*\+8\.0%\s+ok", out) is not None, "8% slower is within the 10% threshold", out)
    rc, out = run(dash, "--compare", os.path.join(fix, "base.json"), os.path.join(fix, "new_regressed.json"))
    check(rc == 1, "compare base vs new_regressed exits 1", out)
    check(re.search(r"BM_SchedSwitch\s+ns/item.*\+30\.0%\s+REGRESSED", out) is not None, "BM_SchedSwitch flagged", out)
    check("1 regression(s)" in out, "exactly one regression", out)
    rc, out = run(dash, "--compare", os.path.join(fix, "base.json"), os.path.join(fix, "new_regressed.json"), "--threshold", "0.5")
    check(rc == 0, "a 50% threshold tolerates +30%", out)
    os.makedirs(work, exist_ok=True)
    bad = os.path.join(work, "bad.json")
    with open(bad, "w") as f:
        f.write("{not json")
    rc, out = run(dash, "--compare", os.path.join(fix, "base.json"), bad)
    check(rc == 2, "unreadable input exits 2", out)


def test_render(dash, fix, work):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    hist, page = os.path.join(work, "history.jsonl"), os.path.join(work, "dash.html")
    for name in ("base", "new_ok", "new_regressed"):
        rc, out = run(dash, "--ingest", "bench_core=" + os.path.join(fix, name + ".json"), "--history", hist, "--out", page)
        check(rc == 0, "ingest " + name, out)
    with open(hist) as f:
        recs = [json.loads(line) for line in f if line.strip()]
    check(len(recs) == 3, "three records appended")
    check(all(r["commit"] and r["machine"]["hostname"] and r["machine"]["nproc"] and r["machine"]["cpu_model"] for r in recs),
          "records carry commit and machine (hostname, nproc, cpu model)")
    check(all("@" in r["key"] and r["key"].startswith(r["commit"][:12]) for r in recs), "records keyed by commit + machine")
    with open(page, "rb") as f:
        raw = f.read()
    check(all(b < 128 for b in raw), "page is ASCII")
    text = raw.decode()
    for section in ("targets", "ratios", "scaling", "regressions", "history"):
        check('id="%s"' % section in text, "section " + section)
    check(text.count('<svg class="chart') >= 6, "scaling and history charts are inline SVG")
    check("<polyline" in text, "charts have lines")
    for title in ("Director resolution: cost vs backends", "Fibers alive at once: RSS per fiber"):
        check(title in text, "scaling chart '%s'" % title)
    reg = text[text.index('id="regressions"'):text.index('id="history"')]
    check("BM_SchedSwitch" in reg and "REGRESSED" in reg, "regression of the last record flagged", reg)
    check("BM_ResolveRandom/1024" not in reg, "an improvement is not flagged", reg)
    tg = text[text.index('id="targets"'):text.index('id="ratios"')]
    check(re.search(r"scheduling point \+ switch.*?MISSED", tg, re.S) is not None, "sched switch target judged (missed)", tg)
    check("extrapolated" in tg and "NOT MEASURED" in tg, "extrapolated and unmeasured targets say so", tg)
    check("thread handoff / sim condvar handoff" in text, "fiber vs thread ratio shown")
    for bad in ("<script", "http://", "https://", " src=", "@import"):
        check(bad not in text, "self-contained: no '%s'" % bad)
    rc, out = run(dash, "--render-only", "--history", hist, "--out", os.path.join(work, "again.html"))
    check(rc == 0 and os.path.getsize(os.path.join(work, "again.html")) > 1000, "--render-only renders the history", out)


def main():
    mode, dash, fix, work = sys.argv[1:5]
    {"compare": test_compare, "render": test_render}[mode](dash, fix, work)


if __name__ == "__main__":
    main()
