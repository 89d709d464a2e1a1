"""Recording on a real varnishd: the .vtc each case becomes, and the facts read from
varnishtest's log (or from `varnishd -C` for a VCC case)."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile

from .cases import (CaseError, OTHER_VCL, answer_parts, facts_probe, facts_temperature,
                    health_records, load_cases, probe_attr, seconds)


def temperature_vtc(case):
    """Servers answer every connection 200 at once, but those listed in `servers:`, which
    answer client requests' fetches as listed; the steps wait, run CLI commands on
    varnishd (`vcl.load other` loads a VCL without probes, to make active instead) and
    send requests that run on while the later steps go on (the test waits for them at
    the end)."""
    out = [f'varnishtest "vdisim peer case {case["name"]}"', ""]
    scripted = case.get("servers", {})
    for srv in sorted(set(re.findall(r"\$\{(s\d+)_addr\}", case["vcl"]))):
        if srv in scripted:
            steps, _ = answer_steps(case, scripted[srv], float("inf"), 0.0)
            out += [f"server {srv} {{"] + ["\t" + s for s in steps] + ["} -start", ""]
        else:
            out += [f"server {srv} -repeat 1000 {{", "\trxreq", "\ttxresp", "} -start", ""]
    out.append("varnish v1 -vcl {")
    out.extend("\t" + line for line in case["vcl"].rstrip().splitlines())
    out += ["} -start", ""]
    clients = []
    for step in case.get("steps", []):
        if "wait" in step:
            out.append(f"delay {seconds(case['name'], step['wait']):.3f}")
        elif "request" in step:
            clients.append(f"c{len(clients) + 1}")
            out += [f"client {clients[-1]} {{", f"\ttxreq -url {step['request']}", "\trxresp", "} -start"]
        elif step["cli"] == "vcl.load other":
            quoted = OTHER_VCL.replace('"', '\\"')
            out.append(f'varnish v1 -cliok {{vcl.inline other "vcl 4.1; {quoted}"}}')
        else:
            out.append(f'varnish v1 -cliok "{step["cli"]}"')
    out += [f"client {c} -wait" for c in clients]
    return "\n".join(out) + "\n"


def answer_steps(case, answers, timeout, interval):
    """A vtc server's commands for successive polls, and the time they take."""
    steps, total = [], 0.0
    for i, a in enumerate(answers):
        what, after = answer_parts(case["name"], a)
        if i > 0:
            steps.append("accept")
        steps.append("rxreq")
        # A server that does not answer holds the connection until varnishd gives up,
        # and is back to accept before the next poll (a later one would queue).
        hold = timeout + interval / 2
        if what == "timeout" or (after is not None and after >= timeout):
            steps.append(f"delay {hold:.3f}")
            total += hold
        elif after is not None:
            steps.append(f"delay {after:.3f}")
            total += after
        # Past the timeout varnishd has hung up: writing then would fail the server.
        if isinstance(what, int) and (after is None or after < timeout):
            steps.append(f"txresp -status {what}")
        total += interval
    return steps, total


def runs(answers):
    """The answers cut into runs of answered polls and runs of refusals, in order:
    [(refused, [answers])]."""
    out = []
    for a in answers:
        refused = a == "refuse"
        if not out or out[-1][0] != refused:
            out.append((refused, []))
        out[-1][1].append(a)
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refusing_server(case, srv, answers, timeout, interval):
    """A server that refuses polls cannot be one vtc server script: a vtc server refuses
    only while it has no listening socket, so the test drives it run by run. After an
    answered run's script ends (`-wait`), a `-listen` closes the socket; the refused
    polls pass (their number of intervals, plus half a one); the next run's script
    listens again on the same port. -> (server declaration, commands once varnishd
    runs the case's VCL, the time they take)"""
    parts = runs(answers)
    if parts[0][0]:
        raise CaseError(f"case {case['name']}: {srv} must answer its first poll (the test "
                        "knows when a poll fell only from a script that answered it)")
    listen = f"127.0.0.1:{free_port()}"
    decl, after, total = [], [], 0.0
    for k, (refused, run) in enumerate(parts):
        if refused:
            after += [f"server {srv} -listen {listen}", f"delay {(len(run) + 0.5) * interval:.3f}"]
            total += len(run) * interval
            continue
        steps, t = answer_steps(case, run, timeout, interval)
        total += t
        script = [f"server {srv}" + (f" -listen {listen}" if k == 0 else "") + " {"]
        script += ["\t" + s for s in steps] + ["} -start"]
        if k == 0:
            decl = script + [""]
        else:
            after += script
        after.append(f"server {srv} -wait")
    return decl, after, total


