/* vmod_ringlist.c -- vdisim's example consistent-hash director built on
 * vqueue.h and vtree.h (examples/vmods/ringlist), written for vdisim's CI.
 * Nothing here knows about vdisim: it builds as a Varnish 8.0 vmod.
 *
 * Members live on a VTAILQ, each holding one reference to its backend
 * (VRT_Assign_Backend). Each member puts `points x weight` points on a ring,
 * a VRBT tree ordered by a 32-bit hash (VRT_HashStrands32 of the backend's
 * name, the member's serial and the point's index). A pick hashes the fetch's
 * object digest (or draws at random without one) and walks the ring from
 * there to the first healthy member. Points borrow their member's backend:
 * they hold no reference of their own. A pthread_rwlock guards both
 * structures; picks take it for reading.
 *
 * RINGLIST_BUG (CMake option): remove_backend clears each point with
 * VRT_Assign_Backend(&p->be, NULL), as if points held references. A member
 * that is a director loses references it never had and is destroyed while
 * its VCL still owns it, before its owner's VRT_DelDirector (B1). */

#include <math.h>

#include "cache/cache.h"
#include "vqueue.h"
#include "vrnd.h"
#include "vtree.h"

#include "vcc_ringlist_if.h"

#define RING_MAX_POINTS		64	/* per member */

struct ring_member;

struct ring_point {
	unsigned			magic;
#define RING_POINT_MAGIC		0x72706e74
	uint32_t			hash;
	unsigned			serial;	/* tie breaker, unique per ring */
	struct ring_member		*m;
	VCL_BACKEND			be;	/* borrowed from m: no reference */
	VRBT_ENTRY(ring_point)		node;
};

struct ring_member {
	unsigned			magic;
#define RING_MEMBER_MAGIC		0x726d6272
	VCL_BACKEND			be;	/* one reference */
	unsigned			n_points;
	struct ring_point		*points;
	VTAILQ_ENTRY(ring_member)	list;
};

VRBT_HEAD(ring_tree, ring_point);

struct vmod_ringlist_ring {
	unsigned			magic;
#define RINGLIST_RING_MAGIC		0x72696e67
	pthread_rwlock_t		mtx;	/* guards all below */
	VCL_BACKEND			dir;	/* NULL after __fini */
	char				*vcl_name;
	unsigned			per_weight;
	unsigned			n_members;
	unsigned			serial;
	VTAILQ_HEAD(, ring_member)	members;
	struct ring_tree		tree;
};

static inline int
point_cmp(const struct ring_point *a, const struct ring_point *b)
{

	if (a->hash != b->hash)
		return (a->hash < b->hash ? -1 : 1);
	if (a->serial != b->serial)
		return (a->serial < b->serial ? -1 : 1);
	return (0);
}

VRBT_GENERATE_STATIC(ring_tree, ring_point, node, point_cmp)

/*--------------------------------------------------------------------
 * Membership (write lock held)
 */

static void
member_put_points(struct vmod_ringlist_ring *r, struct ring_member *m,
    VCL_REAL weight)
{
	char idx[24];
	const char *parts[2];
	struct strands s = { .magic = STRANDS_MAGIC, .n = 2, .p = parts };
	struct ring_point *p;
	double want;
	unsigned u;

	want = weight > 0 ? round(weight * r->per_weight) : 0;
	m->n_points = want < 1 ? (weight > 0 ? 1 : 0) :
	    want > RING_MAX_POINTS ? RING_MAX_POINTS : (unsigned)want;
	if (m->n_points == 0)
		return;
	m->points = calloc(m->n_points, sizeof *m->points);
	AN(m->points);
	parts[0] = m->be->vcl_name;
	parts[1] = idx;
	for (u = 0; u < m->n_points; u++) {
		p = &m->points[u];
		p->magic = RING_POINT_MAGIC;
		p->serial = ++r->serial;
		bprintf(idx, "#%u", p->serial);
		p->hash = VRT_HashStrands32(&s);
		p->m = m;
		p->be = m->be;
		AZ(VRBT_INSERT(ring_tree, &r->tree, p));
	}
}

