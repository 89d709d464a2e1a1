/* Hand-written layered directors for the runtime's own tests: one correct, and variants
 * with one lifecycle bug each, so the checkers are shown to catch them. Plain C against
 * the public headers only, built with -Wall -Werror. */
#include "cache/cache.h"

#include "test_directors.h"

struct layer {
	unsigned		magic;
#define LAYER_MAGIC		0x1a7e2b11
	int			mode;
	VCL_BACKEND		dir;
	VCL_BACKEND		child;
	VCL_BACKEND		last;
};

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
layer_resolve(VRT_CTX, VCL_BACKEND d)
{
	struct layer *l;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CAST_OBJ_NOTNULL(l, d->priv, LAYER_MAGIC);
	if (l->mode == LAYER_REF_IN_RESOLVE || l->mode == LAYER_NORELEASE_REF_IN_RESOLVE)
		VRT_Assign_Backend(&l->last, l->child);
	return (l->child);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
layer_healthy(VRT_CTX, VCL_BACKEND d, VCL_TIME *changed)
{
	struct layer *l;

	CAST_OBJ_NOTNULL(l, d->priv, LAYER_MAGIC);
	return (VRT_Healthy(ctx, l->child, changed));
}

static void v_matchproto_(vdi_release_f)
layer_release(VCL_BACKEND d)
{
	struct layer *l;

	CAST_OBJ_NOTNULL(l, d->priv, LAYER_MAGIC);
	VRT_Assign_Backend(&l->child, NULL);
	VRT_Assign_Backend(&l->last, NULL);
	if (l->mode == LAYER_FREE_IN_RELEASE)
		FREE_OBJ(l);
}

static void v_matchproto_(vdi_destroy_f)
layer_destroy(VCL_BACKEND d)
{
	struct layer *l;

	CAST_OBJ_NOTNULL(l, d->priv, LAYER_MAGIC);
	if (l->mode == LAYER_DESTROY_DROPS ||
	    l->mode == LAYER_NORELEASE_REF_IN_RESOLVE) {
		/* 7.1 style: children dropped at destroy (no release) */
		VRT_Assign_Backend(&l->child, NULL);
		VRT_Assign_Backend(&l->last, NULL);
	}
	FREE_OBJ(l);
}

static const struct vdi_methods layer_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"layer",
	.healthy =	layer_healthy,
	.resolve =	layer_resolve,
	.release =	layer_release,
	.destroy =	layer_destroy,
}};

static const struct vdi_methods layer_norelease_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"layer",
	.healthy =	layer_healthy,
	.resolve =	layer_resolve,
	.destroy =	layer_destroy,
}};

VCL_BACKEND
test_layer_new(VRT_CTX, const char *name, VCL_BACKEND child, int mode)
{
	struct layer *l;

	ALLOC_OBJ(l, LAYER_MAGIC);
	AN(l);
	l->mode = mode;
	l->dir = VRT_AddDirector(ctx, mode == LAYER_DESTROY_DROPS ||
	    mode == LAYER_NORELEASE_REF_IN_RESOLVE ?
	    layer_norelease_methods : layer_methods, l, "%s", name);
	if (l->dir == NULL) {
		FREE_OBJ(l);
		return (NULL);
	}
	VRT_Assign_Backend(&l->child, child);
	return (l->dir);
}

void
test_layer_set_child(VCL_BACKEND d, VCL_BACKEND child)
{
	struct layer *l;

	CAST_OBJ_NOTNULL(l, d->priv, LAYER_MAGIC);
	VRT_Assign_Backend(&l->child, child);
}

/* A director with neither resolve nor gethdrs: not a valid leaf (D2). */
static const struct vdi_methods bare_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"bare",
}};

VCL_BACKEND
test_bare_new(VRT_CTX, const char *name)
{
	return (VRT_AddDirector(ctx, bare_methods, NULL, "%s", name));
}

/* A pool in the style of a dynamic vmod: its list callback reads its members under its
 * own lock, and its owner adds members (VRT_AddDirector) holding that same lock. */
struct pool {
	unsigned		magic;
#define POOL_MAGIC		0x9d1e44a0
	struct lock		mtx;
	int			members;
	VCL_BACKEND		dir;
};

static void v_matchproto_(vdi_list_f)
pool_list(VRT_CTX, VCL_BACKEND d, struct vsb *vsb, int pflag, int jflag)
{
	struct pool *p;

	(void)ctx;
	CAST_OBJ_NOTNULL(p, d->priv, POOL_MAGIC);
	Lck_Lock(&p->mtx);
	if (!pflag)
		VSB_printf(vsb, jflag ? "[%d, 0, \"healthy\"]" : "%d/0\thealthy", p->members);
	Lck_Unlock(&p->mtx);
}

static const struct vdi_methods pool_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"test_pool",
	.list =		pool_list,
}};

VCL_BACKEND
test_pool_new(VRT_CTX, const char *name)
{
	struct pool *p;

	ALLOC_OBJ(p, POOL_MAGIC);
	AN(p);
	Lck_New(&p->mtx, lck_director);
	p->dir = VRT_AddDirector(ctx, pool_methods, p, "%s", name);
	return (p->dir);
}

void
test_pool_grow(VRT_CTX, VCL_BACKEND pool, const char *member)
{
	struct pool *p;

	CAST_OBJ_NOTNULL(p, pool->priv, POOL_MAGIC);
	Lck_Lock(&p->mtx);
	if (test_bare_new(ctx, member) != NULL)
		p->members++;
	Lck_Unlock(&p->mtx);
}
