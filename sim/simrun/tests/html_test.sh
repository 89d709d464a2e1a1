#!/usr/bin/env bash
# simrun --html (docs/report-format.md "HTML report"). Usage: html_test.sh MODE SIMRUN CRASHTEST ROOT
#   page:    the pages of a failing sweep, a passing run and a sweep with crashes, checked
#            against their JSON reports (html_check.py page); the run is the same run with
#            or without --html (same digest).
#   browser: the failing sweep's page in headless chromium (label `browser`): charts drawn
#            and painted (html_check.py browser).
set -u
mode=$1 simrun=$2 crashtest=$3 root=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/check_lib.sh"

# A failing sweep: the mutant fallback without its `expect:` fails B1 on each seed.
grep -v '^expect:' "$root/sim/scenarios/mutant_fb_raw_store.yaml" >"$tmp/fails.yaml"
"$simrun" "$tmp/fails.yaml" --seeds 1..3 --quiet --json "$tmp/f.json" --html "$tmp/f.html" >/dev/null 2>&1
check "failing sweep: exit 1" [ $? -eq 1 ]

if [ "$mode" = browser ]; then
  "$root/scripts/tests/chromium_render.sh" "$tmp/f.html" "$tmp/render" 1280,2400 || exit 1
  check "failing sweep: charts drawn and painted in chromium" python3 "$here/html_check.py" browser "$tmp/render/dom.html" "$tmp/render/shot.png"
  echo "$fails failure(s)"
  exit $((fails > 0))
fi

check "failing sweep: page matches the report" python3 "$here/html_check.py" page "$tmp/f.html" "$tmp/f.json" "$simrun"

# A passing run with reloads: its page, and --html watches without changing the run.
sc=$root/sim/scenarios/nested_reload.yaml
"$simrun" "$sc" --seed 2 --quiet --json "$tmp/p.json" --html "$tmp/p.html" >/dev/null 2>&1
check "passing run: exit 0" [ $? -eq 0 ]
check "passing run: page matches the report" python3 "$here/html_check.py" page "$tmp/p.html" "$tmp/p.json" "$simrun"
"$simrun" "$sc" --seed 2 --quiet --json "$tmp/p0.json" >/dev/null 2>&1
check "passing run: same digest without --html" \
  [ "$(json "$tmp/p.json" "d['runs'][0]['digest']")" = "$(json "$tmp/p0.json" "d['runs'][0]['digest']")" ]
check "passing run: the timeline saw the reload steps" [ "$(json "$tmp/p.json" "len(d['runs'][0]['timeline']['steps']) > 0")" = True ]
check "passing run: every destroyed director ended at refcount 0" [ "$(json "$tmp/p.json" \
  "all(x['refs'][-1][3] == 0 for x in d['runs'][0]['timeline']['directors'].values() if 'destroyed_s' in x)")" = True ]
check "passing run: no seeds table for one seed" [ "$(grep -c '<section id="seeds">' "$tmp/p.html")" = 0 ]

# A sweep whose first seed passes (random shares; seeds 2..5 miss the bound): the first
# failing seed runs again for its timeline, kept because its digest is the same.
cat >"$tmp/late.yaml" <<'YAML'
version: 1
name: late_failure
run: {duration: 2s, seeds: 1..6}
vcls:
  - name: boot
    backends: [{name: a, host: "10.0.0.1:80"}, {name: b, host: "10.0.0.2:80"}]
    directors: [{name: pick, type: random, members: [a, b]}]
traffic: [{name: clients, rate: 20}]
expect: {share: {a: [0.5, 1.0]}}
YAML
"$simrun" "$tmp/late.yaml" --quiet --json "$tmp/l.json" --html "$tmp/l.html" >/dev/null 2>&1
check "late failure: seed 1 passes, seed 2 fails" [ "$(json "$tmp/l.json" "[r['outcome'] for r in d['runs']][:2]")" = "['pass', 'fail']" ]
check "late failure: seed 2 has its timeline" [ "$(json "$tmp/l.json" "'timeline' in d['runs'][1]")" = True ]
check "late failure: page matches the report" python3 "$here/html_check.py" page "$tmp/l.html" "$tmp/l.json" "$simrun"

# Shards merged: the page of the merged report is the page of one sweep over the seeds.
"$simrun" "$tmp/late.yaml" --shard 1/2 --quiet --json "$tmp/s1.json" --html "$tmp/s1.html" >/dev/null 2>&1
"$simrun" "$tmp/late.yaml" --shard 2/2 --quiet --json "$tmp/s2.json" --html "$tmp/s2.html" >/dev/null 2>&1
"$simrun" merge "$tmp/s1.json" "$tmp/s2.json" --quiet --json "$tmp/m.json" --html "$tmp/m.html" >/dev/null 2>&1
check "merge: page matches the merged report" python3 "$here/html_check.py" page "$tmp/m.html" "$tmp/m.json" "$simrun"

# Crashes: the page is written, every seed in its table, each crash with its repro line.
"$crashtest" "$root/sim/simrun/tests/crash.yaml" --seeds 1..20 --jobs 2 --quiet --json "$tmp/c.json" --html "$tmp/c.html" >/dev/null 2>&1
check "crashing sweep: exit 1" [ $? -eq 1 ]
check "crashing sweep: page matches the report" python3 "$here/html_check.py" page "$tmp/c.html" "$tmp/c.json" "$crashtest"
check "crashing sweep: crashes on the page" grep -q 'data-rule="CRASH"' "$tmp/c.html"

finish
