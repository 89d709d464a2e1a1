#!/usr/bin/env bash
# symbol_holes.sh -- every function and variable the fake VRT's public headers declare
# (include/*.h, cache/, vapi/, common/, waiter/, proxy/) must be defined by the libraries a vmod
# links (vdisim_vrt, vdisim_vrt_c): a vmod that compiles must also link.
# Usage: symbol_holes.sh CC NM INCLUDE_DIR LIB...
# Declarations come from the compiler (gcc -aux-info lists every prototype with its file;
# `extern` variables from the preprocessed headers), definitions from nm.
set -uo pipefail
cc=$1 nm=$2 inc=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
	echo '#include "cache/cache.h"'
	for h in "$inc"/*.h "$inc"/cache/*.h "$inc"/vapi/*.h "$inc"/common/*.h "$inc"/waiter/*.h "$inc"/proxy/*.h; do
		[ -f "$h" ] || continue
		rel=${h#"$inc"/}
		case $rel in vdisim_vsplay.h) continue ;; esac  # included by vtree.h
		echo "#include \"$rel\""
	done
} >"$tmp/all.c"

if ! "$cc" -std=gnu11 -D_GNU_SOURCE -I"$inc" -aux-info "$tmp/all.aux" -fsyntax-only "$tmp/all.c" 2>"$tmp/cc.err"; then
	echo "FAIL: the headers do not compile together:"; cat "$tmp/cc.err"; exit 1
fi
# Prototypes declared in our headers (not static inline, not libc's).
grep -F "/* $inc/" "$tmp/all.aux" | grep -v ' static ' | sed -E 's|^/\* [^*]*\*/ *||' |
	grep -oE '[A-Za-z_][A-Za-z0-9_]* \(' | sed 's/ (//' | sort -u >"$tmp/functions"
# extern variables declared in our headers.
"$cc" -std=gnu11 -D_GNU_SOURCE -I"$inc" -E "$tmp/all.c" | awk -v inc="$inc/" '
	/^# [0-9]+ "/ { f = $3; gsub(/"/, "", f); ours = index(f, inc) == 1; next }
	ours && /^ *extern / && !/\(/ { print }' |
	grep -oE '[A-Za-z_][A-Za-z0-9_]* *(\[[^]]*\])? *;' | sed -E 's/ *(\[[^]]*\])? *;//' | sort -u >"$tmp/variables"
"$nm" -g --defined-only "$@" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/defined"

# Function types (typedef void f(...)) are not declarations of functions.
"$cc" -std=gnu11 -D_GNU_SOURCE -I"$inc" -E "$tmp/all.c" | tr '\n' ' ' | tr ';' '\n' |
	grep -E '^ *typedef ' | grep -oE '\(? *\*? *[A-Za-z_][A-Za-z0-9_]* *\)? *\(' |
	grep -oE '[A-Za-z_][A-Za-z0-9_]*' | sort -u >"$tmp/typedefs"
echo void >>"$tmp/typedefs"
# Defined by the program itself: vapi/voptget.h defines vopt_spec in the file that sets
# VOPT_DEFINITION (a log tool's option table), as Varnish's does.
echo vopt_spec >>"$tmp/typedefs"
cat "$tmp/functions" "$tmp/variables" | sort -u | comm -23 - "$tmp/defined" |
	grep -vxF -f "$tmp/typedefs" >"$tmp/holes"
nf=$(wc -l <"$tmp/functions") nv=$(wc -l <"$tmp/variables") nh=$(wc -l <"$tmp/holes")
echo "declared: $nf functions, $nv variables; defined by none of the libraries: $nh"
if [ "$nf" -lt 300 ]; then
	echo "FAIL: only $nf functions found: the declaration scan is broken"; exit 1
fi
if [ "$nh" -ne 0 ]; then
	sed 's/^/  hole: /' "$tmp/holes"; exit 1
fi
echo "ok: zero holes"
