/* vmod_reqcheck.c -- fails the task when a request does not carry what its traffic
 * chose: url_prefix() gets req.url as a STRING, header_is() reads a header through a
 * HEADER argument (VRT_GetHdr on the request, as a vmod does in vcl_recv). A failed
 * task is the request's `failed` outcome, so a scenario sees each check in its log.
 * expect(prefix).url() is the same check on an object with no BACKEND method. */

#include <string.h>

#include "cache/cache.h"
#include "vcl.h"

#include "vcc_reqcheck_if.h"

VCL_VOID
vmod_url_prefix(VRT_CTX, VCL_STRING url, VCL_STRING prefix)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (url == NULL || prefix == NULL || strncmp(url, prefix, strlen(prefix)) != 0)
		VRT_fail(ctx, "reqcheck: url '%s' does not start with '%s'",
		    url != NULL ? url : "(null)", prefix != NULL ? prefix : "(null)");
}

VCL_VOID
vmod_header_is(VRT_CTX, VCL_HEADER hdr, VCL_STRING value)
{
	const char *got;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(hdr);
	got = VRT_GetHdr(ctx, hdr);
	if (got == NULL || value == NULL || strcmp(got, value) != 0)
		VRT_fail(ctx, "reqcheck: header %s is '%s', not '%s'", hdr->what + 1,
		    got != NULL ? got : "(unset)", value != NULL ? value : "(null)");
}

struct vmod_reqcheck_expect {
	unsigned		magic;
#define REQCHECK_EXPECT_MAGIC	0x5e9c0a71
	char			*prefix;
};

VCL_VOID
vmod_expect__init(VRT_CTX, struct vmod_reqcheck_expect **op, const char *vcl_name,
    VCL_STRING prefix)
{
	struct vmod_reqcheck_expect *e;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(op);
	AZ(*op);
	(void)vcl_name;
	ALLOC_OBJ(e, REQCHECK_EXPECT_MAGIC);
	AN(e);
	REPLACE(e->prefix, prefix != NULL ? prefix : "");
	*op = e;
}

VCL_VOID
vmod_expect__fini(struct vmod_reqcheck_expect **op)
{
	struct vmod_reqcheck_expect *e;

	TAKE_OBJ_NOTNULL(e, op, REQCHECK_EXPECT_MAGIC);
	free(e->prefix);
	FREE_OBJ(e);
}

VCL_VOID
vmod_expect_url(VRT_CTX, struct vmod_reqcheck_expect *e, VCL_STRING url)
{
	CHECK_OBJ_NOTNULL(e, REQCHECK_EXPECT_MAGIC);
	vmod_url_prefix(ctx, url, e->prefix);
}
