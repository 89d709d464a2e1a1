/* params.c -- cache_param (cache/cache_varnishd.h): varnishd's tunables as a vmod reads
 * them, each at Varnish 8.0.0's default (tbl/params.h's default text, parsed here once at
 * load). Nothing changes them during a run; vdisim has no param.set. The defaults
 * varnishd computes at start (dyn_default) are those of 64-bit Linux, fixed here so that
 * no run depends on the host: see param_dyn_default(). */

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vdef.h"
#include "vas.h"
#include "vnum.h"
#include "common/common_param.h"
#include "vapi/vsl.h"

static struct params vdisim_params;
volatile struct params *cache_param = &vdisim_params;

/* A parameter's default that does not parse is vdisim's bug: fail loudly at load. */
#define PARAM_CHECK(cond, nm, def)						\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "vdisim: default of %s (%s) does not "	\
			    "parse\n", (nm), (def) != NULL ? (def) : "NULL");	\
			abort();						\
		}								\
	} while (0)

static void
param_boolean(unsigned *f, const char *def, const char *nm)
{

	PARAM_CHECK(def != NULL && (!strcmp(def, "on") || !strcmp(def, "off")), nm, def);
	*f = !strcmp(def, "on");
}

static void
param_double(double *f, const char *def, const char *nm)
{

	*f = def != NULL ? VNUM(def) : NAN;
	PARAM_CHECK(!isnan(*f), nm, def);
}

/* A number of seconds, or a number and a unit ("10s"); a timeout may be "never". */
static void
param_duration(vtim_dur *f, const char *def, const char *nm)
{
	char *unit;
	double v;

	PARAM_CHECK(def != NULL, nm, def);
	if (!strcmp(def, "never")) {
		*f = INFINITY;
		return;
	}
	v = strtod(def, &unit);
	*f = (*unit == '\0') ? v : VNUM_duration_unit(v, unit, NULL);
	PARAM_CHECK(unit != def && !isnan(*f), nm, def);
}

static void
param_uint(unsigned *f, const char *def, const char *nm)
{
	char *end;
	unsigned long v;

	PARAM_CHECK(def != NULL, nm, def);
	if (!strcasecmp(def, "unlimited")) {
		*f = UINT_MAX;
		return;
	}
	v = strtoul(def, &end, 10);
	PARAM_CHECK(end != def && *end == '\0' && v <= UINT_MAX, nm, def);
	*f = (unsigned)v;
}

/* The defaults the table leaves to varnishd: its thread stack on 64-bit, and the TCP
 * keepalive settings it reads from a socket, Linux's (tcp(7)). */
static const char *
param_dyn_default(const char *nm)
{
	static const struct {
		const char *nm, *def;
	} dyn[] = {
		{"thread_pool_stack", "80k"},
		{"tcp_keepalive_time", "7200"},
		{"tcp_keepalive_probes", "9"},
		{"tcp_keepalive_intvl", "75"},
	};
	size_t i;

	for (i = 0; i < sizeof dyn / sizeof dyn[0]; i++)
		if (!strcmp(nm, dyn[i].nm))
			return (dyn[i].def);
	return (NULL);
}

static uintmax_t
param_bytes_of(const char *def, const char *nm)
{
	uintmax_t v = 0;

	PARAM_CHECK(VNUM_2bytes(def, &v, 0) == NULL, nm, def);
	return (v);
}

static void
param_poolparam(struct poolparam *f, const char *def, const char *nm)
{

	PARAM_CHECK(def != NULL && sscanf(def, "%u,%u,%lf", &f->min_pool,
	    &f->max_pool, &f->max_age) == 3, nm, def);
}

/* A bit list ("none,+a,-b"): sign is the character that sets a bit ('+'; '-' for
 * vsl_mask, where a set bit masks a tag), and "none"/"all" clear or set all of them
 * ('+') or the reverse ('-'). */
