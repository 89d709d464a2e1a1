#!/usr/bin/env bash
# vcc2if_test.sh -- checks scripts/vcc2if: the headers generated from sample.vcc and
# vcc/*.vcc have vmodtool's declarations, compile after cache/cache.h and match
# hand-written definitions (vcc/*_impl.c); the glue compiles; -o sets the output
# names; what vmodtool refuses gives "FILE:LINE: error" and exit 2, what only VCC
# would refuse a warning. $CXX (default c++) compiles the glue.
# Usage: vcc2if_test.sh [PYTHON] [VCC2IF] [FAKE_VRT_DIR] [CC]   (defaults: repo paths)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
python=${1:-python3}
vcc2if=${2:-$root/scripts/vcc2if}
vrt=${3:-$root/sim/fake_vrt}
cc=${4:-cc}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../../../scripts/tests/tally.sh"

# ---- generation ------------------------------------------------------------

if out=$("$python" "$vcc2if" --c-file "$vrt/tests/sample.vcc" "$tmp" 2>&1) &&
   [ -f "$tmp/vcc_sample_if.h" ] && [ -f "$tmp/vcc_sample_if.c" ]; then
	ok "sample.vcc generates vcc_sample_if.h and .c"
else
	fail "sample.vcc generates vcc_sample_if.h and .c" "$out"
fi
hdr=$tmp/vcc_sample_if.h

expect_line() {	# exact line present in the header
	if grep -qxF -- "$2" "$hdr"; then ok "$1"; else fail "$1" "missing line: $2"; fi
}

expect_line "VPFX macro" '#define VPFX(a) vmod_##a'
expect_line "VARGS macro" '#define VARGS(a) arg_vmod_sample_##a'
expect_line "VENUM macro" '#define VENUM(a) enum_vmod_sample_##a'
expect_line "event prototype" 'vmod_event_f VPFX(on_event);'
expect_line "object struct declared" 'struct VPFX(sample_pool);'
expect_line "valid_ flag for optional ctor arg" $'\tchar\t\t\tvalid_mode;'
expect_line "PRIV_TASK passed positionally" \
    '    struct VPFX(sample_pool) *, struct vmod_priv *, VCL_INT);'
expect_line "unnamed args are argN in VARGS" $'\tVCL_BACKEND\t\targ1;'
expect_line "function with optional arg takes VARGS" \
    'VCL_STRING vmod_describe(VRT_CTX, struct VARGS(describe)*);'
expect_line "plain function" 'VCL_BACKEND vmod_lookup(VRT_CTX, VCL_STRING);'
expect_line "no-arg function" 'VCL_VOID vmod_nothing(VRT_CTX);'

enums=$(grep '^extern VCL_ENUM VENUM(' "$hdr" | tr '\n' ' ')
want='extern VCL_ENUM VENUM(ALL); extern VCL_ENUM VENUM(CHOSEN); extern VCL_ENUM VENUM(FIRST); extern VCL_ENUM VENUM(LONG); extern VCL_ENUM VENUM(NEXT); extern VCL_ENUM VENUM(RANDOM); extern VCL_ENUM VENUM(SHORT); '
if [ "$enums" = "$want" ]; then ok "ENUM values declared once, sorted"; else fail "ENUM values declared once, sorted" "$enums"; fi

# ---- the header compiles and its prototypes match real definitions ----------

cat >"$tmp/impl.c" <<'EOF'
#include "cache/cache.h"
#include "vcc_sample_if.h"

struct vmod_sample_pool { unsigned magic; };

int vmod_on_event(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e e)
{ (void)ctx; (void)priv; (void)e; return (0); }

VCL_VOID vmod_pool__init(VRT_CTX, struct vmod_sample_pool **pp,
    const char *vcl_name, struct arg_vmod_sample_pool__init *a)
{ (void)ctx; (void)pp; (void)vcl_name; (void)a->valid_mode; (void)a->sticky;
  (void)a->mode; }
VCL_VOID vmod_pool__fini(struct vmod_sample_pool **pp) { (void)pp; }
VCL_VOID vmod_pool_add_backend(VRT_CTX, struct vmod_sample_pool *p,
    VCL_BACKEND be, VCL_REAL w) { (void)ctx; (void)p; (void)be; (void)w; }
VCL_VOID vmod_pool_remove_backend(VRT_CTX, struct vmod_sample_pool *p,
    struct arg_vmod_sample_pool_remove_backend *a)
{ (void)ctx; (void)p; (void)a->valid_all; (void)a->arg1; (void)a->all; }
VCL_BACKEND vmod_pool_backend(VRT_CTX, struct vmod_sample_pool *p,
    struct arg_vmod_sample_pool_backend *a)
{ (void)ctx; (void)p; (void)a->valid_key; (void)a->valid_healthy;
  (void)a->valid_rampup; (void)a->key; (void)a->healthy; (void)a->rampup;
  return (NULL); }
