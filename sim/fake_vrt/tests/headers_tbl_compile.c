/* headers_tbl_compile.c -- compile-only check (strict C11, -Werror) that vcl.h, vrt_obj.h,
 * vapi/vsl_int.h and every tbl header expand the way real code expands them, and that their
 * counts and values are Varnish 8.0.0's (VCL_MET_* bits, VCL_RET_*, SLT_* numbers). */

#include <stddef.h>
#include <stdint.h>

#include "vdef.h"
#include "vrt.h"
#include "vcl.h"
#include "vrt_obj.h"
#include "vapi/vsl_int.h"

/* cache/cache.h's HTTP filter bits, for tbl/http_headers.h (values are 8.0.0's). */
#ifndef HTTPH_R_PASS
#define HTTPH_R_PASS		(1 << 0)
#define HTTPH_R_FETCH		(1 << 1)
#define HTTPH_A_INS		(1 << 2)
#define HTTPH_A_PASS		(1 << 3)
#define HTTPH_C_SPECIFIC	(1 << 4)
#endif

#define ONE	+ 1

/* ---- VCL methods and returns ---- */

_Static_assert(VCL_MET_RECV == (1U << 1), "vcl_recv is bit 1");
_Static_assert(VCL_MET_BACKEND_REFRESH == (1U << 11), "vcl_backend_refresh is bit 11");
_Static_assert(VCL_MET_FINI == (1U << 15), "vcl_fini is bit 15");
_Static_assert(VCL_MET_MAX == 16 && VCL_MET_MASK == 0xffff, "16 method bits");
_Static_assert(VCL_MET_TASK_ALL == 0xfffe, "every method is in one task");
_Static_assert((VCL_MET_TASK_B & VCL_MET_TASK_C) == 0 &&
    (VCL_MET_TASK_B & VCL_MET_TASK_H) == 0 &&
    (VCL_MET_TASK_C & VCL_MET_TASK_H) == 0, "tasks are disjoint");
_Static_assert(VCL_RET_ABANDON == 1 && VCL_RET_OK == 11 && VCL_RET_VCL == 18 &&
    VCL_RET_MAX == 19, "returns are numbered alphabetically");
_Static_assert(VCL_CONF_MAGIC == 0x7406c509 && VRT_TYPE_MAGIC == 0xa943bc32, "magics");

enum { n_vcl_ret = 0
#define VCL_RET_MAC(l, U, m) ONE
#include "tbl/vcl_returns.h"
};
_Static_assert(n_vcl_ret == VCL_RET_MAX - 1, "one VCL_RET_MAC per return");

enum { n_vcl_met = 0
#define VCL_MET_MAC(l, U, t, r) ONE
#include "tbl/vcl_returns.h"
};
_Static_assert(n_vcl_met == VCL_MET_MAX - 1, "one VCL_MET_MAC per method");

/* Every method's bit, and every return's mask, through the tables. */
static const unsigned met_bits = 0
#define VCL_MET_MAC(l, U, t, r) | VCL_MET_##U
#include "tbl/vcl_returns.h"
    ;
static const unsigned ret_of_recv = 0
#define VCL_MET_MAC(l, U, t, r) | (VCL_MET_##U == VCL_MET_RECV ? (r) : 0U)
#include "tbl/vcl_returns.h"
    ;
static const unsigned synth_allowed_in = 0
#define VCL_RET_MAC(l, U, m) | (VCL_RET_##U == VCL_RET_SYNTH ? (unsigned)(m) : 0U)
#include "tbl/vcl_returns.h"
    ;

/* tbl/vcl_context.h: every method, then the three tasks. */
static const unsigned ctx_bits[] = {
#define VCL_CTX(l, U) VCL_MET_##U,
#include "tbl/vcl_context.h"
};
_Static_assert(sizeof ctx_bits / sizeof ctx_bits[0] == 18, "15 methods + 3 tasks");

