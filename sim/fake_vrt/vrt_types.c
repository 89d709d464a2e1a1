/* vrt_types.c -- the pure VRT functions on VCL types: STRANDS, BLOB, INT/REAL checks
 * and the canonical strings of VCL values, as Varnish 8.0.0 defines them. Called by
 * VMOD code inside a task (results on ctx->ws); they touch no runtime state. */

#include <ctype.h>
#include <inttypes.h>
#include <time.h>

#include "cache/cache.h"
#include "cache/cache_director.h"

/* p points at one NULL so code that peeks at p[0] of an empty STRANDS is safe. */
static const char *vdisim_null_piece[1] = { NULL };
static const struct strands vdisim_null_strands = {
	STRANDS_MAGIC, 0, vdisim_null_piece
};
const struct strands *const vrt_null_strands = &vdisim_null_strands;

static const struct vrt_blob vdisim_null_blob = {
	VRT_BLOB_MAGIC, VRT_NULL_BLOB_TYPE, 0, "\0"
};
const struct vrt_blob *const vrt_null_blob = &vdisim_null_blob;

/* ---- STRANDS ---- */

/* Both allocations or NULL; the caller reports the overflow. */
struct strands *
VRT_AllocStrandsWS(struct ws *ws, int n)
{
	struct strands *s;
	const char **p;

	assert(n >= 0);
	s = WS_Alloc(ws, sizeof *s);
	p = WS_Alloc(ws, (unsigned)n * sizeof *p);
	if (s == NULL || p == NULL)
		return (NULL);
	s->magic = STRANDS_MAGIC;
	s->n = n;
	s->p = p;
	return (s);
}

/* Next character of the concatenation, 0 at its end; (*i, *c) is the cursor. */
static int
strands_next(VCL_STRANDS s, int *i, const char **c)
{
	while (*c == NULL || **c == '\0') {
		if (*i >= s->n)
			return (0);
		*c = s->p[(*i)++];
	}
	return ((unsigned char)*(*c)++);
}

/* strcmp() of the two concatenations (NULL pieces count as empty). */
int
VRT_CompareStrands(VCL_STRANDS a, VCL_STRANDS b)
{
	const char *ca = NULL, *cb = NULL;
	int ia = 0, ib = 0, x, y;

	CHECK_OBJ_NOTNULL(a, STRANDS_MAGIC);
	CHECK_OBJ_NOTNULL(b, STRANDS_MAGIC);
	do {
		x = strands_next(a, &ia, &ca);
		y = strands_next(b, &ib, &cb);
	} while (x == y && x != 0);
	if (x == 0 && y == 0)
		return (0);
	if (x == 0)
		return (-1);
	if (y == 0)
		return (1);
	return ((int)(signed char)x - (int)(signed char)y);
}

VCL_BOOL
VRT_Strands2Bool(VCL_STRANDS s)
{
	int i;

	CHECK_OBJ_NOTNULL(s, STRANDS_MAGIC);
	for (i = 0; i < s->n; i++)
		if (s->p[i] != NULL)
			return (1);
	return (0);
}

/* Concatenate into d (dl bytes): the byte after the NUL, or NULL if too small. */
char *
VRT_Strands(char *d, size_t dl, VCL_STRANDS s)
{
	char *w = d;
	size_t l, left = dl;
	int i;

	AN(d);
	CHECK_OBJ_NOTNULL(s, STRANDS_MAGIC);
	for (i = 0; i < s->n; i++) {
		if (s->p[i] == NULL || *s->p[i] == '\0')
			continue;
		l = strlen(s->p[i]);
		if (l >= left)
			return (NULL);
		memcpy(w, s->p[i], l);
		w += l;
		left -= l;
	}
	assert(left > 0);
	*w = '\0';
	return (w + 1);
}

/*
 * prefix + the concatenation on ws; no copy when the answer already is one
 * string on ws (or the empty string). NULL on overflow.
 */
