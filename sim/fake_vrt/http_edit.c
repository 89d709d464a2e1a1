/* http_edit.c -- changing a struct http: adding, forcing, appending, collecting and
 * removing headers, copying strings home to the workspace, filtering a request into
 * a bereq, and the flat encoding Varnish stores objects' headers in. Part of http.c. */

#include <time.h>

#include "cache/cache.h"
#include "vend.h"
#include "http_priv.h"

void
http_SetHeader(struct http *to, const char *header)
{
	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	AN(header);
	if (to->nhd >= to->shd) {
		vhttp_fail(to, header);
		return;
	}
	to->nhd++;
	http_SetH(to, to->nhd - 1U, header);
}

void
http_PrintfHeader(struct http *to, const char *fmt, ...)
{
	struct vsb vsb[1];
	va_list ap;
	char *p;

	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	WS_VSB_new(vsb, to->ws);
	va_start(ap, fmt);
	VSB_vprintf(vsb, fmt, ap);
	va_end(ap);
	p = WS_VSB_finish(vsb, to->ws, NULL);
	if (p == NULL || to->nhd >= to->shd) {
		vhttp_fail(to, p != NULL ? p : fmt);
		return;
	}
	to->nhd++;
	http_SetH(to, to->nhd - 1U, p);
}

void
http_ForceHeader(struct http *to, hdr_t hdr, const char *val)
{
	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	AN(val);
	if (http_HdrIs(to, hdr, val))
		return;
	http_Unset(to, hdr);
	http_PrintfHeader(to, "%s %s", hdr->str, val);
}

void
http_AppendHeader(struct http *to, hdr_t hdr, const char *val)
{
	const char *old;

	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	http_CollectHdr(to, hdr);
	if (!http_GetHdr(to, hdr, &old)) {
		http_PrintfHeader(to, "%s %s", hdr->str, val);
		return;
	}
	/* old stays valid: Unset only moves the hd[] entries. */
	http_Unset(to, hdr);
	http_PrintfHeader(to, "%s %s, %s", hdr->str, old, val);
}

