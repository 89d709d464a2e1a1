/* http_parse.c -- reading structured header values: comma lists with tokens (quoted
 * ones compare exactly, bare ones ignoring case), token=value fields, q-values,
 * Content-Length, Content-Range and Range. Part of http.c; pure functions of hd[]. */

#include <limits.h>
#include <stdint.h>

#include "cache/cache.h"
#include "http_priv.h"

ssize_t
vhttp_uint(const char *b, const char *e, const char **p)
{
	ssize_t v = 0;
	int d;

	AN(b);
	AN(p);
	if (e == NULL)
		e = strchr(b, '\0');
	if (b >= e || *b < '0' || *b > '9') {
		*p = b;
		return (-1);
	}
	for (; b < e && *b >= '0' && *b <= '9'; b++) {
		d = *b - '0';
		if (v > (SSIZE_MAX - d) / 10) {
			v = -2;
			break;
		}
		v = v * 10 + d;
	}
	*p = b;
	return (v);
}

/* A token character (RFC 7230 tchar). */
static int
http_istchar(int c)
{
	if (c >= '0' && c <= '9')
		return (1);
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return (1);
	return (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/*
 * Next element of *src (up to stop, or the NUL) between separators from sep,
 * trimmed of blanks; an empty sep splits at blanks. 0 when nothing is left.
 */
static int
http_next(const char **src, const char *stop, const char *sep,
    const char **b, const char **e)
{
	const char *p, *q;

	AN(src);
	AN(*src);
	if (stop == NULL)
		stop = strchr(*src, '\0');
	for (p = *src; p < stop; p++)
		if (!vhttp_issp(*p) && strchr(sep, *p) == NULL)
			break;
	if (p >= stop) {
		*b = NULL;
		*e = NULL;
		return (0);
	}
	*b = p;
	if (*sep == '\0') {
		for (q = p + 1; q < stop && !vhttp_issp(*q); q++)
			continue;
		*e = q;
		*src = q;
		return (1);
	}
	for (q = p + 1; q < stop && strchr(sep, *q) == NULL; q++)
		continue;
	*src = q;
	while (q > p && vhttp_issp(q[-1]))
		q--;
	*e = q;
	return (1);
}

/* Does [*bp, e) start with token? On a match *bp moves past it. */
static int
http_at_token(const char **bp, const char *e, const char *token)
{
	size_t l = strlen(token);
	const char *b = *bp;

	if (*b == '"' && b + l + 2 <= e && !memcmp(b + 1, token, l) &&
	    b[l + 1] == '"') {
		*bp = b + l + 2;
		return (1);
	}
	if (b + l <= e && !strncasecmp(b, token, l) &&
	    (b + l == e || !http_istchar(b[l]))) {
		*bp = b + l;
		return (1);
	}
	return (0);
}

int
http_GetHdrToken(const struct http *hp, hdr_t hdr, const char *token,
    const char **pb, const char **pe)
{
	const char *h, *b = NULL, *e = NULL;
	int found = 0;

	AN(token);
	if (pb != NULL)
		*pb = NULL;
	if (pe != NULL)
		*pe = NULL;
	if (!http_GetHdr(hp, hdr, &h))
		return (0);
	AN(h);
	while (http_next(&h, NULL, ",", &b, &e)) {
		if (http_at_token(&b, e, token)) {
			found = 1;
			break;
		}
	}
	if (!found)
		return (0);
	/* What follows the token in its element: ";q=0.5" or "=value". */
	if (pb != NULL) {
		while (b < e && (vhttp_issp(*b) || *b == '\r' || *b == '\n'))
			b++;
		if (b == e) {
			b = NULL;
			e = NULL;
		}
		*pb = b;
		if (pe != NULL)
			*pe = e;
	}
	return (1);
}

double
http_GetHdrQ(const struct http *hp, hdr_t hdr, const char *field)
{
	const char *hb, *he, *b = NULL, *e = NULL;
	double q, f;

	if (!http_GetHdrToken(hp, hdr, field, &hb, &he))
		return (0.);
	if (hb == NULL)
		return (1.);
	while (http_next(&hb, he, ";", &b, &e)) {
		if (*b != 'q')
			continue;
		for (b++; b < e && vhttp_issp(*b); b++)
			continue;
		if (b < e && *b == '=')
			break;
	}
	if (b == NULL)
		return (1.);
	for (b++; b < e && vhttp_issp(*b); b++)
		continue;
	if (b == e || (*b != '.' && (*b < '0' || *b > '9')))
		return (0.);
	for (q = 0.; b < e && *b >= '0' && *b <= '9'; b++)
		q = q * 10. + (*b - '0');
	if (b == e || *b != '.')
		return (q);
	for (b++, f = .1; b < e && *b >= '0' && *b <= '9'; b++, f *= .1)
		q += f * (*b - '0');
	return (q);
}

int
http_GetHdrField(const struct http *hp, hdr_t hdr, const char *field,
    const char **ptr)
{
	const char *h = NULL;

	if (ptr != NULL)
		*ptr = NULL;
	if (!http_GetHdrToken(hp, hdr, field, &h, NULL))
		return (0);
	if (ptr == NULL || h == NULL)
		return (1);
	while (vhttp_issp(*h))
		h++;
	if (*h != '=')
		return (1);
	for (h++; vhttp_issp(*h); h++)
		continue;
	*ptr = h;
	return (1);
}

static int
http_islws(int c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* -1: no header, -2: not a plain number. */
ssize_t
http_GetContentLength(const struct http *hp)
{
	const char *b;
	ssize_t cl;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	if (!http_GetHdr(hp, H_Content_Length, &b))
		return (-1);
	cl = vhttp_uint(b, NULL, &b);
	if (cl < 0)
		return (-2);
	while (http_islws(*b))
		b++;
	return (*b == '\0' ? cl : -2);
}

/* "bytes lo-hi/len" with a star allowed for lo-hi or len: len (-1 for a star), -2 if bad. */
ssize_t
http_GetContentRange(const struct http *hp, ssize_t *lo, ssize_t *hi)
{
	ssize_t dummy, cl;
	const char *b, *sp;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	if (lo == NULL)
		lo = &dummy;
	if (hi == NULL)
		hi = &dummy;
	*lo = -1;
	*hi = -1;
	if (!http_GetHdr(hp, H_Content_Range, &b))
		return (-1);
	sp = strchr(b, ' ');
	if (sp == NULL)
		return (-2);
	if (sp - b != 5 || strncasecmp(b, "bytes", 5))
		return (-1);
	b = sp + 1;
	if (*b == '*') {
		b++;
	} else {
		*lo = vhttp_uint(b, NULL, &b);
		if (*lo < 0 || *b != '-')
			return (-2);
		*hi = vhttp_uint(b + 1, NULL, &b);
		if (*hi < 0)
			return (-2);
	}
	if (*b != '/')
		return (-2);
	if (b[1] == '*') {
		cl = -1;
		b += 2;
	} else {
		cl = vhttp_uint(b + 1, NULL, &b);
		if (cl <= 0)
			return (-2);
	}
	while (http_islws(*b))
		b++;
	if (*b != '\0' || *lo > *hi)
		return (-2);
	if (*lo >= cl || *hi >= cl)
		return (-2);
	return (cl);
}

/* NULL if the Range header (if any) is usable; else why not. */
const char *
http_GetRange(const struct http *hp, ssize_t *lo, ssize_t *hi, ssize_t len)
{
	ssize_t dlo, dhi;
	const char *b, *eq;

	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	if (lo == NULL)
		lo = &dlo;
	if (hi == NULL)
		hi = &dhi;
	*lo = -1;
	*hi = -1;
	if (!http_GetHdr(hp, H_Range, &b))
		return (NULL);
	eq = strchr(b, '=');
	if (eq == NULL)
		return ("Missing '='");
	if (eq - b != 5 || strncasecmp(b, "bytes", 5))
		return ("Not Bytes");
	*lo = vhttp_uint(eq + 1, NULL, &b);
	if (*lo == -2)
		return ("Low number too big");
	if (*b++ != '-')
		return ("Missing hyphen");
	*hi = vhttp_uint(b, NULL, &b);
	if (*hi == -2)
		return ("High number too big");
	if (*lo == -1 && *hi == -1)
		return ("Neither high nor low");
	if (*lo == -1 && *hi == 0)
		return ("No low, high is zero");
	if (*hi >= 0 && *hi < *lo)
		return ("high smaller than low");
	while (http_islws(*b))
		b++;
	if (*b != '\0')
		return ("Trailing stuff");
	if (*lo < 0) {
		/* "-n": the last n bytes */
		assert(*hi > 0);
		*lo = len - *hi;
		if (*lo < 0)
			*lo = 0;
		*hi = len - 1;
	} else if (len >= 0 && (*hi >= len || *hi < 0)) {
		*hi = len - 1;
	}
	if (len <= 0)
		return (NULL);
	if (*lo >= len)
		return ("low range beyond object");
	return (NULL);
}
