#!/usr/bin/env bash
# Renders the benchmark dashboard (from the fixtures) in Debian's headless chromium and
# checks the DOM and a screenshot (bench/tests/browser_check.py). ctest runs this only for
# the `browser` label, after its setup step (scripts/tests/need_debian_package.sh) has installed chromium.
# usage: browser_test.sh PYTHON DASHBOARD FIXTURES WORKDIR
set -euo pipefail
py=$1 dash=$2 fix=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$work"
mkdir -p "$work"
for n in base new_ok new_regressed; do
  "$py" "$dash" --ingest "bench_core=$fix/$n.json" --history "$work/history.jsonl" --out "$work/dash.html"
done
"$here/../../scripts/tests/chromium_render.sh" "$work/dash.html" "$work"
"$py" "$here/browser_check.py" "$work/dom.html" "$work/shot.png"