static void
param_bits(uint8_t *bits, unsigned nbits, const char * const *names, char sign,
    const char *def, const char *nm)
{
	char word[64];
	const char *p, *e;
	unsigned j;
	size_t len;
	int is_all;

	PARAM_CHECK(def != NULL, nm, def);
	for (p = def; *p != '\0'; p = (*e == ',') ? e + 1 : e) {
		e = strchr(p, ',');
		if (e == NULL)
			e = strchr(p, '\0');
		len = (size_t)(e - p);
		PARAM_CHECK(len > 0 && len < sizeof word, nm, def);
		memcpy(word, p, len);
		word[len] = '\0';
		if (!strcmp(word, "none") || !strcmp(word, "all")) {
			is_all = !strcmp(word, "all");
			memset(bits, (sign == '+') == is_all ? 0xff : 0, (nbits + 7) / 8);
			continue;
		}
		PARAM_CHECK(word[0] == '+' || word[0] == '-', nm, def);
		for (j = 0; j < nbits; j++)
			if (names[j] != NULL && !strcasecmp(word + 1, names[j]))
				break;
		PARAM_CHECK(j < nbits, nm, def);
		if (word[0] == sign)
			bits[j / 8] |= (uint8_t)(0x80U >> (j % 8));
		else
			bits[j / 8] &= (uint8_t)~(0x80U >> (j % 8));
	}
}

static const char * const debug_names[] = {
#define DEBUG_BIT(U, l, d) [DBG_##U] = #l,
#include "tbl/debug_bits.h"
	NULL
};
static const char * const experimental_names[] = {
#define EXPERIMENTAL_BIT(U, l, d) [EXPERIMENT_##U] = #l,
#include "tbl/experimental_bits.h"
	NULL
};
static const char * const feature_names[] = {
#define FEATURE_BIT(U, l, d) [FEATURE_##U] = #l,
#include "tbl/feature_bits.h"
	NULL
};
static const char * const vcc_feature_names[] = {
#define VCC_FEATURE_BIT(U, l, d) [VCC_FEATURE_##U] = #l,
#include "tbl/vcc_feature_bits.h"
	NULL
};

/* common_param.h leaves these two defined as types, as 8.0.0 does. */
#undef ptyp_uint_orzero
#undef ptyp_vcc_feature
#define ptyp_boolean(f, d, n)		param_boolean(f, d, n)
#define ptyp_double(f, d, n)		param_double(f, d, n)
#define ptyp_duration(f, d, n)		param_duration(f, d, n)
#define ptyp_timeout(f, d, n)		param_duration(f, d, n)
#define ptyp_uint(f, d, n)		param_uint(f, d, n)
#define ptyp_uint_orzero(f, d, n)	param_uint(f, d, n)
#define ptyp_thread_pool_min(f, d, n)	param_uint(f, d, n)
#define ptyp_thread_pool_max(f, d, n)	param_uint(f, d, n)
#define ptyp_bytes(f, d, n)		(*(f) = (ssize_t)param_bytes_of(d, n))
#define ptyp_bytes_u(f, d, n)		(*(f) = (unsigned)param_bytes_of(d, n))
#define ptyp_vsl_buffer(f, d, n)	(*(f) = (unsigned)param_bytes_of(d, n))
#define ptyp_vsl_reclen(f, d, n)	(*(f) = (unsigned)param_bytes_of(d, n))
#define ptyp_poolparam(f, d, n)		param_poolparam(f, d, n)
#define ptyp_debug(f, d, n) \
	param_bits(*(f), DBG_Reserved, debug_names, '+', d, n)
#define ptyp_experimental(f, d, n) \
	param_bits(*(f), EXPERIMENT_Reserved, experimental_names, '+', d, n)
#define ptyp_feature(f, d, n) \
	param_bits(*(f), FEATURE_Reserved, feature_names, '+', d, n)
#define ptyp_vcc_feature(f, d, n) \
	param_bits(*(f), VCC_FEATURE_Reserved, vcc_feature_names, '+', d, n)
#define ptyp_vsl_mask(f, d, n) \
	param_bits(*(f), SLT__Reserved, VSL_tags, '-', d, n)

__attribute__((constructor)) static void
vdisim_params_init(void)
{
	struct params *p = &vdisim_params;

#define PARAM(typ, fld, nm, tw, var, mi, ma, def, ...) \
	ptyp_##typ(&p->fld, (def) != NULL ? (def) : param_dyn_default(#nm), #nm);
#include "tbl/params.h"
	/* pcre2_match_limit and pcre2_depth_limit (mgt's PARAM_PCRE2 entries). */
	p->vre_limits.match = 10000;
	p->vre_limits.depth = 20;
}
