/* rfc2616.c -- the RFC 2616/9110 helpers of Varnish 8.0.0's cache.h that work on a
 * struct http alone (gzip acceptance, weak ETags, Vary, strong Last-Modified). The
 * ones that need a stored object or a fetch (TTL, conditional requests) refuse to run:
 * see unsimulated.cpp. */

#include <time.h>

#include "cache/cache.h"

unsigned
RFC2616_Req_Gzip(const struct http *hp)
{
	/* x-gzip: HTTP/1.0 spelling, its q-value is not looked at. */
	if (http_GetHdrToken(hp, H_Accept_Encoding, "x-gzip", NULL, NULL))
		return (1);
	/* gzip with a nonzero q; a preference for another coding is ignored. */
	return (http_GetHdrQ(hp, H_Accept_Encoding, "gzip") > 0.);
}

void
RFC2616_Weaken_Etag(struct http *hp)
{
	const char *p;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	if (!http_GetHdr(hp, H_ETag, &p))
		return;
	AN(p);
	if (p[0] == 'W' && p[1] == '/')
		return;
	/* p points into the old line, which Unset leaves in the workspace. */
	http_Unset(hp, H_ETag);
	http_PrintfHeader(hp, "ETag: W/%s", p);
}

void
RFC2616_Vary_AE(struct http *hp)
{
	const char *vary;

	if (http_GetHdrToken(hp, H_Vary, "Accept-Encoding", NULL, NULL))
		return;
	if (!http_GetHdr(hp, H_Vary, &vary)) {
		http_SetHeader(hp, "Vary: Accept-Encoding");
		return;
	}
	http_Unset(hp, H_Vary);
	http_PrintfHeader(hp, "Vary: %s, Accept-Encoding", vary);
}

/* An HTTP date in any of the three forms RFC 9110 accepts; 0 if none matches. */
static vtim_real
rfc_date(const char *s)
{
	static const char *const fmts[] = {
		"%a, %d %b %Y %H:%M:%S GMT",	/* IMF-fixdate */
		"%A, %d-%b-%y %H:%M:%S GMT",	/* RFC 850 */
		"%a %b %e %H:%M:%S %Y",		/* asctime() */
	};
	const char *end;
	struct tm tm;
	size_t u;

	for (u = 0; u < vcountof(fmts); u++) {
		memset(&tm, 0, sizeof tm);
		end = strptime(s, fmts[u], &tm);
		if (end != NULL && *end == '\0')
			return ((vtim_real)timegm(&tm));
	}
	return (0);
}

/*
 * Last-Modified is a strong validator when the response's Date is at least one
 * second later (RFC 9110 8.8.2.2). Only the struct http case is simulated.
 */
const char *
RFC2616_Strong_LM(const struct http *hp, struct worker *wrk,
    struct objcore *oc)
{
	const char *lm = NULL, *date = NULL;
	vtim_real tl, td;

	CHECK_OBJ_ORNULL(wrk, WORKER_MAGIC);
	CHECK_OBJ_ORNULL(oc, OBJCORE_MAGIC);
	CHECK_OBJ_ORNULL(hp, HTTP_MAGIC);
	if (hp != NULL) {
		(void)http_GetHdr(hp, H_Last_Modified, &lm);
		(void)http_GetHdr(hp, H_Date, &date);
	} else if (wrk != NULL && oc != NULL) {
		lm = HTTP_GetHdrPack(wrk, oc, H_Last_Modified);
		date = HTTP_GetHdrPack(wrk, oc, H_Date);
	}
	if (lm == NULL || date == NULL)
		return (NULL);
	tl = rfc_date(lm);
	td = rfc_date(date);
	return (tl != 0 && td != 0 && tl + 1 <= td ? lm : NULL);
}