def vtc_of(case):
    """The .vtc that drives varnishd through the case: one server per entry of servers,
    each answering successive connections (probe polls) as the list says. With a server
    that refuses, varnishd starts on a VCL without probes and then loads the case's: its
    first poll falls as that load returns, where the test is ready to drive the server
    (`varnish -start` takes a varying while after the first poll)."""
    if case["kind"] == "picks":
        return picks_vtc(case)
    if case["kind"] == "temperature":
        return temperature_vtc(case)
    timeout = probe_attr(case["vcl"], "timeout", 2.0)
    interval = probe_attr(case["vcl"], "interval", 5.0)
    out = [f'varnishtest "vdisim peer case {case["name"]}"', ""]
    longest, driven, driven_time = 0.0, [], 0.0
    for srv, answers in case.get("servers", {}).items():
        if "refuse" in answers:
            if driven:
                raise CaseError(f"case {case['name']}: only one server may refuse polls")
            decl, driven, driven_time = refusing_server(case, srv, answers, timeout, interval)
            out += decl
            longest = max(longest, driven_time)
            continue
        steps, total = answer_steps(case, answers, timeout, interval)
        longest = max(longest, total)
        out.append(f"server {srv} {{")
        out.extend("\t" + s for s in steps)
        out.append("} -start")
        out.append("")
    if driven:
        out.append("varnish v1 -vcl { backend none_yet none; } -start")
    out.append("varnish v1 -vcl {")
    out.extend("\t" + line for line in case["vcl"].rstrip().splitlines())
    out.append("}" if driven else "} -start")
    out.append("")
    out += driven
    out.append(f"delay {longest - driven_time + interval + 1.0:.3f}")
    return "\n".join(out) + "\n"


PICK_HEADER = "x-vdisim-backend"


def picks_vtc(case):
    """Servers answer every fetch (one connection each); a vcl_backend_response added to
    the case's VCL names the backend in a response header the clients log."""
    n = sum(s.get("requests", 0) for s in case.get("steps", []))
    out = [f'varnishtest "vdisim peer case {case["name"]}"', ""]
    for srv in sorted(set(re.findall(r"\$\{(s\d+)_addr\}", case["vcl"]))):
        out += [f"server {srv} -repeat {n + 5} {{", "\trxreq", '\ttxresp -hdr "Connection: close"',
                "} -start", ""]
    out.append("varnish v1 -vcl {")
    out.extend("\t" + line for line in case["vcl"].rstrip().splitlines())
    out.append(f"\tsub vcl_backend_response {{ set beresp.http.{PICK_HEADER} = beresp.backend.name; }}")
    out += ["} -start", ""]
    key = 0
    for i, step in enumerate(case.get("steps", [])):
        if "cli" in step:
            out.append(f'varnish v1 -cliok "{step["cli"]}"')
            continue
        out.append(f"client c{i + 1} {{")
        for _ in range(step["requests"]):
            out += [f'\ttxreq -url /obj/{key} -hdr "Host: h{key}.example"', "\trxresp"]
            key += 1
        out.append("} -run")
    return "\n".join(out) + "\n"


def picks_of_log(log):
    """[backend or "(none)", status] per response the clients received, in order."""
    out = []
    for line in log.splitlines():
        m = re.match(r"\*\*\*\* c\d+\s+http\[\s*(\d+)\] \|(.*)$", line)
        if not m:
            continue
        if m.group(1) == "0":
            out.append(["(none)", 0])
        elif m.group(1) == "1":
            out[-1][1] = int(m.group(2))
        elif m.group(2).lower().startswith(PICK_HEADER + ":"):
            out[-1][0] = m.group(2).split(":", 1)[1].strip()
    return out


VCC_MSG_RE = re.compile(r"Message from VCC-compiler:\n(.*?)\n")


def record_vcc(case, varnishd):
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o755)  # varnishd reads the file as its own unprivileged user
        f = os.path.join(d, "case.vcl")
        with open(f, "w") as fh:
            fh.write("vcl 4.1;\n" + case["vcl"])
        os.chmod(f, 0o644)
        p = subprocess.run([varnishd, "-C", "-n", os.path.join(d, "n"), "-f", f], capture_output=True, text=True)
    m = VCC_MSG_RE.search(p.stderr)
    return {"kind": "vcc", "accepted": p.returncode == 0, "message": m.group(1).strip() if m else ""}


def dumps(recorded):
    """JSON with one record (a list of scalars) per line, for diffs that read."""
    text = json.dumps(recorded, indent=1)
    return re.sub(r"\[\n\s*([^\[\]{}]*?)\n\s*\]",
                  lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text) + "\n"


def record(args):
    cases = load_cases(args.cases)
    version = subprocess.run(["varnishd", "-V"], capture_output=True, text=True).stderr.splitlines()[0]
    out = {"varnishd": version, "cases": {}}
    for c in cases:
        if c["kind"] == "vcc":
            out["cases"][c["name"]] = record_vcc(c, "varnishd")
        else:
            with tempfile.TemporaryDirectory() as d:
                vtc = os.path.join(d, c["name"] + ".vtc")
                with open(vtc, "w") as fh:
                    fh.write(vtc_of(c))
                p = subprocess.run(["varnishtest", "-v", vtc], capture_output=True, text=True, timeout=300)
            if p.returncode != 0:
                raise CaseError(f"case {c['name']}: varnishtest failed:\n{p.stdout[-2000:]}")
            facts = {"probe": lambda: facts_probe(c, health_records(p.stdout, c)),
                     "temperature": lambda: facts_temperature(health_records(p.stdout, c)),
                     "picks": lambda: {"kind": "picks", "responses": picks_of_log(p.stdout)}}
            out["cases"][c["name"]] = facts[c["kind"]]()
        print(f"recorded {c['name']}", file=sys.stderr)
    text = dumps(out)
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0
