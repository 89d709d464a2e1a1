#!/usr/bin/env bash
# install_test.sh -- vdisim as a vmod author gets it: `cmake --install` this build into a
# temporary prefix, configure and build examples/out-of-tree-vmod against it with
# find_package(vdisim), and run its ctest twice:
#   1. as shipped: every test passes;
#   2. with -DMYDIR_LIFECYCLE_BUG=ON: the scenarios and the lifecycle property fail, each
#      naming the VRT rule, with a repro command, and the JSON report and Perfetto trace
#      of the failure are left as artifacts.
# Usage: install_test.sh BUILD_DIR EXAMPLE_DIR [CC] [CXX]
set -uo pipefail
build=$1
example=$2
cc=${3:-cc}
cxx=${4:-c++}
. "$(dirname "$0")/install_lib.sh"

install_vdisim "$build"
vmod_as_shipped example "$example" "$tmp/ok" 3 || exit 1
# VDISIM_TEST_LAUNCHER and VDISIM_TEST_TIMEOUT_FACTOR (cache variables of
# vdisim_add_vmod_test): every test runs under the launcher, with its timeout times 3.
if out=$(cmake -S "$example" -B "$tmp/ok" -DVDISIM_TEST_LAUNCHER="$(dirname "$0")/record_launch.sh $tmp/launched.log" \
	-DVDISIM_TEST_TIMEOUT_FACTOR=3 2>&1) &&
   out=$(cd "$tmp/ok" && ctest --show-only=json-v1) &&
   python3 -c 'import json,sys; t=json.loads(sys.argv[1])["tests"]; sys.exit(not (len(t) == 3 and all(
	x["command"][0].endswith("/record_launch.sh") and x["command"][1] == sys.argv[2] and
	{p["name"]: p["value"] for p in x["properties"]}["TIMEOUT"] == (5400 if x["name"].endswith(".lifecycle") else 2700)
	for x in t)))' "$out" "$tmp/launched.log"; then
	ok "VDISIM_TEST_LAUNCHER, VDISIM_TEST_TIMEOUT_FACTOR=3: every test under the launcher, 3 times its timeout"
else
	fail "VDISIM_TEST_LAUNCHER, VDISIM_TEST_TIMEOUT_FACTOR=3: every test under the launcher, 3 times its timeout" "$out"
fi
if out=$(cmake -S "$example" -B "$tmp/ok" -DVDISIM_TEST_TIMEOUT_FACTOR=slow 2>&1); then
	fail "VDISIM_TEST_TIMEOUT_FACTOR=slow: configure fails" "$out"
elif grep -q "VDISIM_TEST_TIMEOUT_FACTOR: 'slow' is not a positive integer" <<<"$out"; then
	ok "VDISIM_TEST_TIMEOUT_FACTOR=slow: configure fails naming it"
else
	fail "VDISIM_TEST_TIMEOUT_FACTOR=slow: configure fails naming it" "$out"
fi
vmod_with_bug example "$example" "$tmp/bug" MYDIR_LIFECYCLE_BUG || exit 1
if grep -q "0% tests passed, 3 tests failed out of 3" <<<"$out"; then
	ok "buggy example: all 3 tests fail"
else
	fail "buggy example: all 3 tests fail (exit $rc)" "$out"
fi
rule=A8  # release drops references it does not own: a backend is destroyed, then used
expect_scenario_caught example $rule "$tmp/bug/vdisim_mydir/libvmod_mydir.so" reload
expect_lifecycle_caught example $rule "$tmp/bug/vdisim_mydir/libvmod_mydir.so"
art=$tmp/bug/vdisim-artifacts/mydir.scenario.reload
if [ -s "$art/report.json" ] && ls "$art"/trace-seed*.json >/dev/null 2>&1 &&
   python3 -c "import json,sys,glob; json.load(open('$art/report.json')); json.load(open(glob.glob('$art/trace-seed*.json')[0]))"; then
	ok "JSON report and Perfetto trace of the failure are kept"
else
	fail "JSON report and Perfetto trace of the failure are kept" "$(ls -la "$art" 2>&1)"
fi
finish
