"""Two runs compared benchmark by benchmark: ns per item, and peak RSS where both report
it. Used by --compare (a table on stdout) and by the page's regression section."""
import collections

from .results import load_results
from .units import fmt_bytes, fmt_ns

# change is None where only one side has the benchmark (status "new" or "missing").
Row = collections.namedtuple("Row", "name metric base new change status")
LINE = "%-*s  %-8s  %12s  %12s  %8s  %s"  # of the --compare table


def relative_change(old, new):
    """(new - old) / old, Google Benchmark's tools/compare.py convention: + is slower or
    bigger. A zero base (nothing measured) counts as no change."""
    return (new - old) / old if old else 0.0


def status(change, threshold):
    return "REGRESSED" if change > threshold else ("improved" if change < -threshold else "ok")


def metrics(b, n):
    """(metric, base value, new value) for one benchmark present on both sides."""
    out = [("ns/item", b["ns_per_item"], n["ns_per_item"])]
    if "peak_rss_bytes" in b["counters"] and "peak_rss_bytes" in n["counters"]:
        out.append(("peak_rss", b["counters"]["peak_rss_bytes"], n["counters"]["peak_rss_bytes"]))
    return out


def compare(base, new, threshold):
    """[Row] for every benchmark of either side, by name, and whether anything regressed."""
    rows, regressed = [], False
    for name in sorted(set(base) | set(new)):
        if name not in base or name not in new:
            b, n = base.get(name, {}).get("ns_per_item"), new.get(name, {}).get("ns_per_item")
            rows.append(Row(name, "ns/item", b, n, None, "new" if name not in base else "missing"))
            continue
        for metric, b, n in metrics(base[name], new[name]):
            change = relative_change(b, n)
            st = status(change, threshold)
            regressed |= st == "REGRESSED"
            rows.append(Row(name, metric, b, n, change, st))
    return rows, regressed


def fmt_metric(metric, v):
    if v is None:
        return "-"
    return fmt_bytes(v) if metric == "peak_rss" else fmt_ns(v)


def compare_main(base_path, new_path, threshold):
    """--compare: the table, a count line; 1 when anything regressed, else 0."""
    rows, regressed = compare(load_results(base_path), load_results(new_path), threshold)
    w = max([len(r.name) for r in rows] + [9])
    print(LINE % (w, "benchmark", "metric", "base", "new", "change", "status"))
    for name, metric, b, n, change, st in rows:
        ch = "-" if change is None else "%+.1f%%" % (100 * change)
        print(LINE % (w, name, metric, fmt_metric(metric, b), fmt_metric(metric, n), ch, st))
    n_reg = sum(1 for r in rows if r.status == "REGRESSED")
    print("%d regression(s) beyond %.0f%%" % (n_reg, 100 * threshold))
    return 1 if regressed else 0
