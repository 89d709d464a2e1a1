/* vnum.c -- vdisim's number parsers for vnum.h, with Varnish 8.0.0's results: the
 * same values, stop positions and error texts (two "Invalid number" texts are kept
 * apart because a missing integer part may still be followed by a fraction). */

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "vdef.h"
#include "vas.h"
#include "vnum.h"

static const char vnum_e_invalid[] = "Invalid number";
static const char vnum_e_nodigits[] = "Invalid number";
static const char vnum_e_toolong[] = "Too many digits";
static const char vnum_e_unit[] =
    "Unknown BYTES unit of measurement ([KMGTP][B])";
static const char vnum_e_fraction[] = "Fractional BYTES not allowed";

#define VNUM_SF_MAXDIG	15	/* RFC 8941 sf-integer */
#define VNUM_SF_MAXFRAC	3	/* RFC 8941 sf-decimal */

static int
vnum_ows(char c)
{

	return (c == ' ' || c == '\t');
}

static int
vnum_digit(char c)
{

	return (c >= '0' && c <= '9');
}

/* Record a failure: errno EINVAL and the text, when the caller wants it. */
static void
vnum_fail(const char **errtxt, const char *why)
{

	if (errtxt != NULL)
		*errtxt = why;
	errno = EINVAL;
}

/* [OWS] ["-"] 1*maxdig DIGIT [OWS]. On failure *ipp stays where parsing stopped
 * and the digits so far are returned. */
static int64_t
vnum_sf_int(const char **ipp, const char **errtxt, int *sign, int maxdig)
{
	const char *p;
	int64_t v = 0;
	int n = 0;

	AN(ipp);
	AN(*ipp);
	if (errtxt != NULL)
		*errtxt = NULL;
	errno = 0;
	*sign = 1;
	p = *ipp;
	while (vnum_ows(*p))
		p++;
	if (*p == '-') {
		*sign = -1;
		p++;
	}
	for (; vnum_digit(*p); p++) {
		if (++n > maxdig) {
			*ipp = p;
			vnum_fail(errtxt, vnum_e_toolong);
			return (v);
		}
		v = v * 10 + (*p - '0');
	}
	if (n == 0) {
		*ipp = p;
		vnum_fail(errtxt, vnum_e_nodigits);
		return (v);
	}
	while (vnum_ows(*p))
		p++;
	*ipp = p;
	return (v);
}

int64_t
SF_Parse_Integer(const char **ipp, const char **errtxt)
{
	int64_t v;
	int sign;

	v = vnum_sf_int(ipp, errtxt, &sign, VNUM_SF_MAXDIG);
	return (v * sign);
}

/* Integer part, then an optional fraction of which three digits count. strict
 * wants RFC 8941 exactly: at least one and at most three fraction digits. An
 * error after the integer part returns the magnitude without its sign. */
double
SF_Parse_Number(const char **ipp, int strict, const char **errtxt)
{
	const char *why = NULL, **wp = errtxt != NULL ? errtxt : &why;
	double v, place = 1.0;
	int sign, n;

	v = (double)vnum_sf_int(ipp, wp, &sign, VNUM_SF_MAXDIG);
	if (strict && errno)
		return (0);
	if (**ipp != '.')
		return (v * sign);
	if (v < VRT_DECIMAL_MIN || v > VRT_DECIMAL_MAX) {
		vnum_fail(wp, vnum_e_toolong);
		return (v);
	}
	/* "-.5" is fine loosely, "." or "-." never */
	if (*wp == vnum_e_nodigits && !vnum_digit((*ipp)[1])) {
		vnum_fail(wp, vnum_e_nodigits);
		return (v);
	}
	*wp = NULL;
	errno = 0;
	(*ipp)++;
	for (n = 0; n < VNUM_SF_MAXFRAC && vnum_digit(**ipp); n++) {
		place /= 10.0;
		v += place * (*(*ipp)++ - '0');
	}
	if (strict && n == 0) {
		vnum_fail(wp, vnum_e_invalid);
		return (v);
	}
	if (strict && vnum_digit(**ipp)) {
		vnum_fail(wp, vnum_e_toolong);
		return (v);
	}
	while (vnum_digit(**ipp))
		(*ipp)++;
	while (vnum_ows(**ipp))
		(*ipp)++;
	return (v * sign);
}

double
SF_Parse_Decimal(const char **ipp, int strict, const char **errtxt)
{
	double v;

	v = SF_Parse_Number(ipp, strict, errtxt);
	if (errno)
		return (v);
	if (v < VRT_DECIMAL_MIN || v > VRT_DECIMAL_MAX)
		vnum_fail(errtxt, vnum_e_toolong);
	return (v);
}

