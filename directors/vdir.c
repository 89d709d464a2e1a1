/* vdir.c -- the weighted backend set shared by the vmod directors (spec F1-F3),
 * the director callbacks they share, and the module's lookup() function. Each
 * slot owns one reference; the array is guarded by a pthread rwlock (a
 * simulator lock under vdisim). */

#include "cache/cache.h"

#include "vbm.h"
#include "vcl.h"

#include "vcc_directors_if.h"

#include "vmod_directors.h"

#define VDIR_GROW	16

/* What the vdir knows of its director's object: miniobj's magic comes first. */
struct vdir_obj {
	unsigned			magic;
};

VCL_BACKEND
vmod_lookup(VRT_CTX, VCL_STRING name)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if ((ctx->method & VCL_MET_TASK_H) == 0) {
		VRT_fail(ctx, "directors.lookup() is for vcl_init and vcl_fini");
		return (NULL);
	}
	return (VRT_LookupDirector(ctx, name));
}

void
vdir_rdlock(struct vdir *vd)
{

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	PTOK(pthread_rwlock_rdlock(&vd->mtx));
}

void
vdir_wrlock(struct vdir *vd)
{

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	PTOK(pthread_rwlock_wrlock(&vd->mtx));
}

void
vdir_unlock(struct vdir *vd)
{

	CHECK_OBJ_NOTNULL(vd, VDIR_MAGIC);
	PTOK(pthread_rwlock_unlock(&vd->mtx));
}

void
vdir_new(VRT_CTX, struct vdir **vdp, const char *vcl_name,
    const struct vdi_methods *m, void *priv)
{
	struct vdir *vd;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(m, VDI_METHODS_MAGIC);
	AN(vcl_name);
	AN(vdp);
	AZ(*vdp);
	AN(priv);

	ALLOC_OBJ(vd, VDIR_MAGIC);
	AN(vd);
	PTOK(pthread_rwlock_init(&vd->mtx, NULL));
	vd->healthy = vbit_new(VDIR_GROW);
	AN(vd->healthy);
	vd->priv = priv;
	*vdp = vd;
	/* Last: from here on the runtime may call m (WARM when warm, A2). */
	vd->dir = VRT_AddDirector(ctx, m, vd, "%s", vcl_name);
}

struct vdir *
vdir_of(VCL_BACKEND dir)
{
	struct vdir *vd;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(vd, dir->priv, VDIR_MAGIC);
	return (vd);
}

void v_matchproto_(vdi_release_f)
vdir_release(VCL_BACKEND dir)
{
	struct vdir *vd = vdir_of(dir);
	unsigned u;

	vdir_wrlock(vd);
	for (u = 0; u < vd->n_backend; u++)
		VRT_Assign_Backend(&vd->backend[u], NULL);
	vd->n_backend = 0;
	vd->n_healthy = 0;
	vd->total_weight = 0.0;
	vdir_unlock(vd);
}

void
vdir_delete(struct vdir **vdp)
{
	struct vdir *vd;
	struct vdir_obj *obj;

	TAKE_OBJ_NOTNULL(vd, vdp, VDIR_MAGIC);
	/* B1/B2: __fini cleared dir and release emptied the array. */
	AZ(vd->dir);
	AZ(vd->n_backend);
	obj = vd->priv;
	AN(obj);
	AN(obj->magic);
	free(vd->backend);
	free(vd->weight);
	vbit_destroy(vd->healthy);
	PTOK(pthread_rwlock_destroy(&vd->mtx));
	FREE_OBJ(vd);
	FREE_OBJ(obj);
}

void v_matchproto_(vdi_destroy_f)
vdir_destroy(VCL_BACKEND dir)
{
	struct vdir *vd = vdir_of(dir);

	vdir_delete(&vd);
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

void
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

void
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

VCL_BOOL v_matchproto_(vdi_healthy_f)
vdir_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct vdir *vd = vdir_of(dir);
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

void
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

VCL_BACKEND
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
		if (u > 0)
			VSB_cat(vsb, ",\n");	/* its own line: the indent applies */
		VSB_printf(vsb, "\"%s\": {\n", name);
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
vdir_list_backends(VRT_CTX, struct vdir *vd, struct vsb *vsb, int pflag,
    int jflag, int weight)
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

void v_matchproto_(vdi_list_f)
vdir_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{

	vdir_list_backends(ctx, vdir_of(dir), vsb, pflag, jflag, 0);
}

void v_matchproto_(vdi_list_f)
vdir_list_weighted(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag,
    int jflag)
{

	vdir_list_backends(ctx, vdir_of(dir), vsb, pflag, jflag, 1);
}