/* "<fmt><IMF-fixdate of now>", e.g. fmt "Date: "; on virtual time, so reproducible. */
void
http_TimeHeader(struct http *to, const char *fmt, vtim_real now)
{
	static const char day[7][4] =
	    { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)now;
	struct tm tm;

	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	AN(fmt);
	AN(gmtime_r(&t, &tm));
	http_PrintfHeader(to, "%s%s, %02d %s %04d %02d:%02d:%02d GMT", fmt,
	    day[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* varnishd builds this from its identity at start; vdisim has one fixed identity. */
const char *
http_ViaHeader(void)
{
	return ("1.1 vdisim (Varnish/8.0)");
}

void
http_Unset(struct http *hp, hdr_t hdr)
{
	uint16_t u, keep;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	keep = HTTP_HDR_FIRST;
	for (u = HTTP_HDR_FIRST; u < hp->nhd; u++) {
		if (http_IsHdr(&hp->hd[u], hdr)) {
			vhttp_log(hp, u, HTTP_HDR_UNSET);
			continue;
		}
		hp->hd[keep] = hp->hd[u];
		hp->hdf[keep] = hp->hdf[u];
		keep++;
	}
	hp->nhd = keep;
}

void
http_CollectHdr(struct http *hp, hdr_t hdr)
{
	http_CollectHdrSep(hp, hdr, NULL);
}

/*
 * Fold every "hdr" line into the first one, values joined by sep (", " when NULL
 * or empty), in one workspace reservation; the later lines leave hd[].
 */
void
http_CollectHdrSep(struct http *hp, hdr_t hdr, const char *sep)
{
	unsigned first, u, keep, room, lsep;
	char *b = NULL, *w = NULL, *end = NULL;
	const char *v;
	size_t l;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	CHECK_HDR(hdr);
	if (WS_Overflowed(hp->ws))
		return;
	if (sep == NULL || *sep == '\0')
		sep = ", ";
	lsep = (unsigned)strlen(sep);
	first = vhttp_find(hp, hdr->str, hdr->len - 1U);
	if (first == 0)
		return;
	keep = first + 1;
	for (u = first + 1; u < hp->nhd; u++) {
		if (!http_IsHdr(&hp->hd[u], hdr)) {
			hp->hd[keep] = hp->hd[u];
			hp->hdf[keep] = hp->hdf[u];
			keep++;
			continue;
		}
		if (b == NULL) {
			room = WS_ReserveAll(hp->ws);
			b = WS_Reservation(hp->ws);
			end = b + room;
			l = (size_t)Tlen(hp->hd[first]);
			if (b + l >= end) {
				WS_Release(hp->ws, 0);
				vhttp_fail(hp, hdr->str);
				return;
			}
			memcpy(b, hp->hd[first].b, l);
			w = b + l;
		}
		for (v = hp->hd[u].b + hdr->len; vhttp_issp(*v); v++)
			continue;
		l = (size_t)(hp->hd[u].e - v);
		if (w + lsep + l >= end) {
			WS_Release(hp->ws, 0);
			vhttp_fail(hp, hdr->str);
			return;
		}
		memcpy(w, sep, lsep);
		memcpy(w + lsep, v, l);
		w += lsep + l;
	}
	if (b == NULL)
		return;
	*w = '\0';
	hp->nhd = (uint16_t)keep;
	hp->hd[first].b = b;
	hp->hd[first].e = w;
	WS_ReleaseP(hp->ws, w + 1);
}

/* Give every string hp points at a copy on hp's own workspace. */
void
http_CopyHome(const struct http *hp)
{
	unsigned u;
	size_t l;
	char *p;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	for (u = 0; u < hp->nhd; u++) {
		if (hp->hd[u].b == NULL) {
			assert(u < HTTP_HDR_FIRST);
			continue;
		}
		l = (size_t)Tlen(hp->hd[u]);
		if (WS_Allocated(hp->ws, hp->hd[u].b, (ssize_t)l))
			continue;
		p = WS_Copy(hp->ws, hp->hd[u].b, (int)l + 1);
		if (p == NULL) {
			vhttp_fail(hp, hp->hd[u].b);
			return;
		}
		hp->hd[u].b = p;
		hp->hd[u].e = p + l;
	}
}

/* ---- filters: Connection-named headers (HDF_FILTER) and the HTTPH_* table ---- */

int
http_IsFiltered(const struct http *hp, unsigned u, unsigned how)
{
	const struct http_hdrflag *f;
	const char *colon;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	assert(u < hp->nhd);
	if (hp->hdf[u] & HDF_FILTER)
		return (1);
	if (u < HTTP_HDR_FIRST)
		return (0);
	colon = strchr(hp->hd[u].b, ':');
	if (colon == NULL)
		return (0);
	f = vhttp_flags_of(hp->hd[u].b, colon);
	return (f != NULL && (f->flag & how) != 0);
}

void
http_FilterReq(struct http *to, const struct http *fm, unsigned how)
{
	unsigned u;

	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	CHECK_OBJ_NOTNULL(fm, HTTP_MAGIC);
	for (u = HTTP_HDR_METHOD; u <= HTTP_HDR_PROTO; u++) {
		Tcheck(fm->hd[u]);
		to->hd[u] = fm->hd[u];
		to->hdf[u] = fm->hdf[u];
		vhttp_log(to, u, 0);
	}
	to->protover = fm->protover;
	to->status = fm->status;
	to->nhd = HTTP_HDR_FIRST;
	for (u = HTTP_HDR_FIRST; u < fm->nhd; u++) {
		if (http_IsFiltered(fm, u, how))
			continue;
		assert(to->nhd < to->shd);
		to->hd[to->nhd] = fm->hd[u];
		to->hdf[to->nhd] = 0;
		vhttp_log(to, to->nhd, 0);
		to->nhd++;
	}
}

/* Bytes HTTP_Encode needs for fm under filter how (rounded up to a pointer). */
unsigned
http_EstimateWS(const struct http *fm, unsigned how)
{
	unsigned u, l = 4;

	CHECK_OBJ_NOTNULL(fm, HTTP_MAGIC);
	for (u = 0; u < fm->nhd; u++) {
		if (u == HTTP_HDR_METHOD || u == HTTP_HDR_URL)
			continue;
		Tcheck(fm->hd[u]);
		if (http_IsFiltered(fm, u, how))
			continue;
		l += (unsigned)Tlen(fm->hd[u]) + 1U;
	}
	return ((unsigned)PRNDUP(l + 1U));
}

/*
 * Layout: be16 slot count (proto/status/reason + headers + 1), be16 status, then
 * proto, status text, reason and each kept header as NUL-terminated strings, then
 * an empty string.
 */
void
HTTP_Encode(const struct http *fm, uint8_t *p0, unsigned len, unsigned how)
{
	uint8_t *p = p0, *end;
	unsigned u, n = 0;
	size_t w;

	CHECK_OBJ_NOTNULL(fm, HTTP_MAGIC);
	AN(p0);
	end = p0 + len;
	assert(len >= 5);
	assert(fm->nhd <= fm->shd);
	vbe16enc(p0 + 2, fm->status);
	p += 4;
	for (u = 0; u < fm->nhd; u++) {
		if (u == HTTP_HDR_METHOD || u == HTTP_HDR_URL)
			continue;
		Tcheck(fm->hd[u]);
		if (http_IsFiltered(fm, u, how))
			continue;
		vhttp_log(fm, u, 0);
		w = (size_t)Tlen(fm->hd[u]) + 1U;
		assert(p + w + 1 <= end);
		memcpy(p, fm->hd[u].b, w);
		p += w;
		n++;
	}
	*p++ = '\0';
	assert(p <= end);
	/* Counted as slots: the two skipped request-line slots plus a spare. */
	vbe16enc(p0, (uint16_t)(n + 3U));
}

int
HTTP_Decode(struct http *to, const uint8_t *fm)
{
	const char *s;

	CHECK_OBJ_NOTNULL(to, HTTP_MAGIC);
	AN(to->vsl);
	AN(fm);
	if (vbe16dec(fm) > to->shd) {
		VSLb(to->vsl, SLT_Error,
		    "Too many headers to Decode object (%u vs. %u)",
		    vbe16dec(fm), to->shd);
		return (-1);
	}
	to->status = vbe16dec(fm + 2);
	s = (const char *)fm + 4;
	for (to->nhd = 0; to->nhd < to->shd; to->nhd++) {
		if (to->nhd == HTTP_HDR_METHOD || to->nhd == HTTP_HDR_URL) {
			to->hd[to->nhd].b = NULL;
			to->hd[to->nhd].e = NULL;
			continue;
		}
		if (*s == '\0')
			return (0);
		to->hd[to->nhd].b = s;
		to->hd[to->nhd].e = s + strlen(s);
		vhttp_log(to, to->nhd, 0);
		s = to->hd[to->nhd].e + 1;
	}
	VSLb(to->vsl, SLT_Error, "Too many headers to Decode object (%u)",
	    to->shd);
	return (-1);
}

/*
 * Connection: close / keep-alive decide how the stream ends; every other token
 * names a hop-by-hop header to filter, which a well-known end-to-end header may
 * not be (SC_RX_BAD).
 */
stream_close_t
http_DoConnection(struct http *hp, stream_close_t sc_close)
{
	const struct http_hdrflag *f;
	stream_close_t ret;
	const char *h, *b, *e;
	unsigned v, l;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	assert(sc_close == SC_REQ_CLOSE || sc_close == SC_RESP_CLOSE);
	ret = hp->protover == 10 ? SC_REQ_HTTP10 : SC_NULL;
	http_CollectHdr(hp, H_Connection);
	if (!http_GetHdr(hp, H_Connection, &h))
		return (ret);
	AN(h);
	while (*h != '\0') {
		while (*h == ',' || vhttp_issp(*h))
			h++;
		if (*h == '\0')
			break;
		for (b = h; *h != '\0' && *h != ','; h++)
			continue;
		for (e = h; e > b && vhttp_issp(e[-1]); e--)
			continue;
		l = (unsigned)(e - b);
		if (l == 5 && !strncasecmp(b, "close", l))
			ret = sc_close;
		if (l == 10 && !strncasecmp(b, "keep-alive", l))
			ret = SC_NULL;
		f = vhttp_flags_of(b, e);
		if (f != NULL && !(f->flag & HTTPH_R_PASS))
			return (SC_RX_BAD);
		for (v = HTTP_HDR_FIRST; v < hp->nhd; v++) {
			if (Tlen(hp->hd[v]) < l + 1 || hp->hd[v].b[l] != ':')
				continue;
			if (!strncasecmp(b, hp->hd[v].b, l))
				hp->hdf[v] |= HDF_FILTER;
		}
	}
	CHECK_OBJ_NOTNULL(ret, STREAM_CLOSE_MAGIC);
	return (ret);
}
