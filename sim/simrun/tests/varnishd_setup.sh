#!/usr/bin/env bash
# Setup step of the `varnishd` ctest label (fixture varnishd_deps): makes sure Debian's
# varnish (varnishd) is installed before vcl_varnishd_compiles runs. Installs it as root;
# as another user it says what to run and fails, so the test never starts without it.
set -euo pipefail
command -v varnishd >/dev/null 2>&1 && { echo "varnishd_setup: $(varnishd -V 2>&1 | head -1)"; exit 0; }
if [ "$(id -u)" -ne 0 ]; then
  echo "varnishd_setup: varnishd is missing; run: sudo apt-get install -y varnish" >&2
  exit 1
fi
echo "varnishd_setup: installing varnish (Debian package)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends varnish >/dev/null
command -v varnishd >/dev/null
