"""Replaying in vdisim: each recorded case as a scenario run by simrun, its trace reduced
to the same facts, compared fact by fact."""
import json
import os
import re
import subprocess
import tempfile

import yaml

from .cases import (CaseError, OTHER_VCL, answer_parts, facts_probe, facts_temperature, health_records,
                    load_cases, seconds)


def server_host(srv):
    return f"10.0.0.{int(srv[1:])}"


def vdisim_vcl(case):
    def sub(m):
        return server_host(m.group(1)) if m.group(2) == "addr" else "80"
    return "vcl 4.1;\n" + re.sub(r"\$\{(s\d+)_(addr|port)\}", sub, case["vcl"])


def vdisim_answer(case, a):
    what, after = answer_parts(case["name"], a)
    if after is None:
        return what
    return {"status": what, "after": f"{after * 1000:.0f}ms"}


REQUEST_GAP_MS = 100  # vdisim sends a picks case's requests this far apart, one at a time


def picks_scenario(case, vcl_file):
    n, timeline = 0, []
    for step in case.get("steps", []):
        if "cli" in step:
            timeline.append({"at": f"{max(n * REQUEST_GAP_MS - REQUEST_GAP_MS // 2, 0)}ms", "op": step["cli"]})
        else:
            n += step["requests"]
    return {"version": 1, "name": "peer_" + case["name"],
            "run": {"duration": f"{(n + 5) * REQUEST_GAP_MS}ms", "seeds": 1, "strategy": "random"},
            "vcls": [{"name": "vcl1", "file": vcl_file}],
            "traffic": [{"name": "peer", "rate": 1000 // REQUEST_GAP_MS, "arrival": "uniform",
                         "duration": f"{n * REQUEST_GAP_MS}ms",
                         "keys": {"distribution": "sequence", "count": 1000000}}],
            "timeline": timeline}


def temperature_scenario(case, vcl_file, other_file):
    """CLI steps on the timeline; a request step is a generator of its own sending one
    request at that time; listed servers answer fetches as listed (`requests:`)."""
    at, timeline, traffic = 0.0, [], []
    for step in case.get("steps", []):
        if "wait" in step:
            at += seconds(case["name"], step["wait"])
        elif "request" in step:
            traffic.append({"name": f"request{len(traffic) + 1}", "rate": 1000 // REQUEST_GAP_MS,
                            "arrival": "uniform", "start": f"{at * 1000:.0f}ms",
                            "duration": f"{REQUEST_GAP_MS}ms", "urls": [step["request"]]})
        else:
            timeline.append({"at": f"{at * 1000:.0f}ms", "op": step["cli"]})
    backends = {f"{server_host(srv)}:80": {"requests": [vdisim_answer(case, a) for a in answers]}
                for srv, answers in case.get("servers", {}).items()}
    return {"version": 1, "name": "peer_" + case["name"],
            "run": {"duration": f"{at * 1000 + 100:.0f}ms", "seeds": 1, "strategy": "random"},
            "vcls": [{"name": "vcl1", "file": vcl_file}, {"name": "other", "file": other_file}],
            "backends": backends, "traffic": traffic, "timeline": timeline}


def scenario_of(case, vcl_file):
    if case["kind"] == "picks":
        return picks_scenario(case, vcl_file)
    if case["kind"] == "temperature":
        return temperature_scenario(case, vcl_file, "other.vcl")
    backends = {}
    for srv, answers in case.get("servers", {}).items():
        backends[f"{server_host(srv)}:80"] = {
            "latency": "1ms", "probes": [vdisim_answer(case, a) for a in answers]}
    return {"version": 1, "name": "peer_" + case["name"],
            "run": {"duration": "120s", "seeds": 1, "strategy": "random"},
            "vcls": [{"name": "vcl1", "file": vcl_file}], "backends": backends}


