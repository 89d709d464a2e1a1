#!/usr/bin/env bash
# vmod_objects_test.sh -- the VCL form of vmod objects in simrun (scenario-format.md,
# "vmod objects"): every DIR/*.yaml passes (exit 0); every DIR/bad/*.yaml is refused
# before any run with exit 2 and the error its first line announces
# ("# error: LINE:COL: message", compared as a prefix of "FILE:LINE:COL: message").
# Usage: vmod_objects_test.sh SIMRUN DIR
set -uo pipefail
simrun=$1
dir=$2
. "$(dirname "$0")/../../../scripts/tests/tally.sh"

for f in "$dir"/*.yaml; do
	out=$("$simrun" "$f" --quiet --jobs 2 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then ok "$(basename "$f") passes"; else fail "$(basename "$f") passes (exit $rc)" "$out"; fi
done

for f in "$dir"/bad/*.yaml; do expect_refused "$simrun" "$f" "$f"; done

finish