VCL_BOOL vmod_pool_reconfigure(VRT_CTX, struct vmod_sample_pool *p,
    struct vmod_priv *task, VCL_INT replicas)
{ (void)ctx; (void)p; (void)task; (void)replicas; return (1); }
VCL_STRING vmod_describe(VRT_CTX, struct arg_vmod_sample_describe *a)
{ (void)ctx; return (a->valid_limit ? a->detail : VENUM(SHORT)); }
VCL_BACKEND vmod_lookup(VRT_CTX, VCL_STRING s) { (void)ctx; (void)s; return (NULL); }
VCL_VOID vmod_nothing(VRT_CTX) { (void)ctx; }
EOF
for std in gnu11 c11; do
	if out=$("$cc" -std=$std -D_GNU_SOURCE -fsyntax-only -Wall -Wextra -Werror \
	    -I "$vrt/include" -I "$tmp" "$tmp/impl.c" 2>&1); then
		ok "generated header compiles and matches definitions (-std=$std)"
	else
		fail "generated header compiles and matches definitions (-std=$std)" "$out"
	fi
done
if out=$("$cc" -fsyntax-only -Wall -Werror -I "$vrt/include" -I "$tmp" \
    "$tmp/vcc_sample_if.c" 2>&1); then
	ok "--c-file output compiles"
else
	fail "--c-file output compiles" "$out"
fi

# ---- $Prefix ----------------------------------------------------------------

mkdir -p "$tmp/pfx"
printf '%s\n' '$Module pre 3 "prefixed"' '$Prefix xyz' \
    '$Object thing([STRING s])' '$Method INT .get()' \
    '$Function VOID f(PRIV_VCL)' >"$tmp/pfx/pre.vcc"
"$python" "$vcc2if" "$tmp/pfx/pre.vcc" "$tmp/pfx" >/dev/null 2>&1
if grep -qxF '#define VPFX(a) xyz_##a' "$tmp/pfx/vcc_pre_if.h" &&
   grep -qxF 'VCL_INT xyz_thing_get(VRT_CTX, struct VPFX(pre_thing) *);' "$tmp/pfx/vcc_pre_if.h" &&
   grep -qxF 'VCL_VOID xyz_f(VRT_CTX, struct vmod_priv *);' "$tmp/pfx/vcc_pre_if.h" &&
   grep -qF 'struct VARGS(thing__init) {' "$tmp/pfx/vcc_pre_if.h"; then
	ok "\$Prefix renames functions, objects keep module in struct name"
else
	fail "\$Prefix renames functions, objects keep module in struct name" \
	    "$(cat "$tmp/pfx/vcc_pre_if.h" 2>&1)"
fi

# ---- vmodtool's grammar: tests/vcc/*.vcc ------------------------------------
# Each NAME.vcc with a NAME_impl.c: the header must declare exactly what the
# hand-written definitions define (-Wmissing-prototypes catches a wrong name,
# a conflicting type any other difference), and the glue must compile.

