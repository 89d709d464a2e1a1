#!/usr/bin/env bash
# chromium_render.sh PAGE.html WORKDIR [WIDTH,HEIGHT] -- loads a local page in Debian's
# headless chromium (installed by the `browser` label's setup step, bench_browser_setup)
# and leaves what it made: WORKDIR/dom.html (the DOM after the page's scripts ran) and
# WORKDIR/shot.png (a screenshot). Used by every `browser` test.
set -euo pipefail
page=$1 work=$2 size=${3:-1280,2000}
command -v chromium >/dev/null 2>&1 || {
  echo "chromium_render: chromium missing (the bench_browser_setup step installs it)" >&2; exit 1; }
mkdir -p "$work"
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$work/profile")
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
timeout 180 chromium "${flags[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/chromium-dom.log" || {
  cat "$work/chromium-dom.log" >&2; exit 1; }
timeout 180 chromium "${flags[@]}" --window-size="$size" --screenshot="$work/shot.png" "$url" \
  >"$work/chromium-shot.log" 2>&1 || { cat "$work/chromium-shot.log" >&2; exit 1; }
[ -s "$work/shot.png" ] || { echo "chromium_render: no screenshot" >&2; cat "$work/chromium-shot.log" >&2; exit 1; }
