#!/usr/bin/env bash
# Setup step of the `browser` ctest label (fixture browser_deps): makes sure Debian's
# chromium is installed before bench_dashboard_browser runs. Installs it as root; as
# another user it says what to run and fails, so the browser test never starts without it.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && { echo "browser_setup: chromium present"; exit 0; }
if [ "$(id -u)" -ne 0 ]; then
  echo "browser_setup: chromium is missing; run: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "browser_setup: installing chromium (Debian package)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
