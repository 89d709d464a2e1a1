/* vnum.h -- Varnish's number parsers (VNUM_*, RFC 8941 SF_Parse_*) for vdisim: plain
 * numbers, durations with units, byte sizes with units or a percentage, and bounded
 * decimal/hex integers. Vmods parse their arguments with them; vlib/vnum.c. */

#ifndef VNUM_H_INCLUDED
#define VNUM_H_INCLUDED

#include <stdint.h>
#include <sys/types.h>

#include "vdef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VNUM_EPSILON (1e-9)
/* NAN unless the whole string is one number (integer or decimal). */
double VNUM(const char *p);
/* r scaled by the unit in [b, e) (e NULL: to the end); NAN for none or a bad one. */
vtim_dur VNUM_duration_unit(vtim_dur r, const char *b, const char *e);
vtim_dur VNUM_duration(const char *p);
/* r times a [KMGTP][B] unit, or percent of rel; errno EINVAL and *errtxt on error. */
int64_t VNUM_bytes_unit(double r, const char *b, const char *e, uintmax_t rel,
    const char **errtxt);
/* NULL and *r set, or an error text. */
const char *VNUM_2bytes(const char *p, uintmax_t *r, uintmax_t rel);
/* Digits from b (to e, NULL: to the end); -1 when none, -2 on overflow; *p = stop. */
ssize_t VNUM_uint(const char *b, const char *e, const char **p);
ssize_t VNUM_hex(const char *b, const char *e, const char **p);

/* *ipp advances past what was used; errno != 0 (and *errtxt) on failure. */
int64_t SF_Parse_Integer(const char **ipp, const char **errtxt);
double SF_Parse_Decimal(const char **ipp, int strict, const char **errtxt);
double SF_Parse_Number(const char **ipp, int strict, const char **errtxt);

#define VNUM_LEGAL_DURATION \
	"Legal duration units are 'ms', 's', 'm', 'h', 'd', 'w' and 'y'"

#ifdef __cplusplus
}
#endif

#endif /* VNUM_H_INCLUDED */