static void
member_take_points(struct vmod_ringlist_ring *r, struct ring_member *m)
{
	struct ring_point *p;
	unsigned u;

	for (u = 0; u < m->n_points; u++) {
		p = &m->points[u];
		CHECK_OBJ(p, RING_POINT_MAGIC);
		AN(VRBT_REMOVE(ring_tree, &r->tree, p));
#ifdef RINGLIST_BUG
		VRT_Assign_Backend(&p->be, NULL);
#else
		p->be = NULL;
#endif
	}
	free(m->points);
	m->points = NULL;
	m->n_points = 0;
}

static void
member_drop(struct vmod_ringlist_ring *r, struct ring_member *m)
{

	VTAILQ_REMOVE(&r->members, m, list);
	r->n_members--;
	member_take_points(r, m);
	VRT_Assign_Backend(&m->be, NULL);
	FREE_OBJ(m);
}

/*--------------------------------------------------------------------
 * Director callbacks
 */

static struct vmod_ringlist_ring *
ring_of(VCL_BACKEND dir)
{
	struct vmod_ringlist_ring *r;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(r, dir->priv, RINGLIST_RING_MAGIC);
	return (r);
}

static uint32_t
pick_key(VRT_CTX)
{
	const uint8_t *d = NULL;
	uint32_t k;
	unsigned u;

	if (ctx->bo != NULL) {
		CHECK_OBJ(ctx->bo, BUSYOBJ_MAGIC);
		d = ctx->bo->digest;
	} else if (ctx->req != NULL) {
		CHECK_OBJ(ctx->req, REQ_MAGIC);
		d = ctx->req->digest;
	}
	if (d != NULL) {
		for (u = 0, k = 0; u < 4; u++)
			k = (k << 8) | d[u];
		for (u = 0; u < DIGEST_LEN && !d[u]; u++)
			continue;
		if (u < DIGEST_LEN)
			return (k);
	}
	/* No object yet (or an empty digest): any member will do. */
	return ((uint32_t)VRND_RandomTestable() << 1);
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
ring_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vmod_ringlist_ring *r = ring_of(dir);
	struct ring_point key, *p;
	VCL_BACKEND be = NULL;
	unsigned steps, total = 0;
	struct ring_member *m;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	memset(&key, 0, sizeof key);
	key.hash = pick_key(ctx);
	PTOK(pthread_rwlock_rdlock(&r->mtx));
	VTAILQ_FOREACH(m, &r->members, list)
		total += m->n_points;
	p = VRBT_NFIND(ring_tree, &r->tree, &key);
	for (steps = 0; steps < total; steps++) {
		if (p == NULL)
			p = VRBT_MIN(ring_tree, &r->tree);
		CHECK_OBJ_NOTNULL(p, RING_POINT_MAGIC);
		if (VRT_Healthy(ctx, p->be, NULL)) {
			be = p->be;
			break;
		}
		p = VRBT_NEXT(ring_tree, &r->tree, p);
	}
	PTOK(pthread_rwlock_unlock(&r->mtx));
	return (be);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
ring_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct vmod_ringlist_ring *r = ring_of(dir);
	struct ring_member *m;
	VCL_TIME c, latest = 0;
	VCL_BOOL any = 0;

	PTOK(pthread_rwlock_rdlock(&r->mtx));
	VTAILQ_FOREACH(m, &r->members, list) {
		CHECK_OBJ_NOTNULL(m, RING_MEMBER_MAGIC);
		c = 0;
		if (VRT_Healthy(ctx, m->be, &c))
			any = 1;
		if (c > latest)
			latest = c;
	}
	PTOK(pthread_rwlock_unlock(&r->mtx));
	if (changed != NULL)
		*changed = latest;
	return (any);
}

/* B2: drop every member's reference; none is taken afterwards. */
static void v_matchproto_(vdi_release_f)
ring_release(VCL_BACKEND dir)
{
	struct vmod_ringlist_ring *r = ring_of(dir);
	struct ring_member *m;

	PTOK(pthread_rwlock_wrlock(&r->mtx));
	while ((m = VTAILQ_FIRST(&r->members)) != NULL)
		member_drop(r, m);
	assert(VRBT_EMPTY(&r->tree));
	PTOK(pthread_rwlock_unlock(&r->mtx));
}

static void v_matchproto_(vdi_destroy_f)
ring_destroy(VCL_BACKEND dir)
{
	struct vmod_ringlist_ring *r = ring_of(dir);

	AZ(r->dir);
	AZ(r->n_members);
	PTOK(pthread_rwlock_destroy(&r->mtx));
	free(r->vcl_name);
	FREE_OBJ(r);
}

