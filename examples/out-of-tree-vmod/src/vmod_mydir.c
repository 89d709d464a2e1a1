/* vmod_mydir.c -- an example director vmod, written outside vdisim's tree and
 * tested with it (docs/vmod-authors.md). `mydir.resolver` keeps the backends
 * its name resolver hands it (.add_backend / .remove_backend are what the
 * resolver thread of a dynamic-backend vmod would call) and resolves
 * round-robin over the healthy ones. Nothing here knows about vdisim: the file
 * builds unchanged as a Varnish vmod.
 *
 * Lifecycle (VRT 22.0): every held backend carries one reference taken with
 * VRT_Assign_Backend; __fini gives up the director with VRT_DelDirector;
 * release drops every held reference (others may still hold the director);
 * destroy, at refcount 0, frees the memory.
 *
 * MYDIR_LIFECYCLE_BUG (CMake option of the example): release drops the held
 * backends with VRT_DelDirector, which only the owner of a director may call,
 * instead of VRT_Assign_Backend(&slot, NULL). A backend then loses a reference
 * it never took, and is destroyed while its owner (the VCL) still has it. */

#include "cache/cache.h"

#include "vcc_mydir_if.h"

struct vmod_mydir_resolver {
	unsigned		magic;
#define MYDIR_RESOLVER_MAGIC	0x6d796472
	pthread_rwlock_t	mtx;	/* guards be, n, l, nxt */
	char			*service;
	VCL_BACKEND		dir;	/* NULL after __fini */
	VCL_BACKEND		*be;	/* each entry holds a reference */
	unsigned		n;
	unsigned		l;
	unsigned		nxt;	/* next to try; < n unless n == 0 */
	unsigned		max;
};

static struct vmod_mydir_resolver *
mydir_of(VCL_BACKEND dir)
{
	struct vmod_mydir_resolver *r;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(r, dir->priv, MYDIR_RESOLVER_MAGIC);
	return (r);
}

/* Healthy when any held backend is; *changed is the latest change seen. */
static VCL_BOOL v_matchproto_(vdi_healthy_f)
mydir_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct vmod_mydir_resolver *r = mydir_of(dir);
	VCL_TIME c, latest = 0;
	VCL_BOOL any = 0;
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_rwlock_rdlock(&r->mtx));
	for (u = 0; u < r->n && !any; u++) {
		c = 0;
		any = VRT_Healthy(ctx, r->be[u], &c);
		if (c > latest)
			latest = c;
	}
	PTOK(pthread_rwlock_unlock(&r->mtx));
	if (changed != NULL)
		*changed = latest;
	return (any);
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
mydir_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vmod_mydir_resolver *r = mydir_of(dir);
	VCL_BACKEND be, found = NULL;
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_rwlock_wrlock(&r->mtx));
	assert(r->n == 0 || r->nxt < r->n);
	for (u = 0; u < r->n; u++) {
		be = r->be[r->nxt];
		r->nxt = (r->nxt + 1) % r->n;
		CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
		if (VRT_Healthy(ctx, be, NULL)) {
			found = be;
			break;
		}
	}
	PTOK(pthread_rwlock_unlock(&r->mtx));
	return (found);
}

/* B2: drop every reference we hold; no new one may be taken afterwards. */
static void v_matchproto_(vdi_release_f)
mydir_release(VCL_BACKEND dir)
{
	struct vmod_mydir_resolver *r = mydir_of(dir);
	unsigned u;

	PTOK(pthread_rwlock_wrlock(&r->mtx));
	for (u = 0; u < r->n; u++) {
#ifdef MYDIR_LIFECYCLE_BUG
		VRT_DelDirector(&r->be[u]);
#else
		VRT_Assign_Backend(&r->be[u], NULL);
#endif
	}
	r->n = 0;
	r->nxt = 0;
	PTOK(pthread_rwlock_unlock(&r->mtx));
}

static void v_matchproto_(vdi_destroy_f)
mydir_destroy(VCL_BACKEND dir)
{
	struct vmod_mydir_resolver *r = mydir_of(dir);

	AZ(r->dir);	/* __fini ran */
	AZ(r->n);	/* release ran */
	free(r->be);
	free(r->service);
	PTOK(pthread_rwlock_destroy(&r->mtx));
	FREE_OBJ(r);
}

