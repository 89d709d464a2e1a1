/* MUTANT fb_healthy_under_lock -- directors/fall_back.c + directors/vdir.c with
 * one
 * bug.
 *
 * BUG: resolve takes its write lock and then asks VRT_Healthy() about its own
 *   director ("nothing healthy: skip the scan"). VRT_Healthy calls back into
 *   this director's `healthy`, which takes the same rwlock for reading: the
 *   writer blocks on itself. pthread rwlocks deadlock (or fail with EDEADLK).
 * CAUGHT BY: S2 -- the simulator's lock checker, "rwlock read-locked by its
 *   writer", on the first request (scenario mutant_fb_healthy_under_lock.yaml).
 * REAL-WORLD ANALOGUE: re-entering a director through the VRT API while holding
 *   its lock (vdir's rwlock, F1-F5); the same shape as the Z4 deadlock
 *   (f3575e382), where a lock was held across a call that needed it.
 * Everything else is the real director; the bug is marked "MUTANT". */

#include "cache/cache.h"

#include "vbm.h"

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

/* ---- from directors/fall_back.c ---- */

struct VPFX(directors_fallback) {
	unsigned			magic;
#define VMOD_DIRECTORS_FALLBACK_MAGIC	0xad4e26ba
	struct vdir			*vd;
	VCL_BOOL			sticky;
	unsigned			cur;	/* under vd's write lock */
};

static struct VPFX(directors_fallback) *
fb_of(VCL_BACKEND dir)
{
	struct VPFX(directors_fallback) *fb;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(fb, dir->priv, VMOD_DIRECTORS_FALLBACK_MAGIC);
	return (fb);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
fb_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct VPFX(directors_fallback) *fb = fb_of(dir);

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	return (vdir_any_healthy(ctx, fb->vd, changed));
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
fb_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct VPFX(directors_fallback) *fb = fb_of(dir);
	struct vdir *vd;
	VCL_BACKEND be, found = NULL;
	unsigned u, n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	vd = fb->vd;
	vdir_wrlock(vd);
	/* MUTANT: our own healthy callback, under our own write lock. */
	if (!VRT_Healthy(ctx, dir, NULL)) {
		vdir_unlock(vd);
		return (NULL);
	}
	n = vd->n_backend;
	if (!fb->sticky || fb->cur >= n)
		fb->cur = 0;
	for (u = 0; u < n; u++) {
		be = vd->backend[fb->cur];
		CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
		if (VRT_Healthy(ctx, be, NULL)) {
			found = be;
			break;
		}
		fb->cur = (fb->cur + 1) % n;
	}
	vdir_unlock(vd);
	return (found);
}

static void
fb_list_backends(struct vsb *vsb, const struct VPFX(directors_fallback) *fb,
    int jflag)
{
	const struct vdir *vd = fb->vd;
	const char *name;
	unsigned u;
	int h;

	for (u = 0; u < vd->n_backend; u++) {
		name = vd->backend[u]->vcl_name;
		h = vbit_test(vd->healthy, u) != 0;
		if (!jflag) {
			VSB_printf(vsb, "\t%s\t%s\t%s\n", name,
			    fb->cur == u ? "*" : "", h ? "healthy" : "sick");
			continue;
		}
		VSB_printf(vsb, "%s\"%s\": {\n", u > 0 ? ",\n" : "", name);
		VSB_indent(vsb, 2);
		VSB_printf(vsb, "\"current\": %s,\n",
		    fb->cur == u ? "true" : "false");
		VSB_printf(vsb, "\"health\": \"%s\"\n", h ? "healthy" : "sick");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}");
	}
}

static void v_matchproto_(vdi_list_f)
fb_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct VPFX(directors_fallback) *fb = fb_of(dir);

	if (!pflag) {
		vdir_list(ctx, fb->vd, vsb, 0, jflag, 0);
		return;
	}
	if (jflag) {
		VSB_printf(vsb, "{\n");
		VSB_indent(vsb, 2);
		VSB_printf(vsb, "\"sticky\": %s,\n",
		    fb->sticky ? "true" : "false");
		VSB_cat(vsb, "\"backends\": {\n");
		VSB_indent(vsb, 2);
	} else {
		VSB_cat(vsb, "\n\n\tBackend\tCurrent\tHealth\n");
	}
	vdir_rdlock(fb->vd);
	vdir_update_health(ctx, fb->vd);
	fb_list_backends(vsb, fb, jflag);
	vdir_unlock(fb->vd);
	if (jflag) {
		VSB_cat(vsb, "\n");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}\n");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "},\n");
	}
}

static void v_matchproto_(vdi_panic_f)
fb_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct VPFX(directors_fallback) *fb = fb_of(dir);

	VSB_printf(vsb, "fallback = {n_backend = %u, cur = %u, sticky = %u},\n",
	    fb->vd->n_backend, fb->cur, fb->sticky);
}

static void v_matchproto_(vdi_release_f)
fb_release(VCL_BACKEND dir)
{
	struct VPFX(directors_fallback) *fb = fb_of(dir);

	vdir_release(fb->vd);
}

static void v_matchproto_(vdi_destroy_f)
fb_destroy(VCL_BACKEND dir)
{
	struct VPFX(directors_fallback) *fb = fb_of(dir);

	vdir_delete(&fb->vd);
	FREE_OBJ(fb);
}

static const struct vdi_methods fb_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"fallback",
	.healthy =	fb_healthy,
	.resolve =	fb_resolve,
	.release =	fb_release,
	.destroy =	fb_destroy,
	.panic =	fb_panic,
	.list =		fb_list,
}};

VCL_VOID
VPFX(fallback__init)(VRT_CTX, struct VPFX(directors_fallback) **fbp,
    const char *vcl_name, VCL_BOOL sticky)
{
	struct VPFX(directors_fallback) *fb;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(fbp);
	AZ(*fbp);
	ALLOC_OBJ(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	AN(fb);
	fb->sticky = sticky;
	*fbp = fb;
	vdir_new(ctx, &fb->vd, vcl_name, fb_methods, fb);
}

VCL_VOID
VPFX(fallback__fini)(struct VPFX(directors_fallback) **fbp)
{
	struct VPFX(directors_fallback) *fb;

	TAKE_OBJ_NOTNULL(fb, fbp, VMOD_DIRECTORS_FALLBACK_MAGIC);
	VRT_DelDirector(&fb->vd->dir);
}

VCL_VOID
VPFX(fallback_add_backend)(VRT_CTX, struct VPFX(directors_fallback) *fb,
    VCL_BACKEND be)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	vdir_add_backend(ctx, fb->vd, be, 0.0);
}

VCL_VOID
VPFX(fallback_remove_backend)(VRT_CTX, struct VPFX(directors_fallback) *fb,
    VCL_BACKEND be)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	vdir_remove_backend(ctx, fb->vd, be, &fb->cur);
}

VCL_BACKEND
VPFX(fallback_backend)(VRT_CTX, struct VPFX(directors_fallback) *fb)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	return (fb->vd->dir);
}

