"""Google Benchmark JSON (--benchmark_format=json) -> {clean name: summary}, the numbers
the rest of the dashboard reads: iterations, real_ns, cpu_ns, ns_per_item, counters."""
import json
import re

from . import Error

# Google Benchmark's own keys; every other number in an entry is a user counter.
NOT_COUNTERS = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
                "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
                "aggregate_name", "aggregate_unit", "error_occurred", "error_message", "label"}


# Parts of a benchmark's name that say how it was run, not what it measures.
RUN_OPTION = re.compile(r"^(iterations|min_time|repeats):|^(real_time|process_time|manual_time)$")


def clean_name(name):
    """BM_Probes24h/10/iterations:1/real_time -> BM_Probes24h/10"""
    parts = [p for p in name.split("/") if not RUN_OPTION.match(p)]
    return "/".join(parts)


def to_ns(value, unit):
    return value * {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}.get(unit, 1.0)


def summarize(bench):
    """The numbers the dashboard uses from one Google Benchmark entry."""
    e = {"iterations": bench.get("iterations", 0),
         "real_ns": to_ns(bench.get("real_time", 0.0), bench.get("time_unit", "ns")),
         "cpu_ns": to_ns(bench.get("cpu_time", 0.0), bench.get("time_unit", "ns"))}
    counters = {k: v for k, v in bench.items() if k not in NOT_COUNTERS and isinstance(v, (int, float))}
    e["counters"] = counters
    ips = counters.get("items_per_second")
    # Cost per item (items/s uses the benchmark's own clock: CPU, or wall for UseRealTime).
    e["ns_per_item"] = 1e9 / ips if ips else (e["real_ns"] if "/real_time" in bench.get("name", "") else e["cpu_ns"])
    return e


def results_of(gb_json):
    """{clean name: summary} from one Google Benchmark JSON document. With repetitions,
    only the median aggregates count; erred benchmarks never do."""
    out = {}
    rows = gb_json.get("benchmarks", [])
    has_median = any(b.get("aggregate_name") == "median" for b in rows)
    for b in rows:
        if b.get("error_occurred"):
            continue
        if has_median and (b.get("run_type") != "aggregate" or b.get("aggregate_name") != "median"):
            continue
        out[clean_name(b.get("run_name") or b["name"])] = summarize(b)
    return out


def flat(rec):
    """Every suite's results of one dashboard record, in one {name: summary}."""
    out = {}
    for suite in rec.get("suites", {}).values():
        out.update(suite["results"])
    return out


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise Error("cannot read %s: %s" % (path, e))


def load_results(path):
    """A Google Benchmark JSON file or a dashboard record (one JSON object) -> {name: summary}."""
    doc = read_json(path)
    if "suites" in doc:
        return flat(doc)
    if "benchmarks" not in doc:
        raise Error("%s: neither Google Benchmark JSON nor a dashboard record" % path)
    return results_of(doc)