static const char *const vcl_states[] = {
#define VCL_STATE(U, s) s,
#include "tbl/vcl_states.h"
};
_Static_assert(sizeof vcl_states / sizeof vcl_states[0] == 3, "cold, warm, auto");

/* ---- shared log ---- */

_Static_assert(SLT_Debug == 1 && SLT_FetchError == 12, "first tags");
_Static_assert(SLT_ReqMethod == 13 && SLT_ReqLost == 20 && SLT_RespMethod == 21,
    "HTTP tags follow FetchError, 8 per side");
_Static_assert(SLT_ObjLost == 52 && SLT_BogoHeader == 53, "five HTTP sides");
_Static_assert(SLT_Backend_health == 69 && SLT_VCL_Log == 70 && SLT_Begin == 74 &&
    SLT_End == 75 && SLT_Timestamp == 78 && SLT_Notice == 92 && SLT_VdpAcct == 93,
    "8.0.0's tag numbers");
_Static_assert(SLT__Reserved == 254 && SLT__Batch == 255 && SLT__MAX == 256, "reserved");
_Static_assert(VSL_ENDMARKER == 0xfe454545U && VSL_WRAPMARKER == 0xfe575757U, "markers");

static const unsigned slt_flags[] = {
	0,
#define SLTM(n, f, s, l) f,
#include "tbl/vsl_tags.h"
};
_Static_assert(sizeof slt_flags / sizeof slt_flags[0] == SLT_VdpAcct + 1, "tags are dense");

enum { n_slth = 0
#define SLTH(t, i, rq, rs, s, l) ONE
#include "tbl/vsl_tags_http.h"
};
_Static_assert(n_slth == 8, "8 HTTP line kinds");

/* ---- cache.h tables ---- */

enum { n_locks = 0
#define LOCK(n) ONE
#include "tbl/locks.h"
};
_Static_assert(n_locks == 23, "23 lock classes");

static const int body_status_nbr[] = {
#define BODYSTATUS(U, l, n, a, k) n,
#include "tbl/body_status.h"
};
_Static_assert(sizeof body_status_nbr / sizeof body_status_nbr[0] == 7, "7 body kinds");

enum { n_sc = 0
#define SESS_CLOSE(U, l, e, d) ONE
#include "tbl/sess_close.h"
};
_Static_assert(n_sc == 20, "20 close reasons");

struct acct_both {
#define ACCT(f) uint64_t f;
#include "tbl/acct_fields_req.h"
#define ACCT(f) uint64_t f;
#include "tbl/acct_fields_bereq.h"
};
_Static_assert(sizeof(struct acct_both) == 8 * sizeof(uint64_t), "4 + 4 counters");

enum boc_state_test {
#define BOC_STATE(U, l) BOC_T_##U,
#include "tbl/boc_state.h"
	BOC_T_N
};
_Static_assert(BOC_T_N == 5 && BOC_T_FAILED == 4, "5 busy object states");

enum obj_attr_test {
#define OBJ_FIXATTR(U, l, s) OA_T_##U,
#define OBJ_VARATTR(U, l) OA_T_##U,
#define OBJ_AUXATTR(U, l) OA_T_##U,
#include "tbl/obj_attr.h"
	OA_T_N
};
_Static_assert(OA_T_N == 8 && OA_T_ESIDATA == 7, "5 fixed, 2 variable, 1 aux attribute");

enum { obj_flags = 0
#define OBJ_FLAG(U, l, v) | (v)
#include "tbl/obj_attr.h"
};
_Static_assert(obj_flags == 0x1e, "object flags are bits 1-4");

enum { oc_flags = 0
#define OC_FLAG(U, l, v) | (v)
#include "tbl/oc_flags.h"
};
_Static_assert(oc_flags == 0xff, "objcore flags are bits 0-7");

enum { oc_exp_flags = 0
#define OC_EXP_FLAG(U, l, v) | (v)
#include "tbl/oc_exp_flags.h"
};
_Static_assert(oc_exp_flags == 0x7e, "expiry flags are bits 1-6");

