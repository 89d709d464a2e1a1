"""The dashboard page: one self-contained HTML file (inline CSS and SVG, no scripts, no
network) from the history. Sections: targets, ratios, scaling, regressions (the newest
record against the previous one from the same machine) and history (sparklines)."""
import html
import os
import re

from . import Error
from .compare import compare, fmt_metric, relative_change
from .history import machine_key
from .results import flat
from .svg import chart, sparkline
from .targets import ns, ratios, targets
from .units import fmt_ns

e = html.escape

STYLE = ('<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}'
         'td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}th{background:#f2f2f2}'
         '.MET,.ok,.improved{color:#17751a;font-weight:bold}.MISSED,.REGRESSED{color:#b00020;font-weight:bold}'
         '.charts svg{margin:6px}.note{color:#666;font-size:13px}</style></head><body>')

SCALING = [  # (title, family prefix, x label, y unit, value); byte charts get a linear y
    ("Director resolution: cost vs backends", "BM_Resolve", "backends", "ns", "ns_per_item"),
    ("Fibers alive at once: cost per fiber", "BM_Fibers", "fibers", "ns", "ns_per_item"),
    ("Fibers alive at once: RSS per fiber", "BM_Fibers", "fibers", "bytes", "rss_per_fiber_bytes"),
    ("Timer insert + fire vs sleepers", "BM_TimerSleep", "actors sleeping", "ns", "ns_per_item"),
    ("Contended sim Mutex vs actors", "BM_MutexContended", "actors", "ns", "ns_per_item"),
    ("Requests: cost per request vs concurrency", "BM_Requests", "concurrent requests", "ns", "ns_per_item"),
    ("24 virtual hours of probes: CPU time per run", "BM_Probes24h", "probed backends", "ns", "cpu_ns"),
    ("In-flight requests: RSS per request", "BM_InFlight", "requests in flight", "bytes", "rss_per_request_bytes"),
]


def scaling_series(res, prefix, value):
    """[(family without BM_, [(N, value)])] of every family under prefix with 2+ sizes."""
    fams = {}
    for name, s in res.items():
        m = re.match(r"^(%s[A-Za-z0-9_]*)/(\d+)$" % re.escape(prefix), name)
        if not m:
            continue
        v = s.get(value, s["counters"].get(value))
        if v:
            fams.setdefault(m.group(1), []).append((int(m.group(2)), v))
    return [(fam[3:], pts) for fam, pts in sorted(fams.items()) if len(pts) >= 2]


def header_row(*names):
    return "<tr>" + "".join("<th>%s</th>" % n for n in names) + "</tr>"


def head(latest, key):
    dirty = " +uncommitted changes" if latest.get("dirty") else ""
    p = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', '<title>vdisim benchmarks</title>', STYLE,
         '<h1>vdisim benchmarks</h1>',
         '<p>Commit <code>%s</code>%s (%s), %s, machine <code>%s</code>.</p>' % (
             e(latest["commit"][:12]), dirty, e(latest.get("subject", "")), e(latest["date"]), e(key))]
    loads = [s["context"].get("load_avg") for s in latest["suites"].values() if s["context"].get("load_avg")]
    nproc = latest["machine"]["nproc"]
    if loads and max(l[0] for l in loads) > nproc * 0.75:
        p.append('<p class="note">The machine was busy during this run (load average up to %.1f on %d CPUs): '
                 'wall times include other work; costs per item use CPU time.</p>' % (max(l[0] for l in loads), nproc))
    return p


def targets_section(res):
    p = ['<h2 id="targets">Targets (issue 17)</h2><table>' + header_row("target", "measured", "limit", "status", "how")]
    for what, got, lim, status, note in targets(res):
        p.append('<tr><td>%s</td><td>%s</td><td>%s</td><td class="%s">%s</td><td>%s</td></tr>' % (
            e(what), e(got), e(lim), status.replace(" ", "_"), e(status), e(note)))
    p.append('</table>')
    return p


