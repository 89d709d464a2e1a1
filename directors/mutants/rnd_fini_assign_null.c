/* MUTANT rnd_fini_assign_null -- directors/random.c + directors/vdir.c with one
 * bug.
 *
 * BUG: the VCL object's __fini drops its director with
 *   VRT_Assign_Backend(&vd->dir, NULL) instead of VRT_DelDirector(&vd->dir):
 *   "it is our reference, drop it like any other". VRT_Assign_Backend only
 *   decrements the count; VRT_DelDirector is what calls `release` first (B1).
 *   The director is retired (destroy) with its backend references still held
 *   and release never called.
 * CAUGHT BY: B1 -- "director destroyed before its release was called" at the
 *   discard of the VCL (scenario mutant_rnd_fini_assign_null.yaml).
 * REAL-WORLD ANALOGUE: the 7.3 split of VRT_DelDirector into release + deref
 *   (e8c77d893, #3895): code that treated its own director as a plain reference
 *   skips release, which is what lets layered and looped directors (#3899) tear
 *   down.
 * Everything else is the real director; the bug is marked "MUTANT". */

#include "cache/cache.h"

#include "vbm.h"

#include "vrnd.h"

#include "vcc_directors_if.h"

struct vbitmap;

struct vdir {
	unsigned			magic;
#define VDIR_MAGIC			0x99f4b726
	pthread_rwlock_t		mtx;
	unsigned			n_backend;	/* slots in use */
	unsigned			l_backend;	/* slots allocated */
	unsigned			n_healthy;	/* as of the last update */
	VCL_BACKEND			*backend;
	double				*weight;
	double				total_weight;	/* of the healthy ones */
	VCL_BACKEND			dir;		/* our director, NULL after __fini */
	struct vbitmap			*healthy;
};

/* ---- from directors/vdir.c (file-local here) ---- */

#define VDIR_GROW	16

static void
vdir_rdlock(struct vdir *vd)
{

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	PTOK(pthread_rwlock_rdlock(&vd->mtx));
}

static void
vdir_wrlock(struct vdir *vd)
{

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	PTOK(pthread_rwlock_wrlock(&vd->mtx));
}

static void
vdir_unlock(struct vdir *vd)
{

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	PTOK(pthread_rwlock_unlock(&vd->mtx));
}

static void
vdir_new(VRT_CTX, struct vdir **vdp, const char *vcl_name,
    const struct vdi_methods *m, void *priv)
{
	struct vdir *vd;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(m, VDI_METHODS_MAGIC);
	AN(vcl_name);
	AN(vdp);
	AZ(*vdp);

	ALLOC_OBJ(vd, VDIR_MAGIC);
	AN(vd);
	PTOK(pthread_rwlock_init(&vd->mtx, NULL));
	vd->healthy = vbit_new(VDIR_GROW);
	AN(vd->healthy);
	*vdp = vd;
	/* Last: from here on the runtime may call m (WARM when warm, A2). */
	vd->dir = VRT_AddDirector(ctx, m, priv, "%s", vcl_name);
}

static void
vdir_release(struct vdir *vd)
{
	unsigned u;

	vdir_wrlock(vd);
	for (u = 0; u < vd->n_backend; u++)
		VRT_Assign_Backend(&vd->backend[u], NULL);
	vd->n_backend = 0;
	vd->n_healthy = 0;
	vd->total_weight = 0.0;
	vdir_unlock(vd);
}

static void
vdir_delete(struct vdir **vdp)
{
	struct vdir *vd;

	TAKE_OBJ_NOTNULL(vd, vdp, VDIR_MAGIC);
	/* B1/B2: __fini cleared dir and release emptied the array. */
	AZ(vd->dir);
	AZ(vd->n_backend);
	free(vd->backend);
	free(vd->weight);
	vbit_destroy(vd->healthy);
	PTOK(pthread_rwlock_destroy(&vd->mtx));
	FREE_OBJ(vd);
}

