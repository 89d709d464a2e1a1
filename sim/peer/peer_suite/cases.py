"""The peer suite's cases (scripts/peer, docs/peer-suite.md): reading and checking a case
file, and the facts both sides are reduced to (Backend_health records per backend)."""
import re

import yaml

ANSWER_WORDS = ("empty", "timeout", "refuse")
KINDS = ("probe", "vcc", "picks", "temperature")
HEALTH_RE = re.compile(r'Backend_health\s+-\s+(\S+) (Went|Still) (sick|healthy) (\S+) (\d+) (\d+) (\d+) ')


class CaseError(Exception):
    pass


def load_cases(path):
    try:
        with open(path) as f:
            cases = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        raise CaseError(f"{path}: {e}")
    if not isinstance(cases, list):
        raise CaseError(f"{path}: a list of cases expected")
    seen = set()
    for c in cases:
        if not isinstance(c, dict) or "name" not in c or "vcl" not in c:
            raise CaseError(f"{path}: every case needs name and vcl: {c!r}")
        if c["name"] in seen:
            raise CaseError(f"{path}: case {c['name']} twice")
        seen.add(c["name"])
        c.setdefault("kind", "probe")
        if c["kind"] not in KINDS:
            raise CaseError(f"{path}: case {c['name']}: kind is one of {', '.join(KINDS)}, not {c['kind']}")
        steps = ("requests", "cli") if c["kind"] == "picks" else ("wait", "cli", "request")
        for step in c.get("steps", []):
            if not isinstance(step, dict) or len(step) != 1 or next(iter(step)) not in steps:
                raise CaseError(f"{path}: case {c['name']}: a step is one of {', '.join(steps)}, not {step!r}")
            if "wait" in step:
                seconds(c["name"], step["wait"])
            if "request" in step and not re.fullmatch(r"/[!-~]*", str(step["request"])):
                raise CaseError(f"{path}: case {c['name']}: a request is a URL path like /busy, not {step['request']!r}")
        for srv, answers in c.get("servers", {}).items():
            if not re.fullmatch(r"s\d+", srv):
                raise CaseError(f"{path}: case {c['name']}: servers are named s1, s2, ... not {srv}")
            for a in answers:
                answer_parts(c["name"], a)
    return cases


def answer_parts(case, a):
    """(what, after_seconds): what is a status int or one of ANSWER_WORDS."""
    after = None
    if isinstance(a, dict):
        what, after = a.get("status"), a.get("after")
        if after is not None:
            after = seconds(case, after)
    else:
        what = a
    if isinstance(what, int) and 100 <= what <= 599:
        return what, after
    if what in ANSWER_WORDS:
        return what, after
    raise CaseError(f"case {case}: an answer is a status 100-599, empty, timeout or refuse, not {a!r}")


def seconds(case, text):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)", str(text))
    if not m:
        raise CaseError(f"case {case}: {text!r} is not a duration like 300ms or 1.5s")
    return float(m.group(1)) / (1000.0 if m.group(2) == "ms" else 1.0)


def probe_attr(vcl, attr, default):
    m = re.search(r"\." + attr + r"\s*=\s*(\d+(?:\.\d+)?)(ms|s)", vcl)
    if not m:
        return default
    return float(m.group(1)) / (1000.0 if m.group(2) == "ms" else 1.0)


OTHER_VCL = 'backend other { .host = "127.0.0.1"; .port = "1"; }'  # a second VCL to make active


def health_records(log, case):
    """Per backend, the Backend_health records up to the poll of each server's last
    scripted answer (later polls meet a server that has stopped answering)."""
    per = {}
    for line in log.splitlines():
        if "top   RESETTING after" in line:
            break  # varnishtest stops the servers: later polls are the test's teardown
        m = HEALTH_RE.search(line)
        if m:
            name = m.group(1).split(".")[-1]
            per.setdefault(name, []).append(
                [f"{m.group(2)} {m.group(3)}", m.group(4), int(m.group(5)), int(m.group(6)), int(m.group(7))])
    return per


def truncate(records, polls):
    """Records until `polls` real polls were seen. The first real poll is the first record
    with an address-family bit (a server answers its first poll); every record after it is
    a poll, a refused one (no connection) having no bit at all."""
    out, seen = [], 0
    for r in records:
        if seen == polls:
            break
        out.append(r)
        if seen or r[1][:3] != "---":
            seen += 1
    return out


def backend_servers(vcl):
    """backend name -> server name, from `.host = "${sN_addr}"`."""
    out = {}
    decls = list(re.finditer(r"backend\s+(\w+)\s*\{", vcl))
    for i, m in enumerate(decls):
        body = vcl[m.end():decls[i + 1].start() if i + 1 < len(decls) else len(vcl)]
        h = re.search(r"\$\{(s\d+)_addr\}", body)
        if h:
            out[m.group(1)] = h.group(1)
    return out


def collapsed(records):
    """Records with each run of equal ones kept once: how many polls fall between two
    CLI commands is a matter of wall-clock time, the states passed through are not."""
    out = []
    for r in records:
        if not out or out[-1] != r:
            out.append(r)
    return out


def facts_temperature(records):
    return {"kind": "temperature", "backends": {be: collapsed(rs) for be, rs in records.items()}}


def facts_probe(case, records):
    servers = case.get("servers", {})
    out = {}
    for be, srv in backend_servers(case["vcl"]).items():
        out[be] = truncate(records.get(be, []), len(servers.get(srv, [])))
    return {"kind": "probe", "backends": out}
