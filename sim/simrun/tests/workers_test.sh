#!/usr/bin/env bash
# A sweep's seeds run in worker processes that go on from seed to seed while they pass
# (runner/isolate.hpp): every seed must end as it does alone in a fresh process (its
# repro line), whatever ran before it in the same worker. Per scenario, the outcome and
# digest of seeds 1..N in one sweep equal those of each seed run alone. The scenarios
# cover built-in directors, reloads, labels, a mutant whose seeds fail (each failure ends
# its worker), and vmods loaded from their .so whose static data the workers set back
# (keyed: LOAD allocates, the last DISCARD frees), and simrun_crashtest's crashing
# director, whose static data decides once a process whether it crashes: 20 seeds.
# Usage: workers_test.sh SIMRUN CRASHTEST CRASH_YAML SEEDS SCENARIO...
set -uo pipefail
simrun=$1 crashtest=$2 crash_yaml=$3 seeds=$4
shift 4
. "$(dirname "$0")/../../../scripts/tests/tally.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

line() {  # seed outcome rule digest, one line per run of a JSON report
	python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["runs"]: print(r["seed"], r["outcome"], r.get("rule", "-"), r.get("digest", "-"))' "$1"
}

same_alone() {  # BINARY SCENARIO SEEDS
	local bin=$1 sc=$2 n=$3 name
	name=$(basename "$sc")
	rm -f "$tmp/sweep.json"
	"$bin" "$sc" --seeds "1..$n" --jobs 1 --quiet --json "$tmp/sweep.json" >/dev/null 2>"$tmp/err"
	if [ ! -s "$tmp/sweep.json" ]; then fail "$name: the sweep wrote its report" "$(cat "$tmp/err")"; return; fi
	line "$tmp/sweep.json" >"$tmp/sweep.txt"
	: >"$tmp/alone.txt"
	for s in $(seq 1 "$n"); do
		"$bin" "$sc" --seed "$s" --quiet --json "$tmp/one.json" >/dev/null 2>&1
		line "$tmp/one.json" >>"$tmp/alone.txt"
	done
	if [ "$(wc -l <"$tmp/sweep.txt")" -eq "$n" ] && cmp -s "$tmp/sweep.txt" "$tmp/alone.txt"; then
		ok "$name: $n seeds in a sweep end as each does alone"
	else
		fail "$name: $n seeds in a sweep end as each does alone" "$(diff "$tmp/sweep.txt" "$tmp/alone.txt")"
	fi
}

for sc in "$@"; do same_alone "$simrun" "$sc" "$seeds"; done
same_alone "$crashtest" "$crash_yaml" 20
grep -q CRASH "$tmp/sweep.txt" && ok "some of the 20 crashtest seeds crashed" || fail "some of the 20 crashtest seeds crashed"

# The workers go on: 200 passing seeds of a race take one process (--verbose says so).
"$simrun" "$(dirname "$0")/../../../bench/race_seeds.yaml" --seeds 1..200 --jobs 1 --verbose >/dev/null 2>"$tmp/err"
if grep -q "200 seed(s) ran in 1 child process(es)" "$tmp/err"; then ok "200 passing seeds run in one worker"
else fail "200 passing seeds run in one worker" "$(grep simrun: "$tmp/err")"; fi
finish