def ratios_section(res):
    p = ['<h2 id="ratios">Ratios vs baselines (one run)</h2><table>'
         + header_row("ratio", "value", "numerator", "denominator")]
    for label, r, a, b in ratios(res):
        p.append('<tr><td>%s</td><td>%.2fx</td><td>%s (%s)</td><td>%s (%s)</td></tr>' % (
            e(label), r, e(a), fmt_ns(ns(res, a)), e(b), fmt_ns(ns(res, b))))
    p.append('</table>')
    return p


def scaling_section(res):
    p = ['<h2 id="scaling">Scaling</h2><div class="charts">']
    for title, prefix, xlabel, unit, value in SCALING:
        series = scaling_series(res, prefix, value)
        if series:
            p.append(chart(title, series, xlabel, unit, logy=unit != "bytes"))
    p.append('</div>')
    return p


def regressions_section(prev, res, threshold):
    p = ['<h2 id="regressions">Regressions (threshold %.0f%%)</h2>' % (100 * threshold)]
    if prev is None:
        p.append('<p>No earlier record on this machine to compare with.</p>')
        return p
    rows, _ = compare(flat(prev), res, threshold)
    bad = [r for r in rows if r.status == "REGRESSED"]
    p.append('<p>Against <code>%s</code> (%s).</p>' % (e(prev["commit"][:12]), e(prev["date"])))
    if not bad:
        p.append('<p class="ok">No regressions beyond %.0f%%.</p>' % (100 * threshold))
        return p
    p.append('<table>' + header_row("benchmark", "metric", "before", "now", "change", "status"))
    for r in bad:
        p.append('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%+.1f%%</td>'
                 '<td class="REGRESSED">%s</td></tr>' % (
                     e(r.name), r.metric, fmt_metric(r.metric, r.base), fmt_metric(r.metric, r.new), 100 * r.change,
                     r.status))
    p.append('</table>')
    return p


def history_row(name, res, same, flats, threshold):
    """One benchmark across the records of this machine (same; flats: their results)."""
    hist = [(i + 1, f[name]["ns_per_item"]) for i, f in enumerate(flats) if name in f]
    ch = "-"
    if len(hist) >= 2 and hist[-2][1]:
        c = relative_change(hist[-2][1], hist[-1][1])
        ch = '<span class="%s">%+.1f%%</span>' % ("REGRESSED" if c > threshold else "ok", 100 * c)
    labels = ["%s %s" % (r["commit"][:8], r["date"]) for r, f in zip(same, flats) if name in f]
    spark = sparkline(hist, labels) if len(hist) >= 2 else "(one record)"
    now = fmt_ns(res[name]["ns_per_item"])
    return '<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>' % (e(name), now, ch, spark)


def history_section(res, same, others, threshold):
    p = ['<h2 id="history">History per benchmark (%d record(s) on this machine)</h2>' % len(same),
         '<table>' + header_row("benchmark", "now (per item)", "vs previous", "history")]
    flats = [flat(r) for r in same]
    p += [history_row(name, res, same, flats, threshold) for name in sorted(res)]
    records = ", ".join("%d=%s" % (i + 1, r["commit"][:8]) for i, r in enumerate(same))
    p.append('</table><p class="note">Records: %s</p>' % e(records))
    if others:
        p.append('<p class="note">%d record(s) from other machines are not charted.</p>' % others)
    return p


def render(history, out_path, threshold):
    """Writes the page for the newest record to out_path (ASCII) and returns its text."""
    if not history:
        raise Error("no records to render")
    latest = history[-1]
    key = machine_key(latest["machine"])
    same = [r for r in history if machine_key(r["machine"]) == key]
    res = flat(latest)
    prev = same[-2] if len(same) >= 2 else None
    p = (head(latest, key) + targets_section(res) + ratios_section(res) + scaling_section(res)
         + regressions_section(prev, res, threshold) + history_section(res, same, len(history) - len(same), threshold))
    p.append('</body></html>')
    text = "\n".join(p) + "\n"
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w", encoding="ascii", errors="replace") as f:
        f.write(text)
    return text