cases=$vrt/tests/vcc
cxx=${CXX:-c++}
for impl in "$cases"/*_impl.c; do
	name=$(basename "$impl" _impl.c)
	d=$tmp/vcc_$name
	mkdir -p "$d"
	if ! out=$("$python" "$vcc2if" --c-file --glue "$cases/$name.vcc" "$d" 2>&1) || [ -n "$out" ]; then
		fail "vcc/$name.vcc generates without a warning" "$out"
		continue
	fi
	ok "vcc/$name.vcc generates without a warning"
	if out=$("$cc" -std=gnu11 -D_GNU_SOURCE -fsyntax-only -Wall -Wextra -Werror \
	    -Wmissing-prototypes -I "$vrt/include" -I "$d" "$impl" 2>&1) &&
	   out=$("$cc" -fsyntax-only -Wall -Werror -I "$vrt/include" -I "$d" "$d"/vcc_*_if.c 2>&1); then
		ok "vcc/$name: header and .c compile, prototypes match ${name}_impl.c"
	else
		fail "vcc/$name: header and .c compile, prototypes match ${name}_impl.c" "$out"
	fi
	if ! command -v "$cxx" >/dev/null; then
		echo "skip - vcc/$name glue ($cxx not found)"
	elif out=$("$cxx" -std=c++20 -fsyntax-only -Wall -Wextra -Werror -Wno-unused-parameter \
	    -I "$root" -I "$vrt/include" -I "$d" "$d"/vcc_*_glue.cpp 2>&1); then
		ok "vcc/$name: glue compiles"
	else
		fail "vcc/$name: glue compiles" "$out"
	fi
done

hdr=$tmp/vcc_all_types/vcc_types_if.h
expect_line "\$Prefix sets VPFX" '#define VPFX(a) tp_##a'
expect_line "\$Prefix and module name make VARGS" '#define VARGS(a) arg_tp_types_##a'
expect_line "\$Event declared with the prefix" 'vmod_event_f VPFX(on_load);'
expect_line "NULL_OK object struct" 'struct VPFX(types_holder);'
expect_line "name:cname: valid_ flag uses the C name" $'\tchar\t\t\tvalid_boolean;'
expect_line "unnamed PRIV_TASK in VARGS is argN" $'\tstruct vmod_priv *\targ6;'
if grep -q not_a_declaration "$hdr"; then
	fail "indented \$ text in documentation is not a stanza"
else
	ok "indented \$ text in documentation is not a stanza"
fi

hdr=$tmp/vcc_enums/vcc_enums_if.h
enums=$(grep '^extern VCL_ENUM VENUM(' "$hdr" | sed 's/.*VENUM(\(.*\));/\1/' | tr '\n' ' ')
if [ "$enums" = "Omega alpha beta delta epsilon gamma zeta " ]; then
	ok "quoted and unquoted ENUM values: one VENUM each, byte order"
else
	fail "quoted and unquoted ENUM values: one VENUM each, byte order" "$enums"
fi
glue=$tmp/vcc_enums/vcc_enums_glue.cpp
if grep -qF '{{"how", "ENUM", false, std::optional<std::string>("alpha"), {"alpha", "beta"}}}' "$glue" &&
   grep -qF '{{"by", "ENUM", false, std::optional<std::string>("gamma"), {"gamma", "delta"}}}' "$glue"; then
	ok "glue gets quoted ENUM defaults and values without their quotes"
else
	fail "glue gets quoted ENUM defaults and values without their quotes" "$(grep std::optional "$glue")"
fi

# $Alias declares nothing: the header equals that of the .vcc without them.
d=$tmp/vcc_aliases
mkdir -p "$d/plain"
grep -v '^\$Alias' "$cases/aliases.vcc" >"$d/plain/aliases.vcc"
if "$python" "$vcc2if" "$d/plain/aliases.vcc" "$d/plain" >/dev/null 2>&1 &&
   diff <(grep -v 'Edit .* and run' "$d/vcc_aliases_if.h") \
	<(grep -v 'Edit .* and run' "$d/plain/vcc_aliases_if.h") >/dev/null; then
	ok "\$Alias adds no declaration to the header"
else
	fail "\$Alias adds no declaration to the header" "$(diff "$d/vcc_aliases_if.h" "$d/plain/vcc_aliases_if.h")"
fi
if grep -qF 't.methods.push_back({"choose", "BACKEND", {}, pool_pick});' "$d/vcc_aliases_glue.cpp"; then
	ok "glue registers a method \$Alias under its alias name"
else
	fail "glue registers a method \$Alias under its alias name" "$(grep push_back "$d/vcc_aliases_glue.cpp")"
fi

# ---- -o / --output ----------------------------------------------------------

d=$tmp/out
mkdir -p "$d/sub"
"$python" "$vcc2if" --c-file --glue -o vcc_if "$cases/enums.vcc" "$d" >/dev/null 2>&1
if [ -f "$d/vcc_if.h" ] && [ -f "$d/vcc_glue.cpp" ] && grep -qxF '#include "vcc_if.h"' "$d/vcc_if.c" &&
   grep -qxF '#include "vcc_if.h"' "$d/vcc_glue.cpp" && [ ! -e "$d/vcc_enums_if.h" ]; then
	ok "-o vcc_if writes vcc_if.h, vcc_if.c and vcc_glue.cpp, which include vcc_if.h"
else
	fail "-o vcc_if writes vcc_if.h, vcc_if.c and vcc_glue.cpp, which include vcc_if.h" "$(ls "$d")"
fi
(cd "$d/sub" && "$python" "$vcc2if" --glue --output=mine "$cases/enums.vcc") >/dev/null 2>&1
if [ -f "$d/sub/mine.h" ] && [ -f "$d/sub/mine_glue.cpp" ]; then
	ok "--output=mine without OUTDIR writes ./mine.h and ./mine_glue.cpp"
else
	fail "--output=mine without OUTDIR writes ./mine.h and ./mine_glue.cpp" "$(ls "$d/sub")"
fi

# ---- errors -----------------------------------------------------------------

# bad_case NAME LINE VCC-TEXT: vcc2if must exit 2 and say "<file>:LINE: error"
bad_case() {
	local name=$1 line=$2 f="$tmp/bad_$1.vcc" out rc
	printf '%s\n' "$3" >"$f"
	out=$("$python" "$vcc2if" "$f" "$tmp" 2>&1)
	rc=$?
	if [ $rc -eq 2 ] && grep -qF "$f:$line: error" <<<"$out"; then
		ok "bad vcc ($name) -> exit 2, $line"
	else
		fail "bad vcc ($name) -> exit 2, $line" "rc=$rc: $out"
	fi
}

bad_case unknown_type 3 $'$Module m 3 "d"\n\n$Function FLOAT f()'
bad_case method_without_object 2 $'$Module m 3 "d"\n$Method VOID .m()'
bad_case optional_without_name 4 $'$Module m 3 "d"\n$Object o()\n# doc\n$Method VOID .m([INT])'
bad_case unbalanced 2 $'$Module m 3 "d"\n$Function VOID f(INT a,\n\tINT b\n\ntext'
bad_case no_module 1 $'$Function VOID f()'
bad_case garbage_after 2 $'$Module m 3 "d"\n$Function VOID f() junk'
bad_case unknown_directive 3 $'$Module m 3 "d"\n\n$Frobnicate x'
bad_case duplicate_arg 3 $'$Module m 3 "d"\n$Function VOID f(INT a,\n\tINT a)'
# vmodtool's grammar refuses these too.
bad_case module_too_short 1 $'$Module m 3'
bad_case indented_doc_line 2 $'$Module m 3 "d"\n$Function VOID f()\n\tindented text joins the stanza'
bad_case restrict_after_object 3 $'$Module m 3 "d"\n$Object o()\n$Restrict client'
bad_case method_after_function 4 $'$Module m 3 "d"\n$Object o()\n$Function VOID f()\n$Method VOID .m()'
bad_case method_without_dot 3 $'$Module m 3 "d"\n$Object o()\n$Method VOID m()'
bad_case spec_on_non_enum 2 $'$Module m 3 "d"\n$Function VOID f(INT {a})'
bad_case void_argument 2 $'$Module m 3 "d"\n$Function VOID f(VOID)'
bad_case trailing_comma 2 $'$Module m 3 "d"\n$Function VOID f(INT a,)'
bad_case two_colons 2 $'$Module m 3 "d"\n$Function VOID f([INT a:b:c])'
bad_case alias_unknown 3 $'$Module m 3 "d"\n$Function VOID f()\n$Alias g h'
bad_case alias_before_target 2 $'$Module m 3 "d"\n$Alias g f\n$Function VOID f()'
bad_case alias_unknown_method 4 $'$Module m 3 "d"\n$Object o()\n$Method VOID .m()\n$Alias .x o.n'
bad_case alias_method_of_function 3 $'$Module m 3 "d"\n$Function VOID f()\n$Alias .x f.m'
# vmodtool takes these, but the C it makes from them does not compile.
bad_case enum_value_not_c 2 $'$Module m 3 "d"\n$Function VOID f(ENUM {a-b})'
bad_case second_event 3 $'$Module m 3 "d"\n$Event a\n$Event b'
bad_case duplicate_method 4 $'$Module m 3 "d"\n$Object o()\n$Method VOID .m()\n$Method INT .m()'

# warn_case NAME LINE TEXT VCC-TEXT: accepted (exit 0) with "<file>:LINE: warning: TEXT"
warn_case() {
	local f="$tmp/warn_$1.vcc" out rc
	printf '%s\n' "$4" >"$f"
	out=$("$python" "$vcc2if" "$f" "$tmp" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && grep -qF "$f:$2: warning: $3" <<<"$out"; then
		ok "vmodtool accepts ($1) -> warning, line $2"
	else
		fail "vmodtool accepts ($1) -> warning, line $2" "rc=$rc: $out"
	fi
}

warn_case enum_default 2 "ENUM default 'C'" $'$Module m 3 "d"\n$Function VOID f(ENUM {A, B} e = C)'
warn_case unknown_scope 3 "unknown \$Restrict scope 'vcl_nowhere'" \
    $'$Module m 3 "d"\n$Function VOID f()\n$Restrict client vcl_nowhere'
warn_case second_module 2 "second \$Module: 'n' replaces 'm'" $'$Module m 3 "d"\n$Module n 3 "e"'
warn_case bad_abi 1 "\$ABI 'loose'" $'$ABI loose\n$Module m 3 "d"'

out=$("$python" "$vcc2if" "$tmp/does_not_exist.vcc" "$tmp" 2>&1); rc=$?
if [ $rc -eq 2 ]; then ok "missing input -> exit 2"; else fail "missing input -> exit 2" "rc=$rc $out"; fi

finish
