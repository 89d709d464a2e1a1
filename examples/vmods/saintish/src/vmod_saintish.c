/* vmod_saintish.c -- vdisim's example wrapper director in the manner of
 * varnish-modules' saintmode (examples/vmods/saintish), written for vdisim's
 * CI. Nothing here knows about vdisim: it builds as a Varnish 8.0 vmod.
 *
 * `saintish.wrapper(be, threshold)` holds one reference to `be` (a backend or
 * a director) and answers for it. `saintish.mark(d)`, called in
 * vcl_backend_response, records the fetch's object digest (bo->digest) on
 * the wrapper of the backend that served it (bo->director_resp) until
 * bo->t_prev + d. The healthy callback reads the digest of the task asking
 * (ctx->bo, or ctx->req after vcl_hash): a marked object, or threshold live
 * marks, make the wrapper sick. Wrappers of one VCL are found through
 * PRIV_VCL.
 *
 * Lifecycle: __fini unlists the wrapper and VRT_DelDirector()s it; release
 * drops the reference to `be` (B2); destroy frees.
 *
 * SAINTISH_BUG (CMake option): no release callback, as if `be` were always a
 * VCL backend (whose references are not counted). A wrapped director keeps
 * one reference forever and outlives its VCL (C5). */

#include <limits.h>

#include "cache/cache.h"
#include "vcl.h"
#include "vqueue.h"
#include "vtim.h"

#include "vcc_saintish_if.h"

struct saint_mark {
	unsigned			magic;
#define SAINT_MARK_MAGIC		0x6d61726b
	uint8_t				digest[DIGEST_LEN];
	vtim_real			until;
	VTAILQ_ENTRY(saint_mark)	list;
};
VTAILQ_HEAD(saint_mark_head, saint_mark);

struct vmod_saintish_wrapper {
	unsigned			magic;
#define SAINTISH_WRAPPER_MAGIC		0x7361696e
	VCL_BACKEND			dir;	/* NULL after __fini */
	VCL_BACKEND			be;	/* one reference; NULL after release */
	char				*be_name;
	struct lock			mtx;	/* guards marks, n_marks */
	unsigned			threshold;
	unsigned			n_marks;
	struct saint_mark_head		marks;
	struct saint_vcl		*sv;
	VTAILQ_ENTRY(vmod_saintish_wrapper) list;
};

/* The wrappers of one VCL, for mark(). Only the CLI thread changes the list
 * (vcl_init, __fini); fetches read it. */
struct saint_vcl {
	unsigned			magic;
#define SAINT_VCL_MAGIC			0x73766363
	pthread_rwlock_t		mtx;
	VTAILQ_HEAD(, vmod_saintish_wrapper) wrappers;
};

static void
sv_fini(VRT_CTX, void *p)
{
	struct saint_vcl *sv;

	(void)ctx;
	CAST_OBJ_NOTNULL(sv, p, SAINT_VCL_MAGIC);
	assert(VTAILQ_EMPTY(&sv->wrappers));
	PTOK(pthread_rwlock_destroy(&sv->mtx));
	FREE_OBJ(sv);
}

static const struct vmod_priv_methods sv_methods[1] = {{
	.magic = VMOD_PRIV_METHODS_MAGIC,
	.type = "saintish vcl",
	.fini = sv_fini,
}};

/*--------------------------------------------------------------------
 * Health by object digest
 */

/* What the asking task knows: its object's digest (NULL before vcl_hash),
 * its time and its log. */
struct saint_view {
	const uint8_t		*digest;
	vtim_real		now;
	struct vsl_log		*vsl;
};

static void
view_of(VRT_CTX, struct saint_view *v)
{
	const struct busyobj *bo;
	const struct req *req;

	memset(v, 0, sizeof *v);
	bo = ctx->bo;
	req = ctx->req;
	CHECK_OBJ_ORNULL(bo, BUSYOBJ_MAGIC);
	CHECK_OBJ_ORNULL(req, REQ_MAGIC);
	if (bo != NULL) {
		v->digest = bo->digest;
		v->now = bo->t_prev;
		v->vsl = ((struct busyobj *)TRUST_ME(bo))->vsl;
	} else if (req != NULL) {
		if (!(ctx->method & (VCL_MET_RECV | VCL_MET_HASH)))
			v->digest = req->digest;
		v->now = req->t_prev;
		v->vsl = ((struct req *)TRUST_ME(req))->vsl;
	}
	if (!(v->now > 0))
		v->now = VTIM_real();
}

