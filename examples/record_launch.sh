#!/usr/bin/env bash
# record_launch.sh LOG CMD [ARGS...] -- a test launcher for the install tests: appends the
# command it was given to LOG, then runs it in its place (same exit status). Shows that
# VDISIM_TEST_LAUNCHER / check-vmod --launcher put every test command under the launcher.
set -euo pipefail
log=$1
shift
printf '%s\n' "$*" >>"$log"
exec "$@"
