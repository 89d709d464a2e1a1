#!/usr/bin/env bash
# vcl_files_test.sh -- scenarios whose VCL is a .vcl file (scenario-format.md "VCL files").
#   files DIR: every DIR/*.yaml passes (exit 0); rr_probes.vcl's ignored parts are listed
#     once on stderr and in the JSON report; every DIR/bad/*.vcl, loaded as the boot
#     VCL of a one-line scenario, is refused before any run with exit 2 and the error its
#     first line announces ("# error: LINE:COL: message", compared as a prefix of
#     "FILE.vcl:LINE:COL: message").
#   same-digest DIR: every DIR/NAME_yaml.yaml (the VCL written in YAML) gives the run
#     digests of DIR/NAME.yaml (the VCL read from its .vcl file), seed by seed.
# Usage: vcl_files_test.sh SIMRUN files|same-digest DIR
set -uo pipefail
simrun=$1
mode=$2
dir=$(cd "$3" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../../../scripts/tests/tally.sh"

digests() {  # the runs' digests of a --json report, one per line, in seed order
	python3 -c 'import json, sys
for r in sorted(json.load(open(sys.argv[1]))["runs"], key=lambda r: r["seed"]): print(r["seed"], r["digest"])' "$1"
}

if [ "$mode" = files ]; then
	for f in "$dir"/*.yaml; do
		out=$("$simrun" "$f" --quiet --jobs 2 2>&1)
		rc=$?
		if [ $rc -eq 0 ]; then ok "$(basename "$f") passes"; else fail "$(basename "$f") passes (exit $rc)" "$out"; fi
	done
	# What the VCL does not model is listed once, on stderr and in the JSON report.
	err=$("$simrun" "$dir/rr_probes.yaml" --quiet --jobs 2 --json "$tmp/r.json" 2>&1 >/dev/null)
	n=$(grep -c 'sub vcl_deliver' <<<"$err")
	in_json=$(python3 -c 'import json, sys
print(sum(i["what"] == "sub vcl_deliver" for i in json.load(open(sys.argv[1])).get("vcl_ignored", [])))' "$tmp/r.json")
	if [ "$n" = 1 ] && [ "$in_json" = 1 ]; then ok "rr_probes.vcl: ignored parts listed once (stderr, JSON)"
	else fail "rr_probes.vcl: ignored parts listed once (stderr $n, JSON $in_json)" "$err"; fi
	for f in "$dir"/bad/*.vcl; do  # each the boot VCL of a one-line scenario
		printf 'run: {duration: 1s}\nvcls: [{name: boot, file: "%s"}]\n' "$f" >"$tmp/s.yaml"
		expect_refused "$simrun" "$f" "$tmp/s.yaml"
	done
elif [ "$mode" = same-digest ]; then
	for y in "$dir"/*_yaml.yaml; do
		v=${y%_yaml.yaml}.yaml
		"$simrun" "$v" --quiet --jobs 2 --json "$tmp/vcl.json" >/dev/null 2>&1
		"$simrun" "$y" --quiet --jobs 2 --json "$tmp/yaml.json" >/dev/null 2>&1
		a=$(digests "$tmp/vcl.json")
		b=$(digests "$tmp/yaml.json")
		if [ -n "$a" ] && [ "$a" = "$b" ]; then
			ok "$(basename "$v") and $(basename "$y") have the same digests"
		else
			fail "$(basename "$v") and $(basename "$y") have the same digests" "$(diff <(echo "$a") <(echo "$b"))"
		fi
	done
else
	echo "usage: $0 SIMRUN files|same-digest DIR" >&2
	exit 2
fi

finish
