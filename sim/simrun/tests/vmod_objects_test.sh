#!/usr/bin/env bash
# vmod_objects_test.sh -- the VCL form of vmod objects in simrun (scenario-format.md,
# "vmod objects"): every DIR/*.yaml passes (exit 0); every DIR/bad/*.yaml is refused
# before any run with exit 2 and the error its first line announces
# ("# error: LINE:COL: message", compared as a prefix of "FILE:LINE:COL: message").
# Usage: vmod_objects_test.sh SIMRUN DIR
set -uo pipefail
simrun=$1
dir=$2
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"; }

for f in "$dir"/*.yaml; do
	out=$("$simrun" "$f" --quiet --jobs 2 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then ok "$(basename "$f") passes"; else fail "$(basename "$f") passes (exit $rc)" "$out"; fi
done

for f in "$dir"/bad/*.yaml; do
	want=$(head -1 "$f" | sed -n 's/^# error: //p')
	[ -n "$want" ] || { fail "$(basename "$f") has a '# error:' first line"; continue; }
	err=$("$simrun" "$f" --quiet 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$(basename "$f") exits 2 (got $rc)" "$err"
	elif [[ "$err" != "$f:$want"* ]]; then
		fail "$(basename "$f") reports '$want'" "$err"
	else
		ok "$(basename "$f") refused at $want"
	fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
