# tally.sh -- sourced by vdisim's shell tests: ok/fail lines with a count, finish (the
# script's exit status: nothing failed and something passed), and expect_refused, the
# check of a bad input file whose first line announces its error.
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"; }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

# expect_refused SIMRUN FILE SCENARIO: FILE's first line is "# error: LINE:COL: message";
# simrun on SCENARIO (FILE itself, or a scenario that reads it) must exit 2 with an error
# that starts "FILE:LINE:COL: message".
expect_refused() {
	local simrun=$1 f=$2 scenario=$3 want err rc
	want=$(head -1 "$f" | sed -n 's/^# error: //p')
	[ -n "$want" ] || { fail "$(basename "$f") has a '# error:' first line"; return; }
	err=$("$simrun" "$scenario" --quiet 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$(basename "$f") exits 2 (got $rc)" "$err"
	elif [[ "$err" != "$f:$want"* ]]; then
		fail "$(basename "$f") reports '$want'" "$err"
	else
		ok "$(basename "$f") refused at $want"
	fi
}
