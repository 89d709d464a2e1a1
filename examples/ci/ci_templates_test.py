#!/usr/bin/env python3
"""ci_templates_test.py VDISIM: the CI templates in examples/ci are valid YAML and do what
docs/vmod-authors.md says: Debian 12, vdisim's own scripts/deps for the packages, vdisim
built and installed into the prefix they then run `vdisim check-vmod` from, with options
that check-vmod has (VDISIM check-vmod --help), and the report folder of its --work-dir
uploaded whether the job passed or not."""
import re
import subprocess
import sys
from pathlib import Path

import yaml

here = Path(__file__).resolve().parent
vdisim = sys.argv[1]
helptext = subprocess.run([sys.executable, vdisim, "check-vmod", "--help"], check=True, capture_output=True,
                          text=True).stdout
known = set(re.findall(r"(--[a-z][a-z-]*)", helptext))
failed = []


def check(what, cond):
    print(("ok   - " if cond else "FAIL - ") + what)
    if not cond:
        failed.append(what)


def check_command(name, text):
    """The check-vmod line: its options exist, and its --work-dir is returned."""
    lines = [l for l in text.replace("\\\n", " ").splitlines() if "vdisim\" check-vmod" in l or "vdisim check-vmod" in l]
    check(name + ": runs vdisim check-vmod", len(lines) == 1)
    if not lines:
        return "", ""
    opts = re.findall(r"\s(--[a-z][a-z-]*)", lines[0])
    check(name + ": check-vmod options exist ({})".format(" ".join(opts)), opts and all(o in known for o in opts))
    work = re.search(r"--work-dir\s+(\S+)", lines[0])
    prog = lines[0].split()[0].strip('"')
    return (work.group(1).strip('"') if work else ""), prog


def check_setup(name, text, prefix_expr):
    check(name + ": vdisim's own scripts/deps installs the packages", "/tmp/vdisim/scripts/deps" in text)
    check(name + ": vdisim built and installed into " + prefix_expr,
          re.search(r"cmake --install /tmp/vdisim/build --prefix \"?" + re.escape(prefix_expr), text) is not None)


gh = yaml.safe_load((here / "github-actions.yml").read_text())
job = gh["jobs"]["check-vmod"]
check("github: runs in debian:12", job.get("container") == "debian:12")
steps = job["steps"]
runs = "\n".join(s.get("run", "") for s in steps)
check_setup("github", runs, "$VDISIM_PREFIX")
work, prog = check_command("github", runs)
check("github: check-vmod from the installed prefix", prog == "$VDISIM_PREFIX/bin/vdisim")
cache = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache")]
check("github: the prefix is cached", cache and cache[0]["with"]["path"] == job["env"]["VDISIM_PREFIX"])
up = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact")]
check("github: uploads whether it passed or not", up and up[0].get("if") == "always()")
wd = work.replace("$RUNNER_TEMP", "${{ runner.temp }}")
check("github: uploads check-vmod's report folder ({}/report/)".format(wd),
      up and (wd + "/report/") in up[0]["with"]["path"])

gl = yaml.safe_load((here / "gitlab-ci.yml").read_text())
job = gl["vdisim-check-vmod"]
check("gitlab: runs in debian:12", job.get("image") == "debian:12")
script = "\n".join(job["script"])
check_setup("gitlab", script, "$PWD/.vdisim-prefix")
work, prog = check_command("gitlab", script)
check("gitlab: check-vmod from the installed (cached) prefix",
      prog == ".vdisim-prefix/bin/vdisim" and ".vdisim-prefix/" in job["cache"]["paths"])
check("gitlab: the cached prefix is kept out of the copy", "/.vdisim-prefix/ >> .git/info/exclude" in script)
after = "\n".join(job.get("after_script", []))
check("gitlab: keeps check-vmod's report folder", (work + "/report") in after)
check("gitlab: artifacts whether it passed or not", job["artifacts"].get("when") == "always")

print("{} failed".format(len(failed)))
sys.exit(1 if failed else 0)