static void v_matchproto_(vdi_list_f)
ring_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct vmod_ringlist_ring *r = ring_of(dir);

	(void)ctx;
	(void)pflag;
	if (jflag)
		VSB_printf(vsb, "{\"members\": %u}", r->n_members);
	else
		VSB_printf(vsb, "%u members", r->n_members);
}

static const struct vdi_methods ring_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"ringlist",
	.healthy =	ring_healthy,
	.resolve =	ring_resolve,
	.release =	ring_release,
	.destroy =	ring_destroy,
	.list =		ring_list,
}};

/*--------------------------------------------------------------------
 * VCL interface
 */

VCL_VOID
vmod_ring__init(VRT_CTX, struct vmod_ringlist_ring **rp,
    const char *vcl_name, VCL_INT points)
{
	struct vmod_ringlist_ring *r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(rp);
	AZ(*rp);
	if (points < 1 || points > RING_MAX_POINTS) {
		VRT_fail(ctx, "ringlist.ring(): points must be 1..%d",
		    RING_MAX_POINTS);
		return;
	}
	ALLOC_OBJ(r, RINGLIST_RING_MAGIC);
	AN(r);
	PTOK(pthread_rwlock_init(&r->mtx, NULL));
	REPLACE(r->vcl_name, vcl_name);
	r->per_weight = (unsigned)points;
	VTAILQ_INIT(&r->members);
	VRBT_INIT(&r->tree);
	*rp = r;
	/* Last: from here on the runtime may call ring_methods (A2). */
	r->dir = VRT_AddDirector(ctx, ring_methods, r, "%s", vcl_name);
}

VCL_VOID
vmod_ring__fini(struct vmod_ringlist_ring **rp)
{
	struct vmod_ringlist_ring *r;

	/* The memory lives on until destroy: others may hold the director. */
	TAKE_OBJ_NOTNULL(r, rp, RINGLIST_RING_MAGIC);
	VRT_DelDirector(&r->dir);
}

VCL_VOID
vmod_ring_add_backend(VRT_CTX, struct vmod_ringlist_ring *r, VCL_BACKEND be,
    VCL_REAL weight)
{
	struct ring_member *m;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, RINGLIST_RING_MAGIC);
	if (be == NULL) {
		VRT_fail(ctx, "%s.add_backend(): NULL backend", r->vcl_name);
		return;
	}
	CHECK_OBJ(be, DIRECTOR_MAGIC);
	if (!(weight >= 0) || isinf(weight)) {
		VRT_fail(ctx, "%s.add_backend(): bad weight", r->vcl_name);
		return;
	}
	ALLOC_OBJ(m, RING_MEMBER_MAGIC);
	AN(m);
	VRT_Assign_Backend(&m->be, be);
	PTOK(pthread_rwlock_wrlock(&r->mtx));
	member_put_points(r, m, weight);
	VTAILQ_INSERT_TAIL(&r->members, m, list);
	r->n_members++;
	PTOK(pthread_rwlock_unlock(&r->mtx));
}

VCL_VOID
vmod_ring_remove_backend(VRT_CTX, struct vmod_ringlist_ring *r,
    VCL_BACKEND be)
{
	struct ring_member *m;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, RINGLIST_RING_MAGIC);
	if (be == NULL) {
		VRT_fail(ctx, "%s.remove_backend(): NULL backend",
		    r->vcl_name);
		return;
	}
	PTOK(pthread_rwlock_wrlock(&r->mtx));
	VTAILQ_FOREACH(m, &r->members, list)
		if (m->be == be)
			break;
	if (m != NULL)
		member_drop(r, m);
	PTOK(pthread_rwlock_unlock(&r->mtx));
}

VCL_BACKEND
vmod_ring_backend(VRT_CTX, struct vmod_ringlist_ring *r)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, RINGLIST_RING_MAGIC);
	return (r->dir);
}

VCL_INT
vmod_ring_count(VRT_CTX, struct vmod_ringlist_ring *r)
{
	VCL_INT n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, RINGLIST_RING_MAGIC);
	PTOK(pthread_rwlock_rdlock(&r->mtx));
	n = r->n_members;
	PTOK(pthread_rwlock_unlock(&r->mtx));
	return (n);
}
