/* common/common_param.h -- varnishd's tunables as a vmod reads them (cache_param, in
 * cache/cache_varnishd.h): the debug, experimental, feature and vcc_feature bit sets and
 * struct params, one field per parameter of tbl/params.h, as Varnish 8.0.0 has them.
 * vdisim's cache_param holds 8.0.0's default values (vsc_events.cpp... see params.c);
 * nothing changes them during a run. */

#ifndef COMMON_COMMON_PARAM_H
#define COMMON_COMMON_PARAM_H

#include <stdint.h>
#include <sys/types.h>

#include "vdef.h"
#include "vre.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VSM_CLASS_PARAM		"Params"

/* Whether bit x of a parameter's bit set is on: bit 0 is the top bit of byte 0. */
#define VDISIM_PARAM_BIT_ON(p, x) \
	(((p)[(unsigned)(x) / 8] >> (7 - (unsigned)(x) % 8)) & 1U)

enum debug_bits {
#define DEBUG_BIT(U, l, d) DBG_##U,
#include "tbl/debug_bits.h"
	DBG_Reserved
};

static inline int
COM_DO_DEBUG(const volatile uint8_t *p, enum debug_bits x)
{
	return ((int)VDISIM_PARAM_BIT_ON(p, x));
}

enum experimental_bits {
#define EXPERIMENTAL_BIT(U, l, d) EXPERIMENT_##U,
#include "tbl/experimental_bits.h"
	EXPERIMENT_Reserved
};

static inline int
COM_EXPERIMENT(const volatile uint8_t *p, enum experimental_bits x)
{
	return ((int)VDISIM_PARAM_BIT_ON(p, x));
}

enum feature_bits {
#define FEATURE_BIT(U, l, d) FEATURE_##U,
#include "tbl/feature_bits.h"
	FEATURE_Reserved
};

static inline int
COM_FEATURE(const volatile uint8_t *p, enum feature_bits x)
{
	return ((int)VDISIM_PARAM_BIT_ON(p, x));
}

enum vcc_feature_bits {
#define VCC_FEATURE_BIT(U, l, d) VCC_FEATURE_##U,
#include "tbl/vcc_feature_bits.h"
	VCC_FEATURE_Reserved
};

static inline int
COM_VCC_FEATURE(const volatile uint8_t *p, enum vcc_feature_bits x)
{
	return ((int)VDISIM_PARAM_BIT_ON(p, x));
}

struct poolparam {
	unsigned		min_pool;
	unsigned		max_pool;
	vtim_dur		max_age;
};

/* A bit set of len bits, in whole bytes. */
#define PARAM_BITMAP(name, len) typedef uint8_t name[((len) + 7) / 8]

PARAM_BITMAP(vsl_mask_t,	256);
PARAM_BITMAP(debug_t,		DBG_Reserved);
PARAM_BITMAP(experimental_t,	EXPERIMENT_Reserved);
PARAM_BITMAP(feature_t,		FEATURE_Reserved);
PARAM_BITMAP(vcc_feature_t,	VCC_FEATURE_Reserved);
#undef PARAM_BITMAP

struct params {
/* The C type of each parameter type (tbl/params.h's first argument). */
#define ptyp_boolean		unsigned
#define ptyp_bytes		ssize_t
#define ptyp_bytes_u		unsigned
#define ptyp_debug		debug_t
#define ptyp_double		double
#define ptyp_duration		vtim_dur
#define ptyp_experimental	experimental_t
#define ptyp_feature		feature_t
#define ptyp_poolparam		struct poolparam
#define ptyp_thread_pool_max	unsigned
#define ptyp_thread_pool_min	unsigned
#define ptyp_timeout		vtim_dur
#define ptyp_uint		unsigned
#define ptyp_uint_orzero	unsigned
#define ptyp_vcc_feature	vcc_feature_t
#define ptyp_vsl_buffer		unsigned
#define ptyp_vsl_mask		vsl_mask_t
#define ptyp_vsl_reclen		unsigned
#define PARAM(typ, fld, nm, ...) ptyp_##typ fld;
#include "tbl/params.h"
/* Varnish 8.0.0 leaves ptyp_uint_orzero and ptyp_vcc_feature defined; so does vdisim. */
#undef ptyp_boolean
#undef ptyp_bytes
#undef ptyp_bytes_u
#undef ptyp_debug
#undef ptyp_double
#undef ptyp_duration
#undef ptyp_experimental
#undef ptyp_feature
#undef ptyp_poolparam
#undef ptyp_thread_pool_max
#undef ptyp_thread_pool_min
#undef ptyp_timeout
#undef ptyp_uint
#undef ptyp_vsl_buffer
#undef ptyp_vsl_mask
#undef ptyp_vsl_reclen

	struct vre_limits	vre_limits;
};

#ifdef __cplusplus
}
#endif

#endif /* COMMON_COMMON_PARAM_H */
