# install_lib.sh -- steps shared by vdisim's install tests (sourced by
# examples/install_test.sh and examples/vmods/install_vmods_test.sh): tallies, installing
# a vdisim build into a temporary prefix, building a vmod project against it, and the
# checks that a vmod's ctest passes as shipped and fails, naming a rule, with its bug.
# Expects: set -uo pipefail; sets $tmp (removed on exit), $passed, $failed.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && tail -n 60 <<<"$2" | sed 's/^/    /'; }
step() { echo "== $1 ($(date +%T))"; }
# Exit status of the whole script: 0 iff nothing failed.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# install_vdisim BUILD_DIR: cmake --install into $tmp/prefix and check the files a vmod
# author's build needs. Exits on a failed install.
install_vdisim() {
	local build=$1 out f
	step "install into $tmp/prefix"
	if out=$(cmake --install "$build" --prefix "$tmp/prefix" 2>&1); then
		ok "cmake --install"
	else
		fail "cmake --install" "$out"
		exit 1
	fi
	for f in bin/simrun bin/vdisim-vmod-suite bin/vdisim-vcc2if include/vdisim/vrt/vrt.h include/vdisim/vrt/cache/cache.h \
		 include/vdisim/sim/runner/vmod_registry.hpp lib/cmake/vdisim/vdisimConfig.cmake \
		 lib/cmake/vdisim/VdisimVmodTest.cmake; do
		if [ -e "$tmp/prefix/$f" ]; then ok "installed $f"; else fail "installed $f"; fi
	done
}

# configure_build SRC_DIR BUILD_DIR [cmake args...]: against $tmp/prefix with $cc/$cxx.
configure_build() {
	local src=$1 dir=$2
	shift 2
	cmake -S "$src" -B "$dir" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" "$@" 2>&1 &&
		cmake --build "$dir" -j2 2>&1
}

# run_ctest DIR: sets $out (the output) and $rc. Extra ctest arguments (e.g. -E REGEX)
# come from the array ctest_extra, empty unless the caller sets it.
# expect_no_memory_error LABEL TEXT: under a VDISIM_TEST_LAUNCHER (scripts/test
# --memcheck), a line Valgrind wrote in TEXT fails the check, also where the test itself
# is meant to fail. Without a launcher there is nothing to check.
expect_no_memory_error() {
	[ -n "${VDISIM_TEST_LAUNCHER:-}" ] || return 0
	local errors
	errors=$(grep -E '^==[0-9]+== ' <<<"$2")
	if [ -n "$errors" ]; then
		fail "$1: no memory error under $VDISIM_TEST_LAUNCHER" "$errors"
	else
		ok "$1: no memory error under $VDISIM_TEST_LAUNCHER"
	fi
}

ctest_extra=()
run_ctest() {
	out=$(cd "$1" && ctest --output-on-failure -j2 "${ctest_extra[@]}" 2>&1)
	rc=$?
	expect_no_memory_error "$1" "$out"
}

# vmod_as_shipped LABEL SRC_DIR BUILD_DIR NTESTS: builds, and all NTESTS tests pass.
# Returns 1 if it does not build.
vmod_as_shipped() {
	local label=$1 src=$2 dir=$3 n=$4
	step "$label as shipped"
	if out=$(configure_build "$src" "$dir"); then
		ok "$label configures and builds"
	else
		fail "$label configures and builds" "$out"
		return 1
	fi
	run_ctest "$dir"
	if [ $rc -eq 0 ] && grep -q "100% tests passed, 0 tests failed out of $n" <<<"$out"; then
		ok "$label ctest passes ($n tests)"
	else
		fail "$label ctest passes ($n tests, exit $rc)" "$out"
	fi
}

# vmod_with_bug LABEL SRC_DIR BUILD_DIR OPTION: builds with -DOPTION=ON and runs ctest,
# which must fail; leaves its output in $out for the checks below. Returns 1 if it does
# not build.
vmod_with_bug() {
	local label=$1 src=$2 dir=$3 opt=$4
	step "$label with $opt=ON"
	if out=$(configure_build "$src" "$dir" "-D$opt=ON"); then
		ok "buggy $label builds"
	else
		fail "buggy $label builds" "$out"
		return 1
	fi
	run_ctest "$dir"
	echo "$out" | grep -E "^(rules violated|  repro:|Reproduce:|Failure:|artifacts:|[0-9]+% tests)" | head -20
	if [ $rc -ne 0 ]; then ok "buggy $label: ctest fails"; else fail "buggy $label: ctest fails" "$out"; fi
}

# expect_scenario_caught LABEL RULE SO SCENARIO_STEM: in $out, the scenario test names
# RULE and prints a repro line that runs the installed simrun with the vmod's .so (SO,
# libvmod_NAME.so as vdisim_add_vmod_test built it) on that scenario.
expect_scenario_caught() {
	local label=$1 rule=$2 so=$3 stem=$4
	if grep -q "^rules violated: $rule" <<<"$out"; then
		ok "$label: scenario names rule $rule"
	else
		fail "$label: scenario names rule $rule" "$out"
	fi
	if grep -q "  repro: $tmp/prefix/bin/simrun --vmod $so .*scenarios/$stem.yaml --seed [0-9]*" <<<"$out"; then
		ok "$label: scenario failure has a repro command: simrun --vmod $(basename "$so")"
	else
		fail "$label: scenario failure has a repro command: simrun --vmod $(basename "$so")" "$out"
	fi
}

# expect_lifecycle_caught LABEL RULE SO: in $out, the lifecycle property names RULE and
# prints a Reproduce line that runs the installed vdisim-vmod-suite with the vmod's .so.
expect_lifecycle_caught() {
	local label=$1 rule=$2 so=$3
	if grep -q "^Failure: $rule at " <<<"$out"; then
		ok "$label: lifecycle property names rule $rule"
	else
		fail "$label: lifecycle property names rule $rule" "$out"
	fi
	if grep -q "Reproduce: RC_PARAMS=\".*\" $tmp/prefix/bin/vdisim-vmod-suite --vmod $so --gtest_filter=" <<<"$out"; then
		ok "$label: lifecycle failure has a repro command: vdisim-vmod-suite --vmod $(basename "$so")"
	else
		fail "$label: lifecycle failure has a repro command: vdisim-vmod-suite --vmod $(basename "$so")" "$out"
	fi
}