static void v_matchproto_(vdi_list_f)
mydir_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct vmod_mydir_resolver *r = mydir_of(dir);

	(void)ctx;
	(void)pflag;
	if (jflag)
		VSB_printf(vsb, "{\"service\": \"%s\", \"backends\": %u}",
		    r->service, r->n);
	else
		VSB_printf(vsb, "%s: %u backends", r->service, r->n);
}

static const struct vdi_methods mydir_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"mydir-resolver",
	.healthy =	mydir_healthy,
	.resolve =	mydir_resolve,
	.release =	mydir_release,
	.destroy =	mydir_destroy,
	.list =		mydir_list,
}};

VCL_VOID
vmod_resolver__init(VRT_CTX, struct vmod_mydir_resolver **rp,
    const char *vcl_name, VCL_STRING service, VCL_INT max_backends)
{
	struct vmod_mydir_resolver *r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(rp);
	AZ(*rp);
	if (max_backends < 1 || max_backends > 65536) {
		VRT_fail(ctx, "mydir.resolver: max_backends must be 1..65536");
		return;
	}
	ALLOC_OBJ(r, MYDIR_RESOLVER_MAGIC);
	AN(r);
	PTOK(pthread_rwlock_init(&r->mtx, NULL));
	r->service = strdup(service != NULL ? service : "");
	AN(r->service);
	r->max = (unsigned)max_backends;
	*rp = r;
	/* Last: from here on the runtime may call mydir_methods (A2). */
	r->dir = VRT_AddDirector(ctx, mydir_methods, r, "%s", vcl_name);
}

VCL_VOID
vmod_resolver__fini(struct vmod_mydir_resolver **rp)
{
	struct vmod_mydir_resolver *r;

	/* The memory lives on until destroy: requests may hold the director. */
	TAKE_OBJ_NOTNULL(r, rp, MYDIR_RESOLVER_MAGIC);
	VRT_DelDirector(&r->dir);
}

VCL_VOID
vmod_resolver_add_backend(VRT_CTX, struct vmod_mydir_resolver *r,
    VCL_BACKEND be)
{
	VCL_BACKEND *nb;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, MYDIR_RESOLVER_MAGIC);
	if (be == NULL) {
		VRT_fail(ctx, "%s: NULL backend", r->service);
		return;
	}
	CHECK_OBJ(be, DIRECTOR_MAGIC);
	PTOK(pthread_rwlock_wrlock(&r->mtx));
	if (r->n == r->max) {
		PTOK(pthread_rwlock_unlock(&r->mtx));
		VRT_fail(ctx, "%s: more than %u backends", r->service, r->max);
		return;
	}
	if (r->n == r->l) {
		nb = realloc(r->be, (r->l + 8) * sizeof *nb);
		AN(nb);
		r->be = nb;
		r->l += 8;
	}
	r->be[r->n] = NULL;
	VRT_Assign_Backend(&r->be[r->n], be);
	r->n++;
	PTOK(pthread_rwlock_unlock(&r->mtx));
}

VCL_VOID
vmod_resolver_remove_backend(VRT_CTX, struct vmod_mydir_resolver *r,
    VCL_BACKEND be)
{
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, MYDIR_RESOLVER_MAGIC);
	if (be == NULL) {
		VRT_fail(ctx, "%s: NULL backend", r->service);
		return;
	}
	PTOK(pthread_rwlock_wrlock(&r->mtx));
	for (u = 0; u < r->n && r->be[u] != be; u++)
		continue;
	if (u < r->n) {
		VRT_Assign_Backend(&r->be[u], NULL);
		memmove(&r->be[u], &r->be[u + 1], (r->n - u - 1) * sizeof *r->be);
		r->n--;
		if (r->nxt > u)
			r->nxt--;
		if (r->nxt >= r->n)
			r->nxt = 0;
	}
	PTOK(pthread_rwlock_unlock(&r->mtx));
}

VCL_INT
vmod_resolver_count(VRT_CTX, struct vmod_mydir_resolver *r)
{
	VCL_INT n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, MYDIR_RESOLVER_MAGIC);
	PTOK(pthread_rwlock_rdlock(&r->mtx));
	n = r->n;
	PTOK(pthread_rwlock_unlock(&r->mtx));
	return (n);
}

VCL_BACKEND
vmod_resolver_backend(VRT_CTX, struct vmod_mydir_resolver *r)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(r, MYDIR_RESOLVER_MAGIC);
	return (r->dir);
}
