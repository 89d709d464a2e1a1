#!/usr/bin/env bash
# autotools_vmod_test.sh -- a vmod's own autotools build against an installed vdisim, run
# by `vdisim check-vmod` as a vmod author runs it: `cmake --install` this build into a
# temporary prefix, then from examples/vmods/resolv (autotools: bootstrap, configure.ac,
# Makefile.am) `vdisim check-vmod . --scenarios scenarios`, once as shipped (exit 0) and
# once with `-- --enable-resolv-bug` (exit 1, the A8 found by the lifecycle suite and the
# scenario, with repro lines that rerun it). Checks that configure finds Varnish 8.0.0
# through varnishapi.pc, that make ran vdisim's vmodtool and built libvmod_resolv.so
# exporting Vmod_resolv_Data (nm -D) with VRT_* left undefined, that the bug switch
# reached config.h, that AC_CHECK_DECLS works with varnishapi's Cflags (they declare no
# libc function by themselves), that the JSON report says the same, that bad input exits 2, and that
# nothing is written into the checkout.
# Usage: autotools_vmod_test.sh BUILD_DIR [CC]
set -uo pipefail
build=$1
export CC=${2:-cc}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../install_lib.sh"

install_vdisim "$build"
prefix=$tmp/prefix
for f in bin/vdisim bin/vdisim-vmod-suite lib/pkgconfig/varnishapi.pc share/aclocal/varnish.m4 share/vdisim/vmodtool.py \
	 share/vdisim/vsctool.py share/vdisim/vcc2if_lib/descriptor.py; do
	if [ -e "$prefix/$f" ]; then ok "installed $f"; else fail "installed $f"; fi
done
# check-vmod sets PKG_CONFIG_PATH and ACLOCAL_PATH itself; here only for this check.
unset VARNISHAPI_CFLAGS VARNISHAPI_LIBS PKG_CONFIG_LIBDIR PKG_CONFIG_PATH ACLOCAL_PATH
pc() { PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config "$@"; }
if out=$(pc --modversion varnishapi 2>&1) && [ "$out" = 8.0.0 ] &&
   [ "$(pc --variable=vmodtool varnishapi)" = "$prefix/share/vdisim/vmodtool.py" ]; then
	ok "pkg-config varnishapi: version 8.0.0, vmodtool in the prefix"
else
	fail "pkg-config varnishapi: version 8.0.0, vmodtool in the prefix" "$out"
fi

# What git sees in the example before and after: the test must not write there.
tree_state() { (cd "$here/resolv" && git status --porcelain --ignored . 2>/dev/null); }
before=$(tree_state)
vdisim=$prefix/bin/vdisim