def run_vdisim(case, simrun):
    with tempfile.TemporaryDirectory() as d:
        vcl = os.path.join(d, "case.vcl")
        with open(vcl, "w") as fh:
            fh.write(vdisim_vcl(case))
        with open(os.path.join(d, "other.vcl"), "w") as fh:
            fh.write(f"vcl 4.1;\n{OTHER_VCL}\n")
        scn = os.path.join(d, "case.yaml")
        with open(scn, "w") as fh:
            yaml.safe_dump(scenario_of(case, "case.vcl"), fh)
        trace = os.path.join(d, "trace.json")
        p = subprocess.run([simrun, scn, "--trace", trace, "-q"], capture_output=True, text=True)
        if case["kind"] == "vcc":
            return p, None
        if p.returncode != 0:
            raise CaseError(f"case {case['name']}: simrun failed ({p.returncode}):\n{p.stdout}{p.stderr}")
        with open(trace) as fh:
            events = json.load(fh)
    events = events["traceEvents"] if isinstance(events, dict) else events
    if case["kind"] == "picks":
        out = []
        for e in events:
            if e.get("name") == "request":  # "/obj/0 vcl1.rr -> vcl1.s1 ok 200"
                picked, outcome = e["args"]["text"].split(" -> ")[1].split(" ")[:2]
                out.append([picked.split(".")[-1], outcome])
        return p, out
    # The records until vdisim's teardown, which cools every VCL (varnishtest just stops
    # varnishd, and its own teardown is cut from the recording).
    end = min([e["ts"] for e in events if e.get("name") == "cli" and e.get("args", {}).get("text") == "teardown"]
              or [float("inf")])
    log = "\n".join("Backend_health - " + e["args"]["text"] for e in events
                     if e.get("name") == "health" and e["ts"] < end)
    if case["kind"] == "temperature":
        return p, facts_temperature(health_records(log, case))["backends"]
    return p, health_records(log, case)


def compare_probe(case, rec, records):
    got = facts_probe(case, records)["backends"]
    problems = []
    for be, want in rec["backends"].items():
        have = got.get(be, [])
        for i, w in enumerate(want):
            h = have[i] if i < len(have) else None
            if h != w:
                problems.append(f"{be} record {i + 1}: varnishd {' '.join(map(str, w))}; "
                                f"vdisim {' '.join(map(str, h)) if h else '(none)'}")
                break
    return problems


def compare_vcc(case, rec, p):
    """The verdict must agree; the messages are shown, not compared (vdisim words its
    own, with file:line:col, where VCC's is not the whole story)."""
    accepted = p.returncode == 0
    said = (p.stdout + p.stderr).strip().splitlines()[0] if not accepted else ""
    if accepted != rec["accepted"]:
        what = lambda a: "accepts" if a else "rejects"
        return [f"varnishd {what(rec['accepted'])} ({rec['message'] or 'no message'}); vdisim {what(accepted)}"
                + (f": {said}" if said else "")], ""
    if not accepted:
        return [], f"varnishd: {rec['message']} | vdisim: {said.split(': ', 1)[-1]}"
    return [], ""


def compare_temperature(rec, got):
    """The collapsed records, in full: the same states in the same order."""
    for be, want in rec["backends"].items():
        have = got.get(be, [])
        if have != want:
            show = lambda rs: " / ".join(f"{r[0]} {r[1]} {r[2]}" for r in rs)
            return [f"{be}: varnishd {show(want)}", f"{be}: vdisim   {show(have)}"]
    return []


def compare_picks(case, rec, got):
    """Request by request: the backend that served it (varnishd: a 2xx response naming it;
    vdisim: an ok request), or none (varnishd: 503; vdisim: any failure)."""
    want = [r[0] if 200 <= r[1] < 300 else "(none)" for r in rec["responses"]]
    have = [g[0] if g[1] == "ok" else "(none)" for g in got]
    for i, w in enumerate(want):
        h = have[i] if i < len(have) else "(no request)"
        if h != w:
            return [f"request {i + 1} (/obj/{i}): varnishd {w}, vdisim {h}; "
                    f"varnishd {' '.join(want)} | vdisim {' '.join(have[:len(want)])}"]
    return []


def replay(args):
    cases = {c["name"]: c for c in load_cases(args.cases)}
    with open(args.recorded) as fh:
        recorded = json.load(fh)
    failed = 0
    for name, rec in recorded["cases"].items():
        if name not in cases:
            raise CaseError(f"{args.recorded}: case {name} is not in {args.cases}")
        case = cases[name]
        p, records = run_vdisim(case, args.simrun)
        note = ""
        if rec["kind"] == "vcc":
            problems, note = compare_vcc(case, rec, p)
        elif rec["kind"] == "picks":
            problems = compare_picks(case, rec, records)
        elif rec["kind"] == "temperature":
            problems = compare_temperature(rec, records)
        else:
            problems = compare_probe(case, rec, records)
        n = {"probe": lambda: sum(len(v) for v in rec["backends"].values()),
             "temperature": lambda: sum(len(v) for v in rec["backends"].values()),
             "picks": lambda: len(rec["responses"]), "vcc": lambda: 1}[rec["kind"]]()
        if problems:
            failed += 1
            print(f"DIFFER {name}")
            for pr in problems:
                print(f"  {pr}")
        else:
            print(f"agree  {name} ({n} fact{'s' if n != 1 else ''}){'  ' + note if note else ''}")
    total = len(recorded["cases"])
    print(f"peer: {total - failed} of {total} cases agree with {recorded['varnishd']}")
    return 1 if failed else 0