VCL_STRING
VRT_StrandsWS(struct ws *ws, const char *h, VCL_STRANDS s)
{
	struct vsb vsb[1];
	const char *only = NULL;
	int i, pieces = 0;

	WS_Assert(ws);
	CHECK_OBJ_NOTNULL(s, STRANDS_MAGIC);
	for (i = 0; i < s->n; i++) {
		if (s->p[i] == NULL || *s->p[i] == '\0')
			continue;
		if (pieces++ == 0)
			only = s->p[i];
	}
	if (pieces == 0) {
		if (h == NULL)
			return ("");
		if (WS_Allocated(ws, h, -1))
			return (h);
	} else if (pieces == 1 && h == NULL && WS_Allocated(ws, only, -1)) {
		return (only);
	}
	WS_VSB_new(vsb, ws);
	if (h != NULL)
		VSB_cat(vsb, h);
	for (i = 0; i < s->n; i++)
		if (s->p[i] != NULL && *s->p[i] != '\0')
			VSB_cat(vsb, s->p[i]);
	return (WS_VSB_finish(vsb, ws, NULL));
}

VCL_STRING
VRT_STRANDS_string(VRT_CTX, VCL_STRANDS s)
{
	const char *r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(ctx->ws, WS_MAGIC);
	r = VRT_StrandsWS(ctx->ws, NULL, s);
	if (r == NULL)
		VRT_fail(ctx, "Workspace overflow");
	return (r);
}

/*
 * ASCII upper (up) or lower case of the concatenation. A single piece that
 * needs no change comes back as it is; otherwise a copy on ctx->ws.
 */
VCL_STRING
VRT_UpperLowerStrands(VRT_CTX, VCL_STRANDS s, int up)
{
	const char *last = NULL, *p;
	char *b, *w, *e;
	int i, changed = 0, pieces = 0;
	unsigned room;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(ctx->ws, WS_MAGIC);
	CHECK_OBJ_NOTNULL(s, STRANDS_MAGIC);
	room = WS_ReserveAll(ctx->ws);
	b = w = WS_Reservation(ctx->ws);
	e = b + room;
	for (i = 0; i < s->n; i++) {
		if (s->p[i] == NULL || *s->p[i] == '\0')
			continue;
		last = s->p[i];
		pieces++;
		for (p = s->p[i]; *p != '\0'; p++) {
			if (w == e) {
				/* Nothing to change so far: we may not need the copy. */
				if (changed || pieces > 1)
					break;
				continue;
			}
			if (up ? (*p >= 'a' && *p <= 'z') :
			    (*p >= 'A' && *p <= 'Z')) {
				*w++ = (char)(*p ^ 0x20);
				changed = 1;
			} else {
				*w++ = *p;
			}
		}
		if (w == e && (changed || pieces > 1)) {
			WS_Release(ctx->ws, 0);
			VRT_fail(ctx, "Workspace overflow");
			return (NULL);
		}
	}
	if (!changed && pieces <= 1) {
		WS_Release(ctx->ws, 0);
		return (last);
	}
	assert(w < e);
	*w++ = '\0';
	WS_ReleaseP(ctx->ws, w);
	return (b);
}

/* ---- BLOB ---- */

/* src must live as long as the task; empty input gives vrt_null_blob. */
VCL_BLOB
VRT_blob(VRT_CTX, const char *err, const void *src, size_t len, unsigned type)
{
	struct vrt_blob *b;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(ctx->ws, WS_MAGIC);
	if (src == NULL || len == 0)
		return (vrt_null_blob);
	b = WS_Alloc(ctx->ws, sizeof *b);
	if (b == NULL) {
		VRT_fail(ctx, "Workspace overflow (%s)", err);
		return (NULL);
	}
	INIT_OBJ(b, VRT_BLOB_MAGIC);
	b->type = type;
	b->len = len;
	b->blob = src;
	return (b);
}

