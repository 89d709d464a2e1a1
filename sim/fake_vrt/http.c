/* http.c -- struct http as Varnish 8.0.0 keeps it: hd[] slots (request line or status
 * line in the first HTTP_HDR_FIRST, then "Name: value" headers) pointing at workspace
 * strings. The runtime builds req/bereq with these calls and VMODs read them back;
 * logging goes to VSLbt (the run's trace). Object-packed headers are not simulated. */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <strings.h>

#include "cache/cache.h"
#include "http_priv.h"

/* ---- the tables cache.h declares ---- */

#define BODYSTATUS(U, l, n, a, k)					\
	const struct body_status BS_##U[1] = {				\
		{ .name = #l, .nbr = n, .avail = a, .length_known = k }	\
	};
#include "tbl/body_status.h"

/* idx counts from 1 in table order; 0 is SC_NULL. */
enum vdisim_sc_idx {
	VDISIM_SCE_NULL = 0,
#define SESS_CLOSE(nm, stat, err, desc)	VDISIM_SCE_##nm,
#include "tbl/sess_close.h"
};

const struct stream_close SC_NULL[1] = {
	{ STREAM_CLOSE_MAGIC, VDISIM_SCE_NULL, 0, "null", "Not Closing" }
};
#define SESS_CLOSE(nm, stat, err, text)					\
	const struct stream_close SC_##nm[1] = {			\
		{ STREAM_CLOSE_MAGIC, VDISIM_SCE_##nm, err, #nm, text }	\
	};
#include "tbl/sess_close.h"

#define HTTPH(a, b, c)	hdr_t b = HDR(a);
#include "tbl/http_headers.h"

hdr_t H__Status = HDR(":status");
hdr_t H__Proto = HDR(":proto");
hdr_t H__Reason = HDR(":reason");

/* Which headers a filter drops: linear search, the table is short. */
static const struct http_hdrflag http_hdrflags[] = {
#define HTTPH(a, b, c)	{ &b, c },
#include "tbl/http_headers.h"
};

const struct http_hdrflag *
vhttp_flags_of(const char *b, const char *e)
{
	size_t u, l;
	hdr_t h;

	if (b == NULL || e == NULL)
		return (NULL);
	l = (size_t)(e - b);
	for (u = 0; u < vcountof(http_hdrflags); u++) {
		h = *http_hdrflags[u].hdr;
		if (h->len - 1U == l && !strncasecmp(h->str, b, l))
			return (&http_hdrflags[u]);
	}
	return (NULL);
}

static const struct {
	unsigned	nbr;
	const char	*status;
	const char	*reason;
} http_reasons[] = {
#define HTTP_RESP(n, t)	{ n, #n, t },
#include "tbl/http_response.h"
};

/* ---- logging: Req/Resp/Bereq/Beresp/Obj tags follow logtag in SLTH order ---- */

void
vhttp_log(const struct http *hp, unsigned n, unsigned what)
{
	unsigned off = n < HTTP_HDR_FIRST ? n : HTTP_HDR_FIRST;

	if (hp->vsl == NULL || hp->hd[n].b == NULL)
		return;
	if (what == HTTP_HDR_UNSET)
		off = HTTP_HDR_UNSET;
	VSLbt(hp->vsl, (enum VSL_tag_e)(hp->logtag + off), hp->hd[n]);
}

void
http_VSL_log(const struct http *hp)
{
	unsigned u;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	for (u = 0; u < hp->nhd; u++)
		vhttp_log(hp, u, 0);
}

void
vhttp_fail(const struct http *hp, const char *lost)
{
	char id[WS_ID_SIZE];

	WS_Id(hp->ws, id);
	VSLb(hp->vsl, SLT_Error, "out of workspace (%s)", id);
	WS_MarkOverflow(hp->ws);
	if (lost != NULL)
		VSLb(hp->vsl, SLT_LostHeader, "%s", lost);
}