struct req_flags_test {
#define REQ_FLAG(l, r, w, d) unsigned l:1;
#include "tbl/req_flags.h"
};
struct bereq_flags_test {
#define BEREQ_FLAG(l, r, w, d) unsigned l:1;
#include "tbl/bereq_flags.h"
#define BERESP_FLAG(l, r, w, f, d) unsigned l:1;
#include "tbl/beresp_flags.h"
};
enum { n_req_flags = 0
#define REQ_FLAG(l, r, w, d) ONE
#include "tbl/req_flags.h"
};
enum { n_bereq_flags = 0
#define BEREQ_FLAG(l, r, w, d) ONE
#include "tbl/bereq_flags.h"
};
enum { n_beresp_flags = 0
#define BERESP_FLAG(l, r, w, f, d) ONE
#include "tbl/beresp_flags.h"
};
_Static_assert(n_req_flags == 13 && n_bereq_flags == 5 && n_beresp_flags == 5,
    "req 10 + 3 shared, bereq 2 + 3 shared, beresp 5");

enum { n_sess_attr = 0
#define SESS_ATTR(U, l, t, len) ONE
#include "tbl/sess_attr.h"
};
_Static_assert(n_sess_attr == 9, "9 session attributes");

static const unsigned http_hdr_flags[] = {
#define HTTPH(s, e, f) (f),
#include "tbl/http_headers.h"
};
_Static_assert(sizeof http_hdr_flags / sizeof http_hdr_flags[0] == 52, "52 known headers");

static const int http_codes[] = {
#define HTTP_RESP(c, r) c,
#include "tbl/http_response.h"
};
_Static_assert(sizeof http_codes / sizeof http_codes[0] == 62, "62 reason phrases");

static const char backend_poll_letters[] = {
#define BITMAP(n, c, t, h) c,
#include "tbl/backend_poll.h"
};
_Static_assert(sizeof backend_poll_letters == 8, "8 probe bits");

enum { n_stv_var = 0
#define VRTSTVVAR(n, vt, ct, d) ONE
#include "tbl/vrt_stv_var.h"
};
_Static_assert(n_stv_var == 3, "free_space, used_space, happy");

/* ---- vrt_obj.h: the declarations have 8.0.0's types ---- */

static VCL_BACKEND (*const get_hint)(VRT_CTX) = VRT_r_req_backend_hint;
static void (*const set_hint)(VRT_CTX, VCL_BACKEND) = VRT_l_req_backend_hint;
static void (*const set_url)(VRT_CTX, const char *, VCL_STRANDS) = VRT_l_req_url;
static void (*const set_body)(VRT_CTX, enum lbody_e, const char *, const void *) =
    VRT_l_beresp_body;
static void (*const unset_ttl)(VRT_CTX) = VRT_u_req_ttl;
static VCL_BOOL (*const stv_happy)(VCL_STEVEDORE) = VRT_stevedore_happy;

/* Keeps every table above referenced, so -Wunused does not fire. */
unsigned headers_tbl_compile_use(void);
unsigned
headers_tbl_compile_use(void)
{
	return (met_bits == (VCL_MET_TASK_ALL) && ret_of_recv != 0 &&
	    synth_allowed_in != 0 && ctx_bits[0] == VCL_MET_RECV &&
	    vcl_states[0] != NULL && slt_flags[SLT_Debug] == SLT_F_UNSAFE &&
	    body_status_nbr[6] == 6 && http_hdr_flags[0] == 0 &&
	    http_codes[0] == 100 && backend_poll_letters[7] == 'H' &&
	    get_hint != NULL && set_hint != NULL && set_url != NULL &&
	    set_body != NULL && unset_ttl != NULL && stv_happy != NULL &&
	    sizeof(struct req_flags_test) > 0 &&
	    sizeof(struct bereq_flags_test) > 0 &&
	    sizeof(struct VCL_conf) > 0 && VCL_TYPE_BACKEND->szof > 0);
}
