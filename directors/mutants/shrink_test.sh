#!/usr/bin/env bash
# simrun --shrink on a race mutant: seed 4 of dyn_no_task_ref fails with A5 under random
# with ~180 preemptions; the shrunk schedule must have fewer, and replaying the written
# decisions must hit the same A5.  Usage: shrink_test.sh SIMRUN
set -euo pipefail
simrun=$1
here=$(cd "$(dirname "$0")" && pwd)
scn=$here/scenarios/dyn_no_task_ref.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$("$simrun" "$scn" --seeds 4..4 --strategy random --shrink "$tmp/d" --shrink-runs 80 -q)
echo "$out"
line=$(echo "$out" | grep -E '^shrink: seed 4 A5: preemptions [0-9]+ -> [0-9]+')
before=$(echo "$line" | sed -E 's/.*preemptions ([0-9]+) -> ([0-9]+).*/\1/')
after=$(echo "$line" | sed -E 's/.*preemptions ([0-9]+) -> ([0-9]+).*/\2/')
[ "$after" -lt "$before" ] || { echo "FAIL: preemptions not reduced ($before -> $after)"; exit 1; }
"$simrun" "$scn" --seed 4 --replay "$tmp/d" -q | grep -q '1 passed' || { echo "FAIL: the shrunk schedule does not replay to A5"; exit 1; }
echo "ok: preemptions $before -> $after, replay hits A5"