# check LABEL WORK EXPECTED_EXIT [-- configure args]: vdisim check-vmod from the checkout.
check() {
	local label=$1 work=$2 want=$3 rc
	shift 3
	step "$label"
	out=$(cd "$here/resolv" && "$vdisim" check-vmod --cases 100 --jobs 2 --scenarios scenarios \
		--work-dir "$work" --keep "$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$label: vdisim check-vmod exits $want"; else fail "$label: exit $rc, not $want" "$out"; fi
	expect_no_memory_error "$label" "$(cat "$work"/logs/*.log)"
	if grep -q "checking for Varnish... 8.0.0" "$work/logs/build.log" &&
	   grep -q VMODTOOL "$work/logs/build.log"; then
		ok "$label: configure finds Varnish 8.0.0 (vdisim), make runs vmodtool"
	else
		fail "$label: configure finds Varnish 8.0.0 (vdisim), make runs vmodtool" "$(cat "$work/logs/build.log")"
	fi
	so=$work/src/src/.libs/libvmod_resolv.so
	# Read whole, then searched: `nm | grep -q` fails under pipefail when grep stops
	# first and nm gets SIGPIPE (it did under Valgrind).
	local defined undefined
	defined=$(nm -D --defined-only "$so" 2>&1)
	undefined=$(nm -D --undefined-only "$so" 2>&1)
	if grep -qE ' [DR] Vmod_resolv_Data$' <<<"$defined" && grep -q ' U VRT_new_backend$' <<<"$undefined"; then
		ok "$label: libvmod_resolv.so exports Vmod_resolv_Data, leaves VRT_new_backend to the loader"
	else
		fail "$label: libvmod_resolv.so exports Vmod_resolv_Data, leaves VRT_new_backend to the loader" \
			"$(nm -D "$so" 2>&1)"
	fi
	if python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(not (
		r["schema"] == "vdisim-check-vmod/1" and r["exit"] == int(sys.argv[2]) and
		r["build"]["built"] == ["resolv"] and r["vmods"][0]["tests"] >= 1 and len(r["scenarios"]) == 1))' \
		"$work/report/check-vmod.json" "$want"; then
		ok "$label: JSON report (schema, exit, vmod, scenario)"
	else
		fail "$label: JSON report (schema, exit, vmod, scenario)" "$(cat "$work/report/check-vmod.json")"
	fi
}

# As shipped, under a launcher that records what it runs (and runs it under
# $VDISIM_TEST_LAUNCHER when scripts/test --memcheck set one).
launched=$tmp/launched.log
check "resolv as shipped" "$tmp/ok" 0 --launcher "$here/../record_launch.sh $launched ${VDISIM_TEST_LAUNCHER:-}" &&
	if ! grep -q '^#define RESOLV_BUG' "$tmp/ok/src/config.h" && grep -q "^PASS" <<<"$out"; then
		ok "as shipped: no RESOLV_BUG, PASS"
	else
		fail "as shipped: no RESOLV_BUG, PASS" "$out"
	fi
# Each line: what the recorder ran (after the VDISIM_TEST_LAUNCHER it passes on, if any).
if grep -q "^\(${VDISIM_TEST_LAUNCHER:-} \)\?$prefix/bin/vdisim-vmod-suite --vmod .*libvmod_resolv.so" "$launched" &&
   grep -q "^\(${VDISIM_TEST_LAUNCHER:-} \)\?$prefix/bin/simrun --vmod .*libvmod_resolv.so .*dns.yaml" "$launched"; then
	ok "--launcher: the suite and simrun ran under it"
else
	fail "--launcher: the suite and simrun ran under it" "$(cat "$launched" 2>&1)"
fi
if grep -q '^#define HAVE_DECL_VRT_DIRECTORRESOLVE 1' "$tmp/ok/src/config.h" &&
   grep -q '^#define HAVE_DECL_VRT_ASSIGN_BACKEND 1' "$tmp/ok/src/config.h"; then
	ok "as shipped: AC_CHECK_DECLS with varnishapi's Cflags finds VRT_DirectorResolve, VRT_Assign_Backend"
else
	fail "as shipped: AC_CHECK_DECLS with varnishapi's Cflags finds VRT_DirectorResolve, VRT_Assign_Backend" \
		"$(grep -n HAVE_DECL "$tmp/ok/src/config.h")"
fi
check "resolv -- --enable-resolv-bug" "$tmp/bug" 1 -- --enable-resolv-bug
if grep -q '^#define RESOLV_BUG 1' "$tmp/bug/src/config.h"; then
	ok "--enable-resolv-bug: RESOLV_BUG in config.h"
else
	fail "--enable-resolv-bug: RESOLV_BUG in config.h"
fi
if grep -qE "FAIL VmodAnyObject.resolv_director[^:]*: Failure: A8 " <<<"$out" &&
   grep -qE "Reproduce: RC_PARAMS=\S+ $prefix/bin/vdisim-vmod-suite --vmod $tmp/bug/src/src/.libs/libvmod_resolv.so" <<<"$out" &&
   grep -qE "scenario .*dns.yaml: 10 seeds, 0 passed, 10 failed; rules violated: A8 x10" <<<"$out"; then
	ok "--enable-resolv-bug: the suite and the scenario find A8, with repro lines"
else
	fail "--enable-resolv-bug: the suite and the scenario find A8, with repro lines" "$out"
fi
# The scenario's repro line reruns the failure: same rule, exit 1.
repro=$(grep -m1 -oE "repro: $prefix/bin/simrun --vmod .*" <<<"$out" | sed 's/^repro: //')
if [ -n "$repro" ] && rout=$($repro 2>&1); [ $? -eq 1 ] && grep -q "rules violated: A8" <<<"$rout"; then
	ok "the scenario's repro line reruns the A8"
else
	fail "the scenario's repro line reruns the A8 ($repro)" "$rout"
fi

step "bad input"
if out=$("$vdisim" check-vmod "$tmp/none" 2>&1); [ $? -eq 2 ] && grep -q "no such directory" <<<"$out"; then
	ok "a missing checkout: exit 2"
else
	fail "a missing checkout: exit 2" "$out"
fi
mkdir -p "$tmp/empty"
if out=$("$vdisim" check-vmod "$tmp/empty" --work-dir "$tmp/w-empty" 2>&1); [ $? -eq 2 ] &&
   grep -q "neither configure.ac nor CMakeLists.txt" <<<"$out"; then
	ok "a folder without a build: exit 2"
else
	fail "a folder without a build: exit 2" "$out"
fi
if out=$("$vdisim" check-vmod "$here/resolv" --vmods resolv,nonesuch 2>&1); [ $? -eq 2 ] &&
   grep -q "no .vcc declares nonesuch (the checkout has: resolv)" <<<"$out"; then
	ok "--vmods naming no vmod of the checkout: exit 2"
else
	fail "--vmods naming no vmod of the checkout: exit 2" "$out"
fi
if out=$("$vdisim" check-vmod "$here/resolv" --cases 0 2>&1); [ $? -eq 2 ] && grep -q "cases" <<<"$out"; then
	ok "--cases 0: exit 2"
else
	fail "--cases 0: exit 2" "$out"
fi

if [ "$(tree_state)" = "$before" ]; then
	ok "nothing written into examples/vmods/resolv"
else
	fail "nothing written into examples/vmods/resolv" "$(tree_state)"
fi
finish
