/* vmod_unsim.c -- local_tos() asks for the client session's local address as 8.0.0's
 * std.set_ip_tos() does (SES_Get_local_addr, refused by vdisim: no session sockets);
 * count() is plain. UNSIM_BUG makes count() assert on strings of 4 characters or more,
 * a finding the suite must still report once local_tos() is left out. */

#include <string.h>

#include "cache/cache.h"
#include "vcl.h"

#include "vcc_unsim_if.h"

VCL_INT
vmod_count(VRT_CTX, VCL_STRING s)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (s == NULL)
		return (0);
#ifdef UNSIM_BUG
	assert(strlen(s) < 4);
#endif
	return ((VCL_INT)strlen(s));
}

VCL_VOID
vmod_local_tos(VRT_CTX, VCL_INT tos)
{
	struct suckaddr *sa;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(ctx->req, REQ_MAGIC);
	(void)tos;
	AZ(SES_Get_local_addr(ctx->req->sp, &sa));
}