static void
vdir_expand(struct vdir *vd, unsigned n)
{
	VCL_BACKEND *b;
	double *w;

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	assert(n > vd->l_backend);
	b = realloc(vd->backend, n * sizeof *b);
	AN(b);
	w = realloc(vd->weight, n * sizeof *w);
	AN(w);
	vd->backend = b;
	vd->weight = w;
	if (n > vd->healthy->nbits)
		vbit_expand(vd->healthy, n);
	vd->l_backend = n;
}

static void
vdir_add_backend(VRT_CTX, struct vdir *vd, VCL_BACKEND be, double weight)
{
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	if (be == NULL) {
		VRT_fail(ctx, "%s: a NULL backend cannot be added",
		    VRT_BACKEND_string(vd->dir));
		return;
	}
	CHECK_OBJ(be, DIRECTOR_MAGIC);
	vdir_wrlock(vd);
	if (vd->n_backend == vd->l_backend)
		vdir_expand(vd, vd->l_backend + VDIR_GROW);
	assert(vd->n_backend < vd->l_backend);
	u = vd->n_backend;
	vd->backend[u] = NULL;
	VRT_Assign_Backend(&vd->backend[u], be);
	vd->weight[u] = weight;
	vbit_clr(vd->healthy, u);
	vd->n_backend = u + 1;
	vdir_unlock(vd);
}

static unsigned
vdir_find(const struct vdir *vd, VCL_BACKEND be)
{
	unsigned u;

	for (u = 0; u < vd->n_backend; u++)
		if (vd->backend[u] == be)
			break;
	return (u);
}

static void
vdir_remove_backend(VRT_CTX, struct vdir *vd, VCL_BACKEND be, unsigned *cur)
{
	unsigned u, tail;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	if (be == NULL) {
		VRT_fail(ctx, "%s: a NULL backend cannot be removed",
		    VRT_BACKEND_string(vd->dir));
		return;
	}
	CHECK_OBJ(be, DIRECTOR_MAGIC);
	vdir_wrlock(vd);
	u = vdir_find(vd, be);
	if (u == vd->n_backend) {
		vdir_unlock(vd);
		return;
	}
	VRT_Assign_Backend(&vd->backend[u], NULL);
	tail = vd->n_backend - u - 1;
	memmove(&vd->backend[u], &vd->backend[u + 1],
	    tail * sizeof vd->backend[0]);
	memmove(&vd->weight[u], &vd->weight[u + 1],
	    tail * sizeof vd->weight[0]);
	vd->n_backend--;
	vd->backend[vd->n_backend] = NULL;

	if (cur != NULL) {
		assert(*cur <= vd->n_backend);
		if (u < *cur)
			(*cur)--;
		else if (*cur == vd->n_backend)
			*cur = 0;
	}
	vdir_unlock(vd);
}

static VCL_BOOL
vdir_any_healthy(VRT_CTX, struct vdir *vd, VCL_TIME *changed)
{
	VCL_BOOL h = 0;
	VCL_TIME c, newest = 0;
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	vdir_rdlock(vd);
	for (u = 0; u < vd->n_backend && !h; u++) {
		CHECK_OBJ_NOTNULL(vd->backend[u], DIRECTOR_MAGIC);
		c = 0;
		h = VRT_Healthy(ctx, vd->backend[u], &c);
		if (c > newest)
			newest = c;
	}
	vdir_unlock(vd);
	if (changed != NULL)
		*changed = newest;
	return (h);
}

static void
vdir_update_health(VRT_CTX, struct vdir *vd)
{
	VCL_TIME c, newest = 0;
	VCL_BOOL h;
	unsigned u, nh = 0;
	double tw = 0.0;

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	for (u = 0; u < vd->n_backend; u++) {
		CHECK_OBJ_NOTNULL(vd->backend[u], DIRECTOR_MAGIC);
		c = 0;
		h = VRT_Healthy(ctx, vd->backend[u], &c);
		if (h) {
			vbit_set(vd->healthy, u);
			nh++;
			tw += vd->weight[u];
		} else {
			vbit_clr(vd->healthy, u);
		}
		if (c > newest)
			newest = c;
	}
	VRT_SetChanged(vd->dir, newest);
	vd->n_healthy = nh;
	vd->total_weight = tw;
}
/* Index of the healthy backend whose weight interval holds point. */
static unsigned
vdir_pick_by_weight(const struct vdir *vd, double point)
{
	double sum = 0.0;
	unsigned u;

	for (u = 0; u < vd->n_backend; u++) {
		if (!vbit_test(vd->healthy, u))
			continue;
		sum += vd->weight[u];
		if (point < sum)
			return (u);
	}
	WRONG("weighted pick ran past the total weight");
}