double
VNUM(const char *p)
{
	double v;

	AN(p);
	v = SF_Parse_Number(&p, 0, NULL);
	if (errno || *p != '\0')
		return (nan(""));
	return (v);
}

/* Seconds per unit; *len gets the unit's length, 0 for an unknown unit. */
static double
vnum_dur_scale(const char *b, const char *e, int *len)
{

	*len = 1;
	switch (*b) {
	case 's': return (1.0);
	case 'm':
		if (b + 1 < e && b[1] == 's') {
			*len = 2;
			return (1e-3);
		}
		return (60.0);
	case 'h': return (3600.0);
	case 'd': return (86400.0);
	case 'w': return (7 * 86400.0);
	case 'y': return (365 * 86400.0);
	default:
		*len = 0;
		return (0);
	}
}

vtim_dur
VNUM_duration_unit(vtim_dur r, const char *b, const char *e)
{
	double scale;
	int len;

	AN(b);
	if (e == NULL)
		e = b + strlen(b);
	while (b < e && vnum_ows(*b))
		b++;
	if (b == e)
		return (nan(""));
	scale = vnum_dur_scale(b, e, &len);
	if (len == 0)
		return (nan(""));
	for (b += len; b < e && vnum_ows(*b); b++)
		continue;
	if (b < e)
		return (nan(""));
	return (r * scale);
}

vtim_dur
VNUM_duration(const char *p)
{
	double v;

	if (p == NULL)
		return (nan(""));
	v = SF_Parse_Number(&p, 0, NULL);
	if (errno)
		return (nan(""));
	return (VNUM_duration_unit(v, p, NULL));
}

/* Whole bytes only: a fraction left after scaling by 1 is an error. */
static int
vnum_fractional(double r)
{

	return (r != trunc(r));
}

int64_t
VNUM_bytes_unit(double r, const char *b, const char *e, uintmax_t rel,
    const char **errtxt)
{
	double scale = 1.0;

	AN(b);
	AN(errtxt);
	errno = 0;
	if (e == NULL)
		e = b + strlen(b);
	while (b < e && vnum_ows(*b))
		b++;
	if (b == e) {
		if (vnum_fractional(r))
			vnum_fail(errtxt, vnum_e_fraction);
		return ((int64_t)trunc(r));
	}
	if (rel != 0 && *b == '%') {
		r *= (double)rel * 0.01;
		b++;
	} else {
		switch (*b) {
		case 'k': case 'K': scale = 0x1p10; b++; break;
		case 'm': case 'M': scale = 0x1p20; b++; break;
		case 'g': case 'G': scale = 0x1p30; b++; break;
		case 't': case 'T': scale = 0x1p40; b++; break;
		case 'p': case 'P': scale = 0x1p50; b++; break;
		case 'b': case 'B':
			if (vnum_fractional(r)) {
				vnum_fail(errtxt, vnum_e_fraction);
				return (0);
			}
			break;
		default:
			vnum_fail(errtxt, vnum_e_unit);
			return (0);
		}
		/* the B after a multiplier, or a bare B */
		if (b < e && (*b == 'b' || *b == 'B'))
			b++;
	}
	while (b < e && vnum_ows(*b))
		b++;
	if (b < e) {
		vnum_fail(errtxt, vnum_e_unit);
		return (0);
	}
	return ((int64_t)trunc(scale * r));
}

const char *
VNUM_2bytes(const char *p, uintmax_t *r, uintmax_t rel)
{
	const char *why = NULL;
	double v;
	int64_t n;

	AN(r);
	if (p == NULL || *p == '\0')
		return (vnum_e_invalid);
	v = SF_Parse_Number(&p, 1, &why);
	if (errno)
		return (why);
	if (v < 0)
		return (vnum_e_invalid);
	n = VNUM_bytes_unit(v, p, NULL, rel, &why);
	if (errno)
		return (why);
	*r = (uintmax_t)n;
	return (NULL);
}

static int
vnum_digit_value(char c)
{

	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (99);
}

static ssize_t
vnum_uint(const char *b, const char *e, const char **p, int base)
{
	ssize_t v = 0;
	int d;

	AN(b);
	AN(p);
	if (e == NULL)
		e = b + strlen(b);
	if (b >= e || vnum_digit_value(*b) >= base) {
		*p = b;
		return (-1);
	}
	for (; b < e && (d = vnum_digit_value(*b)) < base; b++) {
		if (v > (SSIZE_MAX - d) / base) {
			v = -2;
			break;
		}
		v = v * base + d;
	}
	*p = b;
	return (v);
}

ssize_t
VNUM_uint(const char *b, const char *e, const char **p)
{

	return (vnum_uint(b, e, p, 10));
}

ssize_t
VNUM_hex(const char *b, const char *e, const char **p)
{

	return (vnum_uint(b, e, p, 16));
}
