/* vapi/vsc.h -- libvarnishapi's reading of a varnishd's counters (VSC), as Varnish 8.0.0
 * declares it for varnishstat-like tools. vdisim has no shared memory to read: every
 * function fails the task ("... is not simulated"). A vmod's own counters are
 * VRT_VSC_* (vrt.h), which vdisim keeps in process memory. */

#ifndef VAPI_VSC_H_INCLUDED
#define VAPI_VSC_H_INCLUDED

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vsm;
struct vsc;
struct vsm_fantom;

struct VSC_level_desc {
	const char *name;
	const char *label;
	const char *sdesc;
	const char *ldesc;
};

/* One counter as VSC_Iter() hands it over. */
struct VSC_point {
	const volatile uint64_t *ptr;
	const char *name;
	const char *ctype;
	int semantics;
	int format;
	const struct VSC_level_desc *level;
	const char *sdesc;
	const char *ldesc;
	void *priv;
	unsigned raw;
};

typedef void *VSC_new_f(void *priv, const struct VSC_point *const pt);
typedef void VSC_destroy_f(void *priv, const struct VSC_point *const pt);
typedef int VSC_iter_f(void *priv, const struct VSC_point *const pt);

struct vsc *VSC_New(void);
void VSC_Destroy(struct vsc **, struct vsm *);
int VSC_Arg(struct vsc *, char arg, const char *opt);
void VSC_State(struct vsc *, VSC_new_f *, VSC_destroy_f *, void *);
int VSC_Iter(struct vsc *, struct vsm *, VSC_iter_f *, void *priv);
const struct VSC_level_desc *VSC_ChangeLevel(const struct VSC_level_desc *, int);
unsigned VSC_IsRaw(const struct vsc *);

/* A counter's value; a gauge ('g') that went below zero reads as 0 unless raw. */
static inline uint64_t
VSC_Value(const struct VSC_point *const pt)
{
	uint64_t v = *pt->ptr;

	if (pt->raw || pt->semantics != 'g')
		return (v);
	return (v > (uint64_t)INT64_MAX ? 0 : v);
}

#ifdef __cplusplus
}
#endif

#endif /* VAPI_VSC_H_INCLUDED */
