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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && tail -n 60 <<<"$2" | sed 's/^/    /'; }
step() { echo "== $1 ($(date +%T))"; }

step "install into $tmp/prefix"
if out=$(cmake --install "$build" --prefix "$tmp/prefix" 2>&1); then
	ok "cmake --install"
else
	fail "cmake --install" "$out"
	exit 1
fi
for f in bin/simrun bin/vdisim-vcc2if include/vdisim/vrt/vrt.h include/vdisim/vrt/cache/cache.h \
         include/vdisim/sim/runner/vmod_registry.hpp lib/cmake/vdisim/vdisimConfig.cmake \
         lib/cmake/vdisim/VdisimVmodTest.cmake; do
	if [ -e "$tmp/prefix/$f" ]; then ok "installed $f"; else fail "installed $f"; fi
done

configure_build() {  # DIR [cmake args...]
	local dir=$1
	shift
	cmake -S "$example" -B "$dir" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" "$@" 2>&1 &&
		cmake --build "$dir" -j2 2>&1
}

step "example as shipped"
if out=$(configure_build "$tmp/ok"); then ok "example configures and builds"; else fail "example configures and builds" "$out"; exit 1; fi
out=$(cd "$tmp/ok" && ctest --output-on-failure -j2 2>&1)
rc=$?
if [ $rc -eq 0 ] && grep -q "100% tests passed, 0 tests failed out of 3" <<<"$out"; then
	ok "example ctest passes (3 tests)"
else
	fail "example ctest passes (3 tests, exit $rc)" "$out"
fi

step "example with MYDIR_LIFECYCLE_BUG=ON"
if out=$(configure_build "$tmp/bug" -DMYDIR_LIFECYCLE_BUG=ON); then ok "buggy example builds"; else fail "buggy example builds" "$out"; exit 1; fi
out=$(cd "$tmp/bug" && ctest --output-on-failure -j2 2>&1)
rc=$?
echo "$out" | grep -E "^(rules violated|  repro:|Reproduce:|Failure:|artifacts:|[0-9]+% tests)" | head -20
if [ $rc -ne 0 ] && grep -q "0% tests passed, 3 tests failed out of 3" <<<"$out"; then
	ok "buggy example: all 3 tests fail"
else
	fail "buggy example: all 3 tests fail (exit $rc)" "$out"
fi
rule=A8  # release drops references it does not own: a backend is destroyed, then used
if grep -q "^rules violated: $rule" <<<"$out"; then ok "scenarios name rule $rule"; else fail "scenarios name rule $rule" "$out"; fi
if grep -q "  repro: $tmp/bug/mydir_simrun .*scenarios/reload.yaml --seed [0-9]* --strategy pct:3" <<<"$out"; then
	ok "scenario failure has a repro command with the vmod's simrun"
else
	fail "scenario failure has a repro command with the vmod's simrun" "$out"
fi
if grep -q "^Failure: $rule at " <<<"$out"; then
	ok "lifecycle property names rule $rule"
else
	fail "lifecycle property names rule $rule" "$out"
fi
if grep -q "Reproduce: RC_PARAMS=\".*\" $tmp/bug/mydir_property --gtest_filter=" <<<"$out"; then
	ok "lifecycle failure has a repro command with the vmod's property test"
else
	fail "lifecycle failure has a repro command with the vmod's property test" "$out"
fi
art=$tmp/bug/vdisim-artifacts/mydir.scenario.reload
if [ -s "$art/report.json" ] && ls "$art"/trace-seed*.json >/dev/null 2>&1 &&
   python3 -c "import json,sys,glob; json.load(open('$art/report.json')); json.load(open(glob.glob('$art/trace-seed*.json')[0]))"; then
	ok "JSON report and Perfetto trace of the failure are kept"
else
	fail "JSON report and Perfetto trace of the failure are kept" "$(ls -la "$art" 2>&1)"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
