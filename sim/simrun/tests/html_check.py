#!/usr/bin/env python3
"""Checks simrun's HTML report (simrun --html) against the JSON report of the same run.

usage: html_check.py page HTML JSON SIMRUN   the page as written: nothing fetched at view
                                             time, every failure's rule and repro line, the
                                             seeds table, the expanded run's embedded record
       html_check.py browser DOM PNG         what headless chromium made of it: the charts
                                             as SVG elements, and painted (screenshot)
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts", "tests"))
from png_read import colour_counts, decode_png  # noqa: E402

SHARE_RGB, REFS_RGB, HEALTHY_RGB = (0x1F, 0x77, 0xB4), (0xD6, 0x27, 0x28), (0xD8, 0xEF, 0xD8)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def ok(msg):
    print("ok   " + msg)


def esc(s):  # html_report.cpp esc
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def expanded(runs):  # html_report.cpp expanded_run
    for pick in (lambda r: r.get("outcome", "fail") == "fail", lambda r: "failure" in r, lambda r: True):
        for r in runs:
            if pick(r):
                return r
    return None


def embedded(page):
    m = re.search(r'<script type="application/json" id="vdisim-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1)) if m else None


def check_failures(page, report, simrun):
    runs = report["runs"]
    failing = [r for r in runs if r.get("outcome", "fail") == "fail" or "failure" in r]
    for f in report["summary"]["failures"][:20]:
        if 'data-seed="%d" data-rule="%s"' % (f["seed"], esc(f["rule"])) not in page:
            fail("no failure block for seed %d rule %s" % (f["seed"], f["rule"]))
        if '<code class="repro">%s</code>' % esc(f["repro"]) not in page:
            fail("repro line of seed %d missing: %s" % (f["seed"], f["repro"]))
        if not f["repro"].startswith(os.path.realpath(simrun) + " "):
            fail("repro line does not name the binary that ran (%s): %s" % (simrun, f["repro"]))
        run = next(r for r in runs if r["seed"] == f["seed"])
        if "failure" in run and esc(run["failure"]["trace_tail"][-1]) not in page:
            fail("seed %d: the last event before the failure is not on the page" % f["seed"])
    ok("%d failure block(s): rule, repro line naming %s, events before it" % (len(failing), os.path.basename(simrun)))


def check_run(page, report):
    run = expanded(report["runs"])
    if run is None:
        return
    if not re.search(r'<section id="run"><h2>Seed %d \(' % run["seed"], page):
        fail("the expanded run is not seed %d" % run["seed"])
    data = embedded(page)
    if "stats" not in run:
        ok("expanded seed %d died: no charts, said so" % run["seed"]) if data is None else fail("data for a dead seed")
        return
    if data is None or data["seed"] != run["seed"]:
        fail("no embedded record of seed %d" % run["seed"])
    names = [b["name"] for b in run["stats"]["backends"]]
    if [b["name"] for b in data["stats"]["backends"]] != names:
        fail("embedded backends %s != report's %s" % (data["stats"]["backends"], names))
    if "timeline" not in run:  # e.g. a merge of shards run without --html
        if "No timeline for this seed" not in page or data["timeline"]:
            fail("seed %d has no timeline, but the page does not say so" % run["seed"])
        ok("seed %d expanded without a timeline, said so" % run["seed"])
        return
    tl = data["timeline"]
    if tl != run["timeline"]:
        fail("the page's timeline differs from the JSON report's record")
    served = sum(sum(v) for v in tl["fetches"].values())
    picked = sum(n for m in run["stats"]["picks"].values() for n in m.values())
    if served != picked:
        fail("timeline counts %d requests, the picks %d" % (served, picked))
    for q in tl["samples"]:
        if q["outcome"] == "ok" and (not q["chain"] or q["chain"][-1] not in names):
            fail("sampled request's chain does not end at a backend: %s" % q)
    if not tl["samples"] or not tl["directors"]:
        fail("no sampled requests or no directors in the timeline")
    if "failure" in run and data.get("failure", {}).get("rule") != run["failure"]["rule"]:
        fail("embedded failure rule differs")
    ok("seed %d expanded: %d backends, %d requests in the timeline, %d directors, %d sampled chains" %
       (run["seed"], len(names), served, len(tl["directors"]), len(tl["samples"])))


def check_page(page_path, json_path, simrun):
    page = open(page_path, encoding="utf-8").read()
    report = json.load(open(json_path))
    if re.search(r'\b(src|href)\s*=|@import|url\(|<link|<iframe', page):
        fail("the page refers to something outside itself")
    ok("self-contained: no src/href/@import/url()")
    check_failures(page, report, simrun)
    runs = report["runs"]
    if len(runs) > 1:
        m = re.search(r'<section id="seeds">(.*?)</section>', page, re.S)
        rows = m.group(1).count("<tr class=") if m else 0
        if rows != len(runs):
            fail("seeds table: %d rows for %d seeds" % (rows, len(runs)))
        ok("table of %d seeds" % len(runs))
    check_run(page, report)


def check_browser(dom_path, png_path):
    dom = open(dom_path, errors="replace").read()
    for chart in ("chart-backends", "chart-vcls", "chart-refs"):
        if '<svg class="chart" id="%s"' % chart not in dom:
            fail("chart %s not drawn" % chart)
    counts = {k: dom.count(k) for k in ('class="share"', 'class="health ', 'class="temp ', 'class="refs"',
                                        'class="failure-mark"')}
    if min(counts[k] for k in ('class="share"', 'class="health ', 'class="temp ', 'class="refs"')) < 1:
        fail("chart elements missing: %s" % counts)
    ok("DOM: 3 charts, %s" % counts)
    w, h, bpp, rows = decode_png(png_path, fail)
    px, colours = colour_counts(rows, w, bpp, [SHARE_RGB, REFS_RGB, HEALTHY_RGB])
    print("screenshot %dx%d: %d colours, share/refs/healthy pixels %s" % (w, h, len(colours), px))
    if len(colours) < 16:
        fail("the screenshot is (nearly) blank")
    if min(px) < 200:
        fail("the charts were not painted (pixels of share, refcount, healthy colours: %s)" % px)
    ok("the SVG charts were painted")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "page":
        check_page(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "browser":
        check_browser(*sys.argv[2:])
    else:
        fail(__doc__)