/* ":<base64>:" (RFC 4648 alphabet, padded), as VCL prints a BLOB. */
VCL_STRING
VRT_BLOB_string(VRT_CTX, VCL_BLOB val)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p;
	struct vsb vsb[1];
	uint32_t v;
	size_t i, n;

	if (val == NULL)
		return (NULL);
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	p = val->blob;
	WS_VSB_new(vsb, ctx->ws);
	VSB_putc(vsb, ':');
	for (i = 0; i < val->len; i += 3) {
		n = val->len - i < 3 ? val->len - i : 3;
		v = (uint32_t)p[i] << 16;
		if (n > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		VSB_putc(vsb, b64[(v >> 18) & 0x3f]);
		VSB_putc(vsb, b64[(v >> 12) & 0x3f]);
		VSB_putc(vsb, n > 1 ? b64[(v >> 6) & 0x3f] : '=');
		VSB_putc(vsb, n > 2 ? b64[v & 0x3f] : '=');
	}
	VSB_putc(vsb, ':');
	return (WS_VSB_finish(vsb, ctx->ws, NULL));
}

/* ---- numbers, booleans, time ---- */

int
VRT_INT_is_valid(VCL_INT arg)
{
	return (arg >= VRT_INTEGER_MIN && arg <= VRT_INTEGER_MAX);
}

int
VRT_REAL_is_valid(VCL_REAL arg)
{
	return (!isnan(arg) && arg >= VRT_DECIMAL_MIN &&
	    arg <= VRT_DECIMAL_MAX);
}

/* An out-of-range value fails the task but is still printed. */
VCL_STRING
VRT_INT_string(VRT_CTX, VCL_INT num)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (!VRT_INT_is_valid(num))
		VRT_fail(ctx, "INT overflow converting to string (0x%jx)",
		    (uintmax_t)num);
	return (WS_Printf(ctx->ws, "%jd", (intmax_t)num));
}

VCL_STRING
VRT_REAL_string(VRT_CTX, VCL_REAL num)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (!VRT_REAL_is_valid(num))
		VRT_fail(ctx, "REAL overflow converting to string (%e)", num);
	return (WS_Printf(ctx->ws, "%.3f", num));
}

VCL_STRING
VRT_BOOL_string(VCL_BOOL val)
{
	return (val ? "true" : "false");
}

/* RFC 1123 date (VTIM_format's form); "" for a time gmtime cannot show. */
static int
vrt_format_time(vtim_real t, char *buf, size_t len)
{
	static const char day[7][4] =
	    { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t tt;

	*buf = '\0';
	if (isnan(t) || t < -1e15 || t > 1e15)
		return (-1);
	tt = (time_t)t;
	if (gmtime_r(&tt, &tm) == NULL)
		return (-1);
	return (snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    day[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec) >= (int)len ? -1 : 0);
}

VCL_STRING
VRT_TIME_string(VRT_CTX, VCL_TIME t)
{
	char *p;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	p = WS_Alloc(ctx->ws, VTIM_FORMAT_SIZE);
	if (p == NULL) {
		VRT_fail(ctx, "Workspace overflow");
		return (NULL);
	}
	if (vrt_format_time(t, p, VTIM_FORMAT_SIZE) != 0 || *p == '\0') {
		VRT_fail(ctx, "Unformattable VCL_TIME");
		return (NULL);
	}
	return (p);
}

/* ---- historical ---- */

/* A NULL string equals nothing, not even another NULL. */
int
VRT_strcmp(const char *s1, const char *s2)
{
	if (s1 == NULL || s2 == NULL)
		return (1);
	return (strcmp(s1, s2));
}

void
VRT_memmove(void *dst, const void *src, unsigned len)
{
	(void)memmove(dst, src, len);
}

/* ---- admin health states of cache/cache_director.h ---- */

struct vdi_ahealth {
	const char	*name;
	int		health;
};

#define VBE_AHEALTH(l, u, h)						\
	static const struct vdi_ahealth vdi_ah_##l[1] = { { #l, h } };	\
	const struct vdi_ahealth * const VDI_AH_##u = vdi_ah_##l;
VBE_AHEALTH_LIST
#undef VBE_AHEALTH
