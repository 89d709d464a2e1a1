/* headers_installed_compile.c -- compile-only check that every header Varnish 8.0.0's
 * `make install` puts under include/varnish/ exists in the fake VRT with the same path
 * and that all of them compile together, in one translation unit, as strict C11 and
 * (headers_installed_compile.cpp) as C++, -Wall -Wextra -Werror; the tables' counts and
 * a few of their values are 8.0.0's. The list is 8.0.0's include/Makefile.am
 * (nobase_pkginclude_HEADERS, with the generated vcl.h, vrt_obj.h, tbl/vcl_returns.h,
 * tbl/vcl_context.h, tbl/vrt_stv_var.h, vmod_abi.h) and bin/varnishd/Makefile.am's. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* bin/varnishd/Makefile.am */
#include "cache/cache.h"
#include "cache/cache_backend.h"
#include "cache/cache_director.h"
#include "cache/cache_filter.h"
#include "cache/cache_varnishd.h"
#include "common/common_param.h"
#include "waiter/waiter.h"

/* include/Makefile.am: headers for use with vmods */
#include "vbh.h"
#include "miniobj.h"
#include "vas.h"
#include "vav.h"
#include "vbm.h"
#include "vcl.h"
#include "vcs.h"
#include "vmod_abi.h"
#include "vnum.h"
#include "vqueue.h"
#include "vre.h"
#include "vre_pcre2.h"
#include "vdef.h"
#include "vrt.h"
#include "vrt_obj.h"
#include "vsa.h"
#include "vsb.h"
#include "vsha256.h"
#include "vtcp.h"
#include "vte.h"
#include "vtim.h"
#include "vtree.h"
#include "vrnd.h"

/* include/Makefile.am: API headers */
#include "vapi/vsc.h"
#include "vapi/vsig.h"
#include "vapi/vsl.h"
#include "vapi/vsl_int.h"
#include "vapi/vsm.h"
#include "vapi/voptget.h"
#include "vcli.h"
#include "vut.h"

/* The option lists are VOPT() lists: each expands to its getopt letters here. */
#include "vut_options.h"
#include "vapi/vapi_options.h"
#define VOPT(o, s, d, l) o
static const char vut_opts[] = VUT_OPT_d VUT_OPT_g VUT_OPT_h VUT_OPT_k VUT_OPT_n VUT_OPT_q
    VUT_OPT_r VUT_OPT_t VUT_OPT_Q VUT_GLOBAL_OPT_D VUT_GLOBAL_OPT_P VUT_GLOBAL_OPT_V;
static const char vsl_opts[] = VSL_OPT_b VSL_OPT_c VSL_OPT_C VSL_OPT_E VSL_OPT_i VSL_OPT_I
    VSL_OPT_L VSL_OPT_R VSL_OPT_T VSL_OPT_v VSL_OPT_x VSL_OPT_X VSC_OPT_f VSC_OPT_I VSC_OPT_X;
#undef VOPT
v_static_assert(sizeof vut_opts == 21, "12 utility options, 8 with an argument");
v_static_assert(sizeof vsl_opts == 26, "15 log and counter options, 10 with an argument");

/* ---- the tables of include/tbl/, each expanded once and counted ---- */

#define ONE	+1
enum {
	n_ban_oper = 0
#define OPER(n, s) ONE
#include "tbl/ban_oper.h"
	, n_ban_vars = 0
#define PVAR(s, f, a) ONE
#include "tbl/ban_vars.h"
	, n_ban_arg_oper = 0
#define BAN_OPERIDX(x) 0
#define ARGOPER(a, o) ONE
#include "tbl/ban_arg_oper.h"
#undef BAN_OPERIDX
	, n_cli_cmds = 0
#define CLI_CMD(U, r, s, h, d, m, M) ONE
#include "tbl/cli_cmds.h"
	, n_h2_errors = 0
#define H2_ERROR(n, v, t, g, r, d) ONE
#include "tbl/h2_error.h"
	, n_h2_frames = 0
#define H2_FRAME(l, U, t, f, a, b, c, d, e, g, h) ONE
#include "tbl/h2_frames.h"
	, n_h2_frame_flags = 0
#define H2_FRAME_FLAGS(l, U, f) ONE
#include "tbl/h2_frames.h"
	, n_h2_settings = 0
#define H2_SETTING(U, l, v, d, m, M, e) ONE
#include "tbl/h2_settings.h"
	, n_h2_streams = 0
#define H2_STREAM(U, s, d) ONE
#include "tbl/h2_stream.h"
	, n_params = 0
#define PARAM(...) ONE
#include "tbl/params.h"
	, n_symbol_kinds = 0
#define VCC_KIND(U, l) ONE
#include "tbl/symbol_kind.h"
	, n_vhd_states = 0
#define VHD_FSM(s, f, a, b) ONE
#include "tbl/vhd_fsm.h"
	, n_vhd_funcs = 0
#define VHD_FSM_FUNC(n, f) ONE
#include "tbl/vhd_fsm_funcs.h"
	, n_vhp_huffman = 0
#define HPH(s, c, b) ONE
#include "tbl/vhp_huffman.h"
	, n_vhp_static = 0
#define HPS(i, n, v) ONE
#include "tbl/vhp_static.h"
	, n_vsc_levels = 0
#define VSC_LEVEL_F(l, L, s, d) ONE
#include "tbl/vsc_levels.h"
	, n_waiters = 0
#define WAITER(n) ONE
#include "tbl/waiters.h"
};

