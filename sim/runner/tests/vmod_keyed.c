/* vmod_keyed.c -- a vmod built against cache/cache_varnishd.h, as surrogate-key vmods
 * are: the first VCL's LOAD event subscribes to object events and allocates a counter
 * segment; the last VCL's DISCARD gives both back. tag() counts into the segment.
 *
 * KEYED_BUG: every DISCARD unsubscribes (not only the last), so the second discard
 * hands varnishd a handle it already cleared: ObjUnsubscribeEvents asserts, as in
 * varnishd. */

#include "cache/cache_varnishd.h"
#include "vcl.h"

#include "vcc_keyed_if.h"

struct VSC_keyed {
	uint64_t	tags;
};

/* The counter description a vsctool would generate, reduced to what is checked. */
static const unsigned char keyed_vsc_json[] = "{\"version\": \"1\", \"name\": \"keyed\"}";

static unsigned n_vcl;
static uintptr_t subscription;
static struct vsc_seg *seg;
static struct VSC_keyed *stats;

static void v_matchproto_(obj_event_f)
keyed_obj_event(struct worker *wrk, void *priv, struct objcore *oc, unsigned ev)
{
	(void)wrk;
	(void)priv;
	(void)oc;
	(void)ev;
	WRONG("vdisim stores no objects: no object event can arrive");
}

int v_matchproto_(vmod_event_f)
vmod_event(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e ev)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	(void)priv;
	if (ev == VCL_EVENT_LOAD && n_vcl++ == 0) {
		AZ(subscription);
		subscription = ObjSubscribeEvents(keyed_obj_event, NULL,
		    OEV_INSERT | OEV_EXPIRE);
		AN(subscription);
		stats = VRT_VSC_Alloc(NULL, &seg, "keyed", sizeof *stats,
		    keyed_vsc_json, sizeof keyed_vsc_json, "");
		AN(stats);
		AZ(stats->tags);
	}
	if (ev != VCL_EVENT_DISCARD)
		return (0);
	assert(n_vcl > 0);
#ifdef KEYED_BUG
	ObjUnsubscribeEvents(&subscription);
	if (--n_vcl > 0)
		return (0);
#else
	if (--n_vcl > 0)
		return (0);
	ObjUnsubscribeEvents(&subscription);
#endif
	AZ(subscription);
	VRT_VSC_Destroy("keyed", seg);
	seg = NULL;
	stats = NULL;
	return (0);
}

VCL_INT
vmod_tag(VRT_CTX, VCL_STRING key)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(stats);
	(void)key;
	return ((VCL_INT)++stats->tags);
}

VCL_BOOL
vmod_subscribed(VRT_CTX)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	return (subscription != 0);
}
