#!/usr/bin/env bash
# Renders the benchmark dashboard (from the fixtures) in Debian's headless chromium and
# checks the DOM and a screenshot (bench/tests/browser_check.py). ctest runs this only for
# the `browser` label, after its setup step (scripts/tests/need_debian_package.sh) has installed chromium.
# usage: browser_test.sh PYTHON DASHBOARD FIXTURES WORKDIR
set -euo pipefail
py=$1 dash=$2 fix=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)

command -v chromium >/dev/null 2>&1 || {
  echo "browser_test: chromium missing (the bench_browser_setup step installs it)" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
for n in base new_ok new_regressed; do
  "$py" "$dash" --ingest "bench_core=$fix/$n.json" --history "$work/history.jsonl" --out "$work/dash.html"
done

flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile")
url="file://$work/dash.html"
timeout 180 chromium "${flags[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/chromium-dom.log" || {
  cat "$work/chromium-dom.log" >&2; exit 1; }
timeout 180 chromium "${flags[@]}" --window-size=1280,2000 --screenshot="$work/shot.png" "$url" \
  >"$work/chromium-shot.log" 2>&1 || { cat "$work/chromium-shot.log" >&2; exit 1; }
[ -s "$work/shot.png" ] || { echo "browser_test: no screenshot" >&2; cat "$work/chromium-shot.log" >&2; exit 1; }
"$py" "$here/browser_check.py" "$work/dom.html" "$work/shot.png"
