/* vrt_re.c -- VCL's regex operators (~ and regsub/regsuball) over vlib's VRE (PCRE2),
 * with Varnish 8.0.0's default pcre2_match_limit and pcre2_depth_limit. A matching
 * error other than "no match" fails the task, as in Varnish. */

#include "cache/cache.h"
#include "vre.h"

/* Parameters pcre2_match_limit (10000) and pcre2_depth_limit (20) at their defaults. */
static const struct vre_limits vrt_re_limits = { 10000, 20 };

static void
vrt_re_fail(VRT_CTX, const char *pfx, int err)
{
	char buf[VRE_ERROR_LEN];
	struct vsb vsb[1];

	assert(err < VRE_ERROR_NOMATCH);
	AN(VSB_init(vsb, buf, sizeof buf));
	AZ(VRE_error(vsb, err));
	AZ(VSB_finish(vsb));
	VSB_fini(vsb);
	VRT_fail(ctx, "%sRegexp matching failed: %s", pfx, buf);
}

VCL_BOOL
VRT_re_match(VRT_CTX, VCL_STRING s, VCL_REGEX re)
{
	int r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(re);
	r = VRE_match(re, s == NULL ? "" : s, 0, 0, &vrt_re_limits);
	if (r >= 0)
		return (1);
	if (r < VRE_ERROR_NOMATCH)
		vrt_re_fail(ctx, "", r);
	return (0);
}

/* The substituted string on ctx->ws, or str itself when nothing matched. */
VCL_STRING
VRT_regsub(VRT_CTX, int all, VCL_STRING str, VCL_REGEX re, VCL_STRING sub)
{
	struct vsb vsb[1];
	const char *res;
	uintptr_t snap;
	int r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(re);
	if (str == NULL)
		str = "";
	snap = WS_Snapshot(ctx->ws);
	WS_VSB_new(vsb, ctx->ws);
	r = VRE_sub(re, str, sub == NULL ? "" : sub, vsb, &vrt_re_limits, all);
	res = WS_VSB_finish(vsb, ctx->ws, NULL);
	if (r < VRE_ERROR_NOMATCH)
		vrt_re_fail(ctx, "regsub: ", r);
	else if (res == NULL)
		VRT_fail(ctx, "regsub: Out of workspace");
	else if (r > 0)
		return (res);
	WS_Reset(ctx->ws, snap);
	return (str);
}