v_static_assert(n_ban_oper == 8 && n_ban_vars == 9 && n_ban_arg_oper == 9, "bans");
v_static_assert(n_cli_cmds == 39, "39 CLI commands");
v_static_assert(n_h2_errors == 14 && n_h2_frames == 10 && n_h2_frame_flags == 12 &&
    n_h2_settings == 9 && n_h2_streams == 7, "HTTP/2 tables");
v_static_assert(n_params == 113, "113 parameters in struct params");
v_static_assert(n_symbol_kinds == 16, "16 symbol kinds");
v_static_assert(n_vhd_states == 97 && n_vhd_funcs == 13, "HPACK decoder");
v_static_assert(n_vhp_huffman == 256 && n_vhp_static == 61, "RFC 7541 tables");
v_static_assert(n_vsc_levels == 3 && n_waiters == 1, "levels; poll alone without HAVE_*");

/* Values, by table. */
enum {
#define VHD_RET(n, v, d) vhd_##n = (v),
#include "tbl/vhd_return.h"
#define HPS(i, n, v) hps_##i = (i),
#include "tbl/vhp_static.h"
#define H2_SETTING(U, l, v, d, m, M, e) h2s_##l = (v), h2s_##l##_default = (d),
#include "tbl/h2_settings.h"
};
v_static_assert(vhd_ERR_ARG == -1 && vhd_AGAIN == 7, "HPACK return codes");
v_static_assert(hps_1 == 1 && hps_61 == 61, "the static table is 1 to 61");
v_static_assert(h2s_initial_window_size == 0x4 &&
    h2s_initial_window_size_default == 65535, "SETTINGS_INITIAL_WINDOW_SIZE");

/* ---- enums and constants of the other headers ---- */

v_static_assert(DBG_Reserved == 19 && EXPERIMENT_Reserved == 1 && FEATURE_Reserved == 15 &&
    VCC_FEATURE_Reserved == 3, "parameter bits");
v_static_assert(sizeof(debug_t) == 3 && sizeof(vsl_mask_t) == 32, "bit sets in bytes");
v_static_assert(CLIS_SYNTAX == 100 && CLIS_OK == 200 && CLIS_CLOSE == 500 &&
    CLI_LINE0_LEN == 13 && CLI_AUTH_RESPONSE_LEN == 64, "CLI protocol");
v_static_assert(VSL_t__MAX == 5 && VSL_r__MAX == 9 && VSL_g__MAX == 4, "VSL enums");
v_static_assert(vsl_e_write == -5 && vsl_more == 1 && vsl_check_valid == 2, "VSL status");
v_static_assert(VSM_WRK_RUNNING == (1U << 9) && VSM_MGT_MASK == 0xff, "VSM status");
v_static_assert(VUT_MAGIC == 0xdf3b3de8 && WAITED_MAGIC == 0x1743992d &&
    WORKER_PRIV_MAGIC == 0x3047db99, "magics");
v_static_assert(WAITER_CLOSE == 3 && REQ_FSM_DISEMBARK == 2 && VBF_BACKGROUND == 2 &&
    DISCARD == 1, "enums");
v_static_assert(offsetof(struct poolparam, max_age) > offsetof(struct poolparam, max_pool),
    "struct poolparam");

/* Every function-like macro once, in a function that is never called. */
void headers_installed_use(struct vsb *, struct vsm *, struct vsm_fantom *,
    const struct VSC_point *, volatile struct params *);
void
headers_installed_use(struct vsb *vsb, struct vsm *vsm, struct vsm_fantom *vf,
    const struct VSC_point *pt, volatile struct params *pp)
{
	struct waited w;
	uint64_t v;

	VSM_FOREACH(vf, vsm)
		break;
	v = VSC_Value(pt);
	(void)v;
	memset(&w, 0, sizeof w);
	w.magic = WAITED_MAGIC;
	PAN_CheckMagic(vsb, &w, WAITED_MAGIC);
	(void)PAN_dump_struct(vsb, &w, WAITED_MAGIC, "waited");
	(void)PAN_dump_oneline(vsb, &w, WAITED_MAGIC, "waited");
	(void)PAN_dump_once(vsb, &w, WAITED_MAGIC, "waited");
	(void)PAN_dump_once_oneline(vsb, &w, WAITED_MAGIC, "waited");
	(void)COM_DO_DEBUG(pp->debug_bits, DBG_SYNCVSL);
	(void)COM_EXPERIMENT(pp->experimental_bits, EXPERIMENT_DROP_POOLS);
	(void)COM_VCC_FEATURE(pp->vcc_feature_bits, VCC_FEATURE_ERR_UNREF);
	if (FEATURE(FEATURE_HTTP2) || EXPERIMENT(EXPERIMENT_DROP_POOLS))
		DSL(DBG_SYNCVSL, NO_VXID, "%s", "x");
	DSLb(DBG_SYNCVSL, NULL, SLT_Debug, "%s", "x");
	(void)WCOREDUMP(0);
}
