/* MUTANT rr_del_members -- directors/round_robin.c + directors/vdir.c with one
 * bug.
 *
 * BUG: release drops the backend references with VRT_DelDirector(&slot) instead
 *   of VRT_Assign_Backend(&slot, NULL) -- "delete the directors we hold". But
 *   VRT_DelDirector is for a director's owner: it calls the member's release
 *   and drops the owner's reference. A VCL backend (static, A4) is retired
 *   right there, while its VCL still owns it; a member director is released
 *   behind its owner's back.
 * CAUGHT BY: A8 -- at discard, the VCL's own VRT_delete_backend() of a member
 *   backend finds it already destroyed (scenario mutant_rr_del_members.yaml).
 *   With a member director instead, B1 (its __fini calls VRT_DelDirector
 *   twice).
 * REAL-WORLD ANALOGUE: VRT_DelDirector vs VRT_Assign_Backend(&x, NULL) in the
 *   refcounted director API (7.1 0d68e21d1, 7.3 e8c77d893): same-looking "drop"
 *   calls with different owners, the confusion behind over-release crashes.
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
		/* MUTANT: VRT_DelDirector, not VRT_Assign_Backend(.., NULL). */
		VRT_DelDirector(&vd->backend[u]);
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

/* ---- from directors/round_robin.c ---- */

struct VPFX(directors_round_robin) {
	unsigned			magic;
#define VMOD_DIRECTORS_ROUND_ROBIN_MAGIC	0xa80970cf
	struct vdir			*vd;
	unsigned			nxt;
};

static struct VPFX(directors_round_robin) *
rr_of(VCL_BACKEND dir)
{
	struct VPFX(directors_round_robin) *rr;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(rr, dir->priv, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	return (rr);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
rr_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct VPFX(directors_round_robin) *rr = rr_of(dir);

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	return (vdir_any_healthy(ctx, rr->vd, changed));
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
rr_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct VPFX(directors_round_robin) *rr = rr_of(dir);
	struct vdir *vd;
	VCL_BACKEND be, found = NULL;
	unsigned u, n, nxt;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	vd = rr->vd;
	vdir_rdlock(vd);
	n = vd->n_backend;
	nxt = rr->nxt;
	/* remove_backend() keeps nxt in range (unlike Varnish's, F4). */
	assert(n == 0 || nxt < n);
	for (u = 0; u < n; u++) {
		be = vd->backend[nxt];
		nxt = (nxt + 1) % n;
		CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
		if (VRT_Healthy(ctx, be, NULL)) {
			found = be;
			break;
		}
	}
	rr->nxt = nxt;
	vdir_unlock(vd);
	return (found);
}

static void v_matchproto_(vdi_list_f)
rr_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct VPFX(directors_round_robin) *rr = rr_of(dir);

	vdir_list(ctx, rr->vd, vsb, pflag, jflag, 0);
}

static void v_matchproto_(vdi_panic_f)
rr_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct VPFX(directors_round_robin) *rr = rr_of(dir);

	VSB_printf(vsb, "round_robin = {n_backend = %u, nxt = %u},\n",
	    rr->vd->n_backend, rr->nxt);
}

static void v_matchproto_(vdi_release_f)
rr_release(VCL_BACKEND dir)
{
	struct VPFX(directors_round_robin) *rr = rr_of(dir);

	vdir_release(rr->vd);
}

static void v_matchproto_(vdi_destroy_f)
rr_destroy(VCL_BACKEND dir)
{
	struct VPFX(directors_round_robin) *rr = rr_of(dir);

	vdir_delete(&rr->vd);
	FREE_OBJ(rr);
}

static const struct vdi_methods rr_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"round-robin",
	.healthy =	rr_healthy,
	.resolve =	rr_resolve,
	.release =	rr_release,
	.destroy =	rr_destroy,
	.panic =	rr_panic,
	.list =		rr_list,
}};

VCL_VOID
VPFX(round_robin__init)(VRT_CTX, struct VPFX(directors_round_robin) **rrp,
    const char *vcl_name)
{
	struct VPFX(directors_round_robin) *rr;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(rrp);
	AZ(*rrp);
	ALLOC_OBJ(rr, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	AN(rr);
	*rrp = rr;
	vdir_new(ctx, &rr->vd, vcl_name, rr_methods, rr);
}

VCL_VOID
VPFX(round_robin__fini)(struct VPFX(directors_round_robin) **rrp)
{
	struct VPFX(directors_round_robin) *rr;

	/* The object lives on until destroy: requests may still hold it (B1). */
	TAKE_OBJ_NOTNULL(rr, rrp, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	VRT_DelDirector(&rr->vd->dir);
}

VCL_VOID
VPFX(round_robin_add_backend)(VRT_CTX, struct VPFX(directors_round_robin) *rr,
    VCL_BACKEND be)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rr, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	vdir_add_backend(ctx, rr->vd, be, 0.0);
}

VCL_VOID
VPFX(round_robin_remove_backend)(VRT_CTX,
    struct VPFX(directors_round_robin) *rr, VCL_BACKEND be)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rr, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	vdir_remove_backend(ctx, rr->vd, be, &rr->nxt);
}

VCL_BACKEND
VPFX(round_robin_backend)(VRT_CTX, struct VPFX(directors_round_robin) *rr)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rr, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	return (rr->vd->dir);
}