static VCL_BACKEND
vdir_pick_be(VRT_CTX, struct vdir *vd, double w)
{
	VCL_BACKEND be = NULL;
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	assert(w >= 0.0 && w < 1.0);
	vdir_wrlock(vd);
	vdir_update_health(ctx, vd);
	if (vd->total_weight > 0.0) {
		u = vdir_pick_by_weight(vd, w * vd->total_weight);
		assert(u < vd->n_backend);
		be = vd->backend[u];
		CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
	}
	vdir_unlock(vd);
	return (be);
}

/* ---- backend.list ---- */
static void
vdir_list_head(struct vsb *vsb, const struct vdir *vd, int jflag, int weight)
{

	if (!jflag) {
		VSB_cat(vsb, "\n\n\tBackend\tWeight\tHealth\n");
		return;
	}
	VSB_cat(vsb, "{\n");
	VSB_indent(vsb, 2);
	if (weight)
		VSB_printf(vsb, "\"total_weight\": %f,\n", vd->total_weight);
	VSB_cat(vsb, "\"backends\": {\n");
	VSB_indent(vsb, 2);
}

static void
vdir_list_one(struct vsb *vsb, const struct vdir *vd, unsigned u, int jflag,
    int weight)
{
	const char *name = vd->backend[u]->vcl_name;
	int h = vbit_test(vd->healthy, u) != 0;
	double w = h ? vd->weight[u] : 0.0;

	if (jflag) {
		VSB_printf(vsb, "%s\"%s\": {\n", u > 0 ? ",\n" : "", name);
		VSB_indent(vsb, 2);
		if (weight)
			VSB_printf(vsb, "\"weight\": %f,\n", w);
		VSB_printf(vsb, "\"health\": \"%s\"\n", h ? "healthy" : "sick");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}");
		return;
	}
	VSB_printf(vsb, "\t%s\t", name);
	if (weight && vd->total_weight > 0.0)
		VSB_printf(vsb, "%6.2f%%\t", 100.0 * w / vd->total_weight);
	else if (weight)
		VSB_printf(vsb, "%6.2f%%\t", 0.0);
	else
		VSB_cat(vsb, "-\t");
	VSB_printf(vsb, "%s\n", h ? "healthy" : "sick");
}

static void
vdir_list_tail(struct vsb *vsb)
{

	VSB_cat(vsb, "\n");
	VSB_indent(vsb, -2);
	VSB_cat(vsb, "}\n");
	VSB_indent(vsb, -2);
	VSB_cat(vsb, "},\n");
}

static void
vdir_list(VRT_CTX, struct vdir *vd, struct vsb *vsb, int pflag, int jflag,
    int weight)
{
	unsigned u, nh, n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	AN(vsb);
	vdir_rdlock(vd);
	vdir_update_health(ctx, vd);
	if (pflag) {
		vdir_list_head(vsb, vd, jflag, weight);
		for (u = 0; u < vd->n_backend; u++)
			vdir_list_one(vsb, vd, u, jflag, weight);
		if (jflag)
			vdir_list_tail(vsb);
	}
	nh = vd->n_healthy;
	n = vd->n_backend;
	vdir_unlock(vd);
	if (pflag)
		return;
	if (jflag)
		VSB_printf(vsb, "[%u, %u, \"%s\"]", nh, n,
		    nh > 0 ? "healthy" : "sick");
	else
		VSB_printf(vsb, "%u/%u\t%s", nh, n, nh > 0 ? "healthy" : "sick");
}

