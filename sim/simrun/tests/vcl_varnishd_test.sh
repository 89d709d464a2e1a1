#!/usr/bin/env bash
# vcl_varnishd_test.sh -- the example VCL files vdisim reads are VCL a real varnishd
# compiles: `varnishd -C -f FILE` on every .vcl under the given directories (not bad/
# ones, which are wrong on purpose). A file that imports a vmod from a path (built for
# vdisim, not loadable by varnishd) is skipped and named, as is one that returns
# vcl(LABEL) (the label must exist when it compiles). ctest label `varnishd`.
# Usage: vcl_varnishd_test.sh DIR...
set -uo pipefail
command -v varnishd >/dev/null 2>&1 || { echo "varnishd is not installed (scripts/test -L varnishd installs it)"; exit 1; }
varnishd -V 2>&1 | head -1
passed=0
failed=0
for dir in "$@"; do
	while IFS= read -r f; do
		if grep -Eq '^[[:space:]]*import[[:space:]]+[A-Za-z0-9_]+[[:space:]]+from' "$f"; then
			echo "skip - $f (imports a vmod built for vdisim)"
			continue
		fi
		if grep -Eq 'return[[:space:]]*\([[:space:]]*vcl[[:space:]]*\(' "$f"; then
			echo "skip - $f (return (vcl(LABEL)) compiles only once the label exists)"
			continue
		fi
		# -C writes the compiled C to stderr; an error is the exit status and varnishd's message.
		if err=$(varnishd -C -f "$(realpath "$f")" 2>&1 >/dev/null); then
			passed=$((passed + 1)); echo "ok   - $f"
		else
			failed=$((failed + 1)); echo "FAIL - $f"; head -20 <<<"$err" | sed 's/^/    /'
		fi
	done < <(find "$dir" -name '*.vcl' -not -path '*/bad/*' | sort)
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
