#!/usr/bin/env bash
# vcc2if_test.sh -- checks scripts/vcc2if: the header generated from sample.vcc has
# vmodtool's layout, compiles after cache/cache.h, and its prototypes match
# hand-written definitions; malformed .vcc files give "FILE:LINE: error" and exit 2.
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
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    /' <<<"$2"; }

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

# vmodtool accepts an ENUM default outside its values (VCC refuses it later): a warning.
printf '%s\n' '$Module m 3 "d"' '$Function VOID f(ENUM {A, B} e = C)' >"$tmp/enum_default.vcc"
out=$("$python" "$vcc2if" "$tmp/enum_default.vcc" "$tmp" 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -qF "$tmp/enum_default.vcc:2: warning: ENUM default 'C'" <<<"$out"; then
	ok "ENUM default outside its values -> warning, line 2"
else
	fail "ENUM default outside its values -> warning, line 2" "rc=$rc: $out"
fi

out=$("$python" "$vcc2if" "$tmp/does_not_exist.vcc" "$tmp" 2>&1); rc=$?
if [ $rc -eq 2 ]; then ok "missing input -> exit 2"; else fail "missing input -> exit 2" "rc=$rc $out"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