/* 1 unless the object is marked or too many marks are live. Expired marks
 * are dropped here, freed outside the lock. */
static unsigned
wrapper_ok(struct vmod_saintish_wrapper *w, const struct saint_view *v)
{
	struct saint_mark_head expired = VTAILQ_HEAD_INITIALIZER(expired);
	struct saint_mark *m, *m2;
	unsigned marked = 0, over;

	Lck_Lock(&w->mtx);
	VTAILQ_FOREACH_SAFE(m, &w->marks, list, m2) {
		CHECK_OBJ_NOTNULL(m, SAINT_MARK_MAGIC);
		if (m->until < v->now) {
			VTAILQ_REMOVE(&w->marks, m, list);
			VTAILQ_INSERT_TAIL(&expired, m, list);
			w->n_marks--;
		} else if (v->digest != NULL &&
		    !memcmp(m->digest, v->digest, DIGEST_LEN))
			marked = 1;
	}
	over = w->threshold > 0 && w->n_marks >= w->threshold;
	Lck_Unlock(&w->mtx);

	VTAILQ_FOREACH_SAFE(m, &expired, list, m2)
		FREE_OBJ(m);
	if (v->vsl != NULL && (marked || over))
		VSLb(v->vsl, SLT_VCL_Log, "saintish: %s sick: %s",
		    w->be_name, marked ? "object marked" : "threshold");
	return (!marked && !over);
}

static struct vmod_saintish_wrapper *
wrapper_of(VCL_BACKEND dir)
{
	struct vmod_saintish_wrapper *w;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(w, dir->priv, SAINTISH_WRAPPER_MAGIC);
	return (w);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
wrapper_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct vmod_saintish_wrapper *w = wrapper_of(dir);
	struct saint_view v;
	VCL_BOOL h;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	/* D3: *changed is written whatever we answer. */
	h = VRT_Healthy(ctx, w->be, changed);
	if (!h)
		return (0);
	view_of(ctx, &v);
	return (wrapper_ok(w, &v));
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
wrapper_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vmod_saintish_wrapper *w = wrapper_of(dir);

	if (!wrapper_healthy(ctx, dir, NULL))
		return (NULL);
	return (w->be);
}

#ifndef SAINTISH_BUG
/* B2: drop the wrapped backend; we take no reference afterwards. */
static void v_matchproto_(vdi_release_f)
wrapper_release(VCL_BACKEND dir)
{
	struct vmod_saintish_wrapper *w = wrapper_of(dir);

	VRT_Assign_Backend(&w->be, NULL);
}
#endif

static void v_matchproto_(vdi_destroy_f)
wrapper_destroy(VCL_BACKEND dir)
{
	struct vmod_saintish_wrapper *w = wrapper_of(dir);
	struct saint_mark *m;

	AZ(w->dir);
	while ((m = VTAILQ_FIRST(&w->marks)) != NULL) {
		VTAILQ_REMOVE(&w->marks, m, list);
		FREE_OBJ(m);
	}
	Lck_Delete(&w->mtx);
	free(w->be_name);
	FREE_OBJ(w);
}

static void v_matchproto_(vdi_list_f)
wrapper_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct vmod_saintish_wrapper *w = wrapper_of(dir);

	(void)ctx;
	(void)pflag;
	if (jflag)
		VSB_printf(vsb, "{\"backend\": \"%s\", \"marks\": %u, "
		    "\"threshold\": %u}", w->be_name, w->n_marks, w->threshold);
	else
		VSB_printf(vsb, "%s %u/%u marks", w->be_name, w->n_marks,
		    w->threshold);
}

static const struct vdi_methods wrapper_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"saintish",
	.healthy =	wrapper_healthy,
	.resolve =	wrapper_resolve,
#ifndef SAINTISH_BUG
	.release =	wrapper_release,
#endif
	.destroy =	wrapper_destroy,
	.list =		wrapper_list,
}};

/*--------------------------------------------------------------------
 * VCL interface
 */

