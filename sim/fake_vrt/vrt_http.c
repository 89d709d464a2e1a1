/* vrt_http.c -- the VRT calls on a task's HTTP messages (req, req_top, bereq; resp and
 * beresp are NULL in vdisim, which fetches no bodies) and on the request hash, as
 * Varnish 8.0.0 has them. Headers live on the message's own workspace (http.c). */

#include "cache/cache.h"
#include "vcl.h"
#include "vsha256.h"

VCL_HTTP
VRT_selecthttp(VRT_CTX, enum gethdr_e where)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	switch (where) {
	case HDR_REQ:
		return (ctx->http_req);
	case HDR_REQ_TOP:
		return (ctx->http_req_top);
	case HDR_BEREQ:
		return (ctx->http_bereq);
	case HDR_BERESP:
		return (ctx->http_beresp);
	case HDR_RESP:
		return (ctx->http_resp);
	case HDR_OBJ:
	case HDR_OBJ_STALE:
		return (NULL);
	default:
		WRONG("VRT_selecthttp 'where' invalid");
	}
	NEEDLESS(return (NULL));
}

/* obj.http.* reads a stored object: vdisim stores none (HTTP_GetHdrPack fails). */
VCL_STRING
VRT_GetHdr(VRT_CTX, VCL_HEADER hs)
{
	const char *p;
	VCL_HTTP hp;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(hs);
	if (hs->where == HDR_OBJ) {
		CHECK_OBJ_NOTNULL(ctx->req, REQ_MAGIC);
		return (HTTP_GetHdrPack(ctx->req->wrk, ctx->req->objcore,
		    hs->what));
	}
	if (hs->where == HDR_OBJ_STALE) {
		CHECK_OBJ_NOTNULL(ctx->bo, BUSYOBJ_MAGIC);
		return (HTTP_GetHdrPack(ctx->bo->wrk, ctx->bo->stale_oc,
		    hs->what));
	}
	hp = VRT_selecthttp(ctx, hs->where);
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	if (!http_GetHdr(hp, hs->what, &p))
		return (NULL);
	return (p);
}

/* A header value may hold TAB and any byte from 0x20 up, except DEL. */
static int
vrt_hdr_ok(const char *p)
{
	unsigned char c;

	AN(p);
	for (; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (c == 0x7f || (c < 0x20 && c != '\t'))
			return (0);
	}
	return (1);
}

VCL_BOOL
VRT_ValidHdr(VRT_CTX, VCL_STRANDS s)
{
	int i;

	(void)ctx;
	CHECK_OBJ_NOTNULL(s, STRANDS_MAGIC);
	for (i = 0; i < s->n; i++)
		if (s->p[i] != NULL && !vrt_hdr_ok(s->p[i]))
			return (0);
	return (1);
}

VCL_VOID
VRT_UnsetHdr(VRT_CTX, VCL_HEADER hs)
{
	VCL_HTTP hp;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(hs);
	AN(hs->what);
	hp = VRT_selecthttp(ctx, hs->where);
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	http_Unset(hp, hs->what);
}

/*
 * "Name: <pfx><strands>" built in one reservation of hp's workspace, checked
 * (Varnish's validate_headers feature is on by default), then replacing every
 * earlier line of that name.
 */
VCL_VOID
VRT_SetHdr(VRT_CTX, VCL_HEADER hs, const char *pfx, VCL_STRANDS s)
{
	unsigned room, head, lpfx;
	char *b, *end;
	VCL_HTTP hp;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(hs);
	AN(hs->what);
	hp = VRT_selecthttp(ctx, hs->where);
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	lpfx = pfx == NULL ? 0 : (unsigned)strlen(pfx);
	head = hs->what->len + 1U + lpfx;
	room = WS_ReserveAll(hp->ws);
	b = WS_Reservation(hp->ws);
	end = NULL;
	if (room > head) {
		if (s == NULL) {
			b[head] = '\0';
			end = b + head + 1;
		} else {
			end = VRT_Strands(b + head, room - head, s);
		}
	}
	if (end == NULL) {
		WS_Release(hp->ws, 0);
		WS_MarkOverflow(hp->ws);
		VSLb(ctx->vsl, SLT_LostHeader, "%s", hs->what->str);
		return;
	}
	memcpy(b, hs->what->str, hs->what->len);
	b[hs->what->len] = ' ';
	if (lpfx > 0)
		memcpy(b + hs->what->len + 1, pfx, lpfx);
	if (!vrt_hdr_ok(b)) {
		VRT_fail(ctx, "Bad header %s", b);
		WS_Release(hp->ws, 0);
		return;
	}
	WS_ReleaseP(hp->ws, end);
	http_Unset(hp, hs->what);
	http_SetHeader(hp, b);
}

/*
 * hash_data(): each piece, then one zero byte as a field separator, into the
 * SHA-256 context the runtime passes in ctx->specific during vcl_hash.
 */
VCL_VOID
VRT_hashdata(VRT_CTX, VCL_STRANDS s)
{
	const unsigned char sep = 0;
	int i;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(ctx->req, REQ_MAGIC);
	CHECK_OBJ_NOTNULL(s, STRANDS_MAGIC);
	if (ctx->specific == NULL || ctx->method != VCL_MET_HASH) {
		VRT_fail(ctx, "hash_data() outside vcl_hash");
		return;
	}
	/* A NULL piece hashes as a separator too, as in Varnish. */
	for (i = 0; i < s->n; i++) {
		if (s->p[i] == NULL) {
			VSHA256_Update(ctx->specific, &sep, 1);
			continue;
		}
		VSHA256_Update(ctx->specific, s->p[i], strlen(s->p[i]));
		/* Hash is in Varnish's default vsl_mask: not logged. */
		if (!VSL_tag_is_masked(SLT_Hash))
			VSLb(ctx->req->vsl, SLT_Hash, "%s", s->p[i]);
	}
	VSHA256_Update(ctx->specific, &sep, 1);
}