/* ---- creation and copies ---- */

const char *
http_Status2Reason(unsigned status, const char **sstr)
{
	size_t u;

	status %= 1000;
	assert(status >= 100);
	for (u = 0; u < vcountof(http_reasons); u++) {
		if (http_reasons[u].nbr != status)
			continue;
		if (sstr != NULL)
			*sstr = http_reasons[u].status;
		return (http_reasons[u].reason);
	}
	return ("Unknown HTTP Status");
}

unsigned
HTTP_estimate(unsigned nhttp)
{
	return ((unsigned)PRNDUP(sizeof(struct http) + nhttp * sizeof(txt) +
	    nhttp));
}

/* p holds HTTP_estimate(nhttp) bytes: the struct, then hd[], then hdf[]. */
struct http *
HTTP_create(void *p, uint16_t nhttp, unsigned len)
{
	struct http *hp = p;

	AN(p);
	assert(len == HTTP_estimate(nhttp));
	memset(hp, 0, sizeof *hp);
	hp->magic = HTTP_MAGIC;
	hp->shd = nhttp;
	hp->hd = (txt *)(void *)(hp + 1);
	hp->hdf = (unsigned char *)(hp->hd + nhttp);
	memset(hp->hd, 0, nhttp * sizeof *hp->hd);
	memset(hp->hdf, 0, nhttp);
	return (hp);
}

void
http_Teardown(struct http *hp)
{
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	AN(hp->shd);
	/* Everything from nhd on; shd, hd and hdf survive. */
	memset(&hp->nhd, 0, sizeof *hp - offsetof(struct http, nhd));
	memset(hp->hd, 0, hp->shd * sizeof *hp->hd);
	memset(hp->hdf, 0, hp->shd);
}

void
HTTP_Setup(struct http *hp, struct ws *ws, struct vsl_log *vsl,
    enum VSL_tag_e whence)
{
	http_Teardown(hp);
	hp->nhd = HTTP_HDR_FIRST;
	hp->logtag = whence;
	hp->ws = ws;
	hp->vsl = vsl;
}

void
HTTP_Dup(struct http *to, const struct http * const fm)
{
	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	CHECK_OBJ_NOTNULL(fm, HTTP_MAGIC);
	assert(fm->nhd <= to->shd);
	memcpy(to->hd, fm->hd, fm->nhd * sizeof *to->hd);
	memcpy(to->hdf, fm->hdf, fm->nhd);
	to->nhd = fm->nhd;
	to->logtag = fm->logtag;
	to->status = fm->status;
	to->protover = fm->protover;
}

void
HTTP_Clone(struct http *to, const struct http * const fm)
{
	HTTP_Dup(to, fm);
	to->vsl = fm->vsl;
	to->ws = fm->ws;
}

/* ---- the first line ---- */

/* "HTTP/x.y" exactly (case-insensitive name) gives 10 * x + y, anything else 0. */
void
http_Proto(struct http *to)
{
	const char *p;

	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	p = to->hd[HTTP_HDR_PROTO].b;
	to->protover = 0;
	if (p == NULL || strncasecmp(p, "HTTP/", 5) || strlen(p) != 8)
		return;
	if (!isdigit((unsigned char)p[5]) || p[6] != '.' ||
	    !isdigit((unsigned char)p[7]))
		return;
	to->protover = (uint8_t)((p[5] - '0') * 10 + (p[7] - '0'));
}

void
http_SetH(struct http *to, unsigned n, const char *header)
{
	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	AN(header);
	assert(n < to->nhd);
	to->hd[n].b = header;
	to->hd[n].e = header + strlen(header);
	to->hdf[n] = 0;
	vhttp_log(to, n, 0);
	if (n == HTTP_HDR_PROTO)
		http_Proto(to);
}