/* ---- from directors/random.c ---- */

struct VPFX(directors_random) {
	unsigned			magic;
#define VMOD_DIRECTORS_RANDOM_MAGIC	0x4732d092
	struct vdir			*vd;
};

static struct VPFX(directors_random) *
rnd_of(VCL_BACKEND dir)
{
	struct VPFX(directors_random) *rnd;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(rnd, dir->priv, VMOD_DIRECTORS_RANDOM_MAGIC);
	return (rnd);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
rnd_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct VPFX(directors_random) *rnd = rnd_of(dir);

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	return (vdir_any_healthy(ctx, rnd->vd, changed));
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
rnd_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct VPFX(directors_random) *rnd = rnd_of(dir);
	double r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	/* 31 random bits scaled into [0, 1). */
	r = scalbn((double)VRND_RandomTestable(), -31);
	assert(r >= 0.0 && r < 1.0);
	return (vdir_pick_be(ctx, rnd->vd, r));
}

static void v_matchproto_(vdi_list_f)
rnd_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct VPFX(directors_random) *rnd = rnd_of(dir);

	vdir_list(ctx, rnd->vd, vsb, pflag, jflag, 1);
}

static void v_matchproto_(vdi_panic_f)
rnd_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct VPFX(directors_random) *rnd = rnd_of(dir);

	VSB_printf(vsb, "random = {n_backend = %u, total_weight = %f},\n",
	    rnd->vd->n_backend, rnd->vd->total_weight);
}

static void v_matchproto_(vdi_release_f)
rnd_release(VCL_BACKEND dir)
{
	struct VPFX(directors_random) *rnd = rnd_of(dir);

	vdir_release(rnd->vd);
}

static void v_matchproto_(vdi_destroy_f)
rnd_destroy(VCL_BACKEND dir)
{
	struct VPFX(directors_random) *rnd = rnd_of(dir);

	vdir_delete(&rnd->vd);
	FREE_OBJ(rnd);
}

static const struct vdi_methods rnd_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"random",
	.healthy =	rnd_healthy,
	.resolve =	rnd_resolve,
	.release =	rnd_release,
	.destroy =	rnd_destroy,
	.panic =	rnd_panic,
	.list =		rnd_list,
}};

VCL_VOID
VPFX(random__init)(VRT_CTX, struct VPFX(directors_random) **rndp,
    const char *vcl_name)
{
	struct VPFX(directors_random) *rnd;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(rndp);
	AZ(*rndp);
	ALLOC_OBJ(rnd, VMOD_DIRECTORS_RANDOM_MAGIC);
	AN(rnd);
	*rndp = rnd;
	vdir_new(ctx, &rnd->vd, vcl_name, rnd_methods, rnd);
}

VCL_VOID
VPFX(random__fini)(struct VPFX(directors_random) **rndp)
{
	struct VPFX(directors_random) *rnd;

	TAKE_OBJ_NOTNULL(rnd, rndp, VMOD_DIRECTORS_RANDOM_MAGIC);
	/* MUTANT: a plain dereference, not VRT_DelDirector() (no release). */
	VRT_Assign_Backend(&rnd->vd->dir, NULL);
}

VCL_VOID
VPFX(random_add_backend)(VRT_CTX, struct VPFX(directors_random) *rnd,
    VCL_BACKEND be, VCL_REAL weight)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rnd, VMOD_DIRECTORS_RANDOM_MAGIC);
	vdir_add_backend(ctx, rnd->vd, be, weight);
}

VCL_VOID
VPFX(random_remove_backend)(VRT_CTX, struct VPFX(directors_random) *rnd,
    VCL_BACKEND be)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rnd, VMOD_DIRECTORS_RANDOM_MAGIC);
	vdir_remove_backend(ctx, rnd->vd, be, NULL);
}

VCL_BACKEND
VPFX(random_backend)(VRT_CTX, struct VPFX(directors_random) *rnd)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rnd, VMOD_DIRECTORS_RANDOM_MAGIC);
	return (rnd->vd->dir);
}