VCL_VOID
vmod_mark(VRT_CTX, struct vmod_priv *priv, VCL_DURATION expires)
{
	struct vmod_saintish_wrapper *w;
	struct saint_vcl *sv;
	struct saint_mark *m;
	struct busyobj *bo;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(priv);
	if (priv->priv == NULL) {
		VSLb(ctx->vsl, SLT_VCL_Error, "saintish.mark(): no wrapper");
		return;
	}
	if (ctx->method != VCL_MET_BACKEND_RESPONSE) {
		VSLb(ctx->vsl, SLT_VCL_Error,
		    "saintish.mark(): only in vcl_backend_response");
		return;
	}
	CAST_OBJ_NOTNULL(sv, priv->priv, SAINT_VCL_MAGIC);
	bo = ctx->bo;
	CHECK_OBJ_NOTNULL(bo, BUSYOBJ_MAGIC);
	PTOK(pthread_rwlock_rdlock(&sv->mtx));
	VTAILQ_FOREACH(w, &sv->wrappers, list)
		if (w->be == bo->director_resp)
			break;
	if (w == NULL) {
		PTOK(pthread_rwlock_unlock(&sv->mtx));
		VSLb(bo->vsl, SLT_VCL_Error,
		    "saintish.mark(): backend not wrapped");
		return;
	}
	ALLOC_OBJ(m, SAINT_MARK_MAGIC);
	AN(m);
	memcpy(m->digest, bo->digest, sizeof m->digest);
	m->until = bo->t_prev + expires;
	Lck_Lock(&w->mtx);
	VTAILQ_INSERT_TAIL(&w->marks, m, list);
	w->n_marks++;
	Lck_Unlock(&w->mtx);
	VSLb(bo->vsl, SLT_VCL_Log, "saintish: marked on %s for %.3f s",
	    w->be_name, expires);
	PTOK(pthread_rwlock_unlock(&sv->mtx));
}

VCL_VOID
vmod_wrapper__init(VRT_CTX, struct vmod_saintish_wrapper **wp,
    const char *vcl_name, struct vmod_priv *priv, VCL_BACKEND be,
    VCL_INT threshold)
{
	struct vmod_saintish_wrapper *w;
	struct saint_vcl *sv;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(wp);
	AZ(*wp);
	AN(priv);
	if (be == NULL || threshold < 0 || threshold > UINT_MAX) {
		VRT_fail(ctx, "saintish.wrapper(): need a backend and "
		    "0 <= threshold");
		return;
	}
	CHECK_OBJ(be, DIRECTOR_MAGIC);
	if (priv->priv == NULL) {
		ALLOC_OBJ(sv, SAINT_VCL_MAGIC);
		AN(sv);
		PTOK(pthread_rwlock_init(&sv->mtx, NULL));
		VTAILQ_INIT(&sv->wrappers);
		priv->priv = sv;
		priv->methods = sv_methods;
	}
	CAST_OBJ_NOTNULL(sv, priv->priv, SAINT_VCL_MAGIC);

	ALLOC_OBJ(w, SAINTISH_WRAPPER_MAGIC);
	AN(w);
	Lck_New(&w->mtx, lck_director);
	VTAILQ_INIT(&w->marks);
	w->threshold = (unsigned)threshold;
	w->be_name = strdup(be->vcl_name != NULL ? be->vcl_name : "?");
	AN(w->be_name);
	VRT_Assign_Backend(&w->be, be);
	w->sv = sv;
	w->dir = VRT_AddDirector(ctx, wrapper_methods, w, "%s", vcl_name);
	AN(w->dir);	/* from vcl_init: the VCL is not cooling */
	PTOK(pthread_rwlock_wrlock(&sv->mtx));
	VTAILQ_INSERT_TAIL(&sv->wrappers, w, list);
	PTOK(pthread_rwlock_unlock(&sv->mtx));
	*wp = w;
}

VCL_VOID
vmod_wrapper__fini(struct vmod_saintish_wrapper **wp)
{
	struct vmod_saintish_wrapper *w;

	TAKE_OBJ_NOTNULL(w, wp, SAINTISH_WRAPPER_MAGIC);
	PTOK(pthread_rwlock_wrlock(&w->sv->mtx));
	VTAILQ_REMOVE(&w->sv->wrappers, w, list);
	PTOK(pthread_rwlock_unlock(&w->sv->mtx));
	/* The memory lives on until destroy: others may hold the director. */
	VRT_DelDirector(&w->dir);
}

VCL_BACKEND
vmod_wrapper_backend(VRT_CTX, struct vmod_saintish_wrapper *w)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(w, SAINTISH_WRAPPER_MAGIC);
	return (w->dir);
}

VCL_INT
vmod_wrapper_marked(VRT_CTX, struct vmod_saintish_wrapper *w)
{
	VCL_INT n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(w, SAINTISH_WRAPPER_MAGIC);
	Lck_Lock(&w->mtx);
	n = w->n_marks;
	Lck_Unlock(&w->mtx);
	return (n);
}