/* Like http_SetH, on a workspace copy of s. */
void
vhttp_put_field(struct http *to, unsigned n, const char *s)
{
	const char *p;

	p = WS_Copy(to->ws, s, -1);
	if (p == NULL) {
		vhttp_fail(to, s);
		return;
	}
	http_SetH(to, n, p);
}

void
http_ForceField(struct http *to, unsigned n, const char *t)
{
	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	assert(n == HTTP_HDR_METHOD || n == HTTP_HDR_PROTO);
	AN(t);
	/* Method and protocol compare case-sensitively. */
	if (to->hd[n].b != NULL && !strcmp(to->hd[n].b, t))
		return;
	http_SetH(to, n, t);
}

uint16_t
http_GetStatus(const struct http *hp)
{
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	return (hp->status);
}

int
http_IsStatus(const struct http *hp, int val)
{
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	assert(val >= 100 && val <= 999);
	return (hp->status % 1000 == val);
}

/* Digits above the hundreds are VCL's to use: kept in ->status, not in the text. */
void
http_SetStatus(struct http *to, uint16_t status, const char *reason)
{
	const char *sstr = NULL, *dflt;
	char buf[4];

	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	to->status = status;
	status %= 1000;
	assert(status >= 100);
	dflt = http_Status2Reason(status, &sstr);
	if (reason == NULL)
		reason = dflt;
	if (sstr != NULL) {
		http_SetH(to, HTTP_HDR_STATUS, sstr);
	} else {
		bprintf(buf, "%03u", (unsigned)status);
		vhttp_put_field(to, HTTP_HDR_STATUS, buf);
	}
	http_SetH(to, HTTP_HDR_REASON, reason);
}

void
http_PutResponse(struct http *to, const char *proto, uint16_t status,
    const char *response)
{
	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	if (proto != NULL)
		http_SetH(to, HTTP_HDR_PROTO, proto);
	http_SetStatus(to, status, response);
}

const char *
http_GetMethod(const struct http *hp)
{
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	Tcheck(hp->hd[HTTP_HDR_METHOD]);
	return (hp->hd[HTTP_HDR_METHOD].b);
}

/* ---- finding headers ---- */

int
http_IsHdr(const txt *hh, hdr_t hdr)
{
	AN(hh);
	Tcheck(*hh);
	CHECK_HDR(hdr);
	return (!strncasecmp(hdr->str, hh->b, hdr->len));
}

/* Slot of the first header named name[0..l) (no colon), 0 if none. */
unsigned
vhttp_find(const struct http *hp, const char *name, unsigned l)
{
	unsigned u;

	for (u = HTTP_HDR_FIRST; u < hp->nhd; u++) {
		Tcheck(hp->hd[u]);
		if (Tlen(hp->hd[u]) < l + 1 || hp->hd[u].b[l] != ':')
			continue;
		if (!strncasecmp(hp->hd[u].b, name, l))
			return (u);
	}
	return (0);
}

int
http_GetHdr(const struct http *hp, hdr_t hdr, const char **ptr)
{
	const char *p;
	unsigned u;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	CHECK_HDR(hdr);
	u = vhttp_find(hp, hdr->str, hdr->len - 1U);
	if (ptr != NULL)
		*ptr = NULL;
	if (u == 0)
		return (0);
	if (ptr != NULL) {
		for (p = hp->hd[u].b + hdr->len; vhttp_issp(*p); p++)
			continue;
		*ptr = p;
	}
	return (1);
}

unsigned
http_CountHdr(const struct http *hp, hdr_t hdr)
{
	unsigned u, n = 0;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	for (u = HTTP_HDR_FIRST; u < hp->nhd; u++)
		if (http_IsHdr(&hp->hd[u], hdr))
			n++;
	return (n);
}

int
http_HdrIs(const struct http *hp, hdr_t hdr, const char *val)
{
	const char *p;

	if (!http_GetHdr(hp, hdr, &p))
		return (0);
	AN(p);
	return (!strcasecmp(p, val));
}

