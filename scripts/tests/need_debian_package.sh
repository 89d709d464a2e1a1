#!/usr/bin/env bash
# need_debian_package.sh COMMAND PACKAGE -- setup step of a ctest label whose tests need a
# program vdisim's own build does not (varnishd for `varnishd`, chromium for `browser`):
# installs the Debian package as root; as another user it says what to run and fails, so
# the label's tests never start without it.
set -euo pipefail
cmd=$1
pkg=$2
command -v "$cmd" >/dev/null 2>&1 && { echo "setup: $cmd present ($pkg)"; exit 0; }
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: $cmd is missing; run: sudo apt-get install -y $pkg" >&2
  exit 1
fi
echo "setup: installing $pkg (Debian package)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
command -v "$cmd" >/dev/null
