#!/usr/bin/env bash
# autotools_vmod_test.sh -- a vmod's own autotools build against an installed vdisim, as
# a Varnish vmod author runs it: `cmake --install` this build into a temporary prefix,
# then in a copy of examples/vmods/resolv
#   PKG_CONFIG_PATH=<prefix>/lib/pkgconfig ACLOCAL_PATH=<prefix>/share/aclocal
#   ./bootstrap && ./configure && make
# out of tree (VPATH), once as shipped and once with --enable-resolv-bug. Checks that
# configure finds Varnish 8.0.0 through varnishapi.pc, that make runs vdisim's vmodtool
# and builds libvmod_resolv.so exporting Vmod_resolv_Data (nm -D) with VRT_* left
# undefined (simrun resolves them when it dlopen()s the vmod), and that the bug switch
# reaches config.h. Nothing is written into the source tree.
# Usage: autotools_vmod_test.sh BUILD_DIR [CC]
set -uo pipefail
build=$1
export CC=${2:-cc}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../install_lib.sh"

install_vdisim "$build"
prefix=$tmp/prefix
for f in lib/pkgconfig/varnishapi.pc share/aclocal/varnish.m4 share/vdisim/vmodtool.py \
	 share/vdisim/vsctool.py share/vdisim/vcc2if_lib/descriptor.py; do
	if [ -e "$prefix/$f" ]; then ok "installed $f"; else fail "installed $f"; fi
done
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig ACLOCAL_PATH=$prefix/share/aclocal
unset VARNISHAPI_CFLAGS VARNISHAPI_LIBS PKG_CONFIG_LIBDIR

if out=$(pkg-config --modversion varnishapi 2>&1) && [ "$out" = 8.0.0 ] &&
   [ "$(pkg-config --variable=vmodtool varnishapi)" = "$prefix/share/vdisim/vmodtool.py" ]; then
	ok "pkg-config varnishapi: version 8.0.0, vmodtool in the prefix"
else
	fail "pkg-config varnishapi: version 8.0.0, vmodtool in the prefix" "$out"
fi

# What git sees in the example before and after: the test must not write there.
tree_state() { (cd "$here/resolv" && git status --porcelain --ignored . 2>/dev/null); }
before=$(tree_state)
src=$tmp/resolv
cp -r "$here/resolv" "$src"
step "bootstrap"
if out=$(cd "$src" && ./bootstrap 2>&1) && [ -x "$src/configure" ]; then
	ok "resolv: bootstrap (autoreconf with vdisim's varnish.m4)"
else
	fail "resolv: bootstrap (autoreconf with vdisim's varnish.m4)" "$out"
	finish
	exit
fi

# autotools_build LABEL DIR [configure args...]: configure and make in DIR (out of tree).
autotools_build() {
	local label=$1 dir=$2 so
	shift 2
	step "$label"
	mkdir -p "$dir"
	# One configure cache for both builds: the second configure takes seconds.
	if out=$(cd "$dir" && "$src/configure" --cache-file="$tmp/config.cache" "$@" 2>&1) &&
	   grep -q "checking for Varnish... 8.0.0" <<<"$out"; then
		ok "$label: configure finds Varnish 8.0.0 (vdisim)"
	else
		fail "$label: configure finds Varnish 8.0.0 (vdisim)" "$out"
		return 1
	fi
	if out=$(make -C "$dir" -j2 2>&1) && grep -q VMODTOOL <<<"$out"; then
		ok "$label: make runs vmodtool and builds"
	else
		fail "$label: make runs vmodtool and builds" "$out"
		return 1
	fi
	so=$dir/src/.libs/libvmod_resolv.so
	if nm -D --defined-only "$so" 2>&1 | grep -qE ' [DR] Vmod_resolv_Data$'; then
		ok "$label: libvmod_resolv.so exports Vmod_resolv_Data"
	else
		fail "$label: libvmod_resolv.so exports Vmod_resolv_Data" "$(nm -D "$so" 2>&1)"
	fi
	if nm -D --undefined-only "$so" | grep -q ' U VRT_new_backend$'; then
		ok "$label: VRT_new_backend left for the loader (undefined)"
	else
		fail "$label: VRT_new_backend left for the loader (undefined)" "$(nm -D "$so" 2>&1)"
	fi
}

autotools_build "resolv as shipped" "$tmp/b-ok" &&
	if ! grep -q '^#define RESOLV_BUG' "$tmp/b-ok/config.h"; then
		ok "as shipped: no RESOLV_BUG"
	else
		fail "as shipped: no RESOLV_BUG"
	fi
autotools_build "resolv --enable-resolv-bug" "$tmp/b-bug" --enable-resolv-bug &&
	if grep -q '^#define RESOLV_BUG 1' "$tmp/b-bug/config.h"; then
		ok "--enable-resolv-bug: RESOLV_BUG in config.h"
	else
		fail "--enable-resolv-bug: RESOLV_BUG in config.h"
	fi
if [ "$(tree_state)" = "$before" ]; then
	ok "nothing written into examples/vmods/resolv"
else
	fail "nothing written into examples/vmods/resolv" "$(tree_state)"
fi
finish
