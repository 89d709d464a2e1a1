/* shard.c -- a reduced vmod directors shard: a consistent hashing ring (built
 * by shard_cfg.c). A key picks the first ring point >= key (keys past the last
 * point take the last one, as Varnish does) and walks on, skipping hosts seen
 * already, to the first healthy one (spec F8). No rampup, warmup, alt or
 * parameter sets. Each backend slot owns one reference; release drops them. */

#include "cache/cache.h"

#include "vbm.h"
#include "vend.h"
#include "vcl.h"

#include "vcc_directors_if.h"

#include "shard.h"

static struct vmod_directors_shard *
shard_of(VCL_BACKEND dir)
{
	struct vmod_directors_shard *sh;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(sh, dir->priv, VMOD_DIRECTORS_SHARD_MAGIC);
	return (sh);
}

/* ---- lookup ---- */


/* Index of the first point >= key; past the last point, the last one. */
static uint32_t
shard_lookup(const struct vmod_directors_shard *sh, uint32_t key)
{
	uint32_t lo = 0, hi = sh->n_points, mid;

	assert(sh->n_points > 0);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sh->ring[mid].point < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < sh->n_points ? lo : sh->n_points - 1);
}

/* Read lock held: walk the ring from key, first healthy host wins. */
static VCL_BACKEND
shard_pick_locked(VRT_CTX, const struct vmod_directors_shard *sh, uint32_t key)
{
	size_t sz = VBITMAP_SZ(sh->n_backend);
	char space[sz];
	struct vbitmap *seen;
	uint32_t idx, steps;
	unsigned host, n_seen = 0;
	VCL_BACKEND be, found = NULL;

	if (sh->n_points == 0)
		return (NULL);
	seen = vbit_init(space, sz);
	AN(seen);
	idx = shard_lookup(sh, key);
	for (steps = 0; steps < sh->n_points && n_seen < sh->n_backend;
	    steps++) {
		host = sh->ring[idx].host;
		assert(host < sh->n_backend);
		if (!vbit_test(seen, host)) {
			vbit_set(seen, host);
			n_seen++;
			be = sh->backend[host].backend;
			CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
			if (VRT_Healthy(ctx, be, NULL)) {
				found = be;
				break;
			}
		}
		idx = (idx + 1 == sh->n_points) ? 0 : idx + 1;
	}
	vbit_destroy(seen);
	return (found);
}

static VCL_BACKEND
shard_pick(VRT_CTX, struct vmod_directors_shard *sh, uint32_t key)
{
	VCL_BACKEND be;

	PTOK(pthread_rwlock_rdlock(&sh->mtx));
	be = shard_pick_locked(ctx, sh, key);
	PTOK(pthread_rwlock_unlock(&sh->mtx));
	return (be);
}

/* ---- keys ---- */

/* The first 4 bytes, big-endian; shorter blobs are left-padded with zeros. */
static uint32_t
shard_blob_key(VCL_BLOB b)
{
	const unsigned char *p;
	uint32_t k = 0;
	size_t u;

	if (b == NULL || b->blob == NULL)
		return (0);
	p = b->blob;
	for (u = 0; u < b->len && u < 4; u++)
		k = (k << 8) | p[u];
	return (k);
}

static uint32_t
shard_int_key(VRT_CTX, const struct vmod_directors_shard *sh, VCL_INT key)
{

	if (key < 0 || key > (VCL_INT)UINT32_MAX)
		VSLb(ctx->vsl, SLT_Error, "vmod_directors: shard %s: "
		    "key %jd out of range, truncated", sh->name, (intmax_t)key);
	return ((uint32_t)key);
}

/* by=HASH in a backend task is the object's digest (its first four bytes, big
 * endian); before vcl_hash there is none, so by=HASH, like by=URL, hashes the URL of
 * the request (or of the backend request). */
static uint32_t
shard_key(VRT_CTX, const struct vmod_directors_shard *sh, VCL_ENUM by,
    VCL_INT key, VCL_BLOB blob)
{
	const struct http *hp;

	if (by == VENUM(KEY))
		return (shard_int_key(ctx, sh, key));
	if (by == VENUM(BLOB))
		return (shard_blob_key(blob));
	if (by == VENUM(HASH) && ctx->bo != NULL) {
		CHECK_OBJ(ctx->bo, BUSYOBJ_MAGIC);
		return (vbe32dec(ctx->bo->digest));
	}
	if (by == VENUM(HASH) || by == VENUM(URL)) {
		hp = ctx->http_req != NULL ? ctx->http_req : ctx->http_bereq;
		AN(hp);
		return (VRT_HashStrands32(TOSTRAND(hp->hd[HTTP_HDR_URL].b)));
	}
	WRONG("shard: unknown 'by' ENUM (pass the VENUM() pointers)");
}

/* ---- director callbacks ---- */

static VCL_BOOL v_matchproto_(vdi_healthy_f)
shard_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct vmod_directors_shard *sh = shard_of(dir);
	VCL_TIME c, newest = 0;
	VCL_BOOL h = 0;
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_rwlock_rdlock(&sh->mtx));
	for (u = 0; u < sh->n_backend && !h; u++) {
		c = 0;
		h = VRT_Healthy(ctx, sh->backend[u].backend, &c);
		if (c > newest)
			newest = c;
	}
	PTOK(pthread_rwlock_unlock(&sh->mtx));
	if (changed != NULL)
		*changed = newest;
	return (h);
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
shard_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vmod_directors_shard *sh = shard_of(dir);
	VCL_BACKEND be;
	uint32_t key;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_rwlock_rdlock(&sh->mtx));
	if (sh->lazy_by == VENUM(KEY))
		key = sh->lazy_key;
	else
		key = shard_key(ctx, sh, sh->lazy_by, 0, NULL);
	be = shard_pick_locked(ctx, sh, key);
	PTOK(pthread_rwlock_unlock(&sh->mtx));
	return (be);
}

static void
shard_list_backends(VRT_CTX, const struct vmod_directors_shard *sh,
    struct vsb *vsb, int jflag)
{
	const struct shard_be *b;
	unsigned u;
	int h;

	for (u = 0; u < sh->n_backend; u++) {
		b = &sh->backend[u];
		h = VRT_Healthy(ctx, b->backend, NULL) != 0;
		if (!jflag) {
			VSB_printf(vsb, "\t%s\t%s\t%s\n",
			    b->backend->vcl_name, b->ident ? b->ident : "-",
			    h ? "healthy" : "sick");
			continue;
		}
		if (u > 0)
			VSB_cat(vsb, ",\n");	/* its own line: the indent applies */
		VSB_printf(vsb, "\"%s\": {\n", b->backend->vcl_name);
		VSB_indent(vsb, 2);
		if (b->ident != NULL)
			VSB_printf(vsb, "\"ident\": \"%s\",\n", b->ident);
		VSB_printf(vsb, "\"replicas\": %u,\n", (unsigned)b->replicas);
		VSB_printf(vsb, "\"health\": \"%s\"\n", h ? "healthy" : "sick");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}");
	}
}

static unsigned
shard_count_healthy(VRT_CTX, const struct vmod_directors_shard *sh)
{
	unsigned u, nh = 0;

	for (u = 0; u < sh->n_backend; u++)
		if (VRT_Healthy(ctx, sh->backend[u].backend, NULL))
			nh++;
	return (nh);
}

static void v_matchproto_(vdi_list_f)
shard_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct vmod_directors_shard *sh = shard_of(dir);
	unsigned nh, n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_rwlock_rdlock(&sh->mtx));
	if (pflag && jflag) {
		VSB_cat(vsb, "{\n");
		VSB_indent(vsb, 2);
		VSB_cat(vsb, "\"backends\": {\n");
		VSB_indent(vsb, 2);
	} else if (pflag) {
		VSB_cat(vsb, "\n\n\tBackend\tIdent\tHealth\n");
	}
	if (pflag)
		shard_list_backends(ctx, sh, vsb, jflag);
	nh = shard_count_healthy(ctx, sh);
	n = sh->n_backend;
	PTOK(pthread_rwlock_unlock(&sh->mtx));
	if (pflag && jflag) {
		VSB_cat(vsb, "\n");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}\n");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "},\n");
	}
	if (pflag)
		return;
	if (jflag)
		VSB_printf(vsb, "[%u, %u, \"%s\"]", nh, n, nh ? "healthy" : "sick");
	else
		VSB_printf(vsb, "%u/%u\t%s", nh, n, nh ? "healthy" : "sick");
}

static void v_matchproto_(vdi_panic_f)
shard_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct vmod_directors_shard *sh = shard_of(dir);

	VSB_printf(vsb, "shard = {name = %s, n_backend = %u, n_points = %u, "
	    "released = %u},\n", sh->name, sh->n_backend,
	    (unsigned)sh->n_points, sh->released);
}

static void v_matchproto_(vdi_release_f)
shard_release(VCL_BACKEND dir)
{
	struct vmod_directors_shard *sh = shard_of(dir);

	PTOK(pthread_rwlock_wrlock(&sh->mtx));
	sh->released = 1;
	shard_clear_locked(sh);
	shard_ring_build(sh);
	PTOK(pthread_rwlock_unlock(&sh->mtx));
}

static void v_matchproto_(vdi_destroy_f)
shard_destroy(VCL_BACKEND dir)
{
	struct vmod_directors_shard *sh = shard_of(dir);

	AZ(sh->dir);
	AN(sh->released);
	AZ(sh->n_backend);
	AZ(sh->ring);
	free(sh->backend);
	free(sh->name);
	PTOK(pthread_rwlock_destroy(&sh->mtx));
	FREE_OBJ(sh);
}

static const struct vdi_methods shard_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"shard",
	.healthy =	shard_healthy,
	.resolve =	shard_resolve,
	.release =	shard_release,
	.destroy =	shard_destroy,
	.panic =	shard_panic,
	.list =		shard_list,
}};

/* ---- VCL object ---- */

VCL_VOID
vmod_shard__init(VRT_CTX, struct vmod_directors_shard **shp,
    const char *vcl_name)
{
	struct vmod_directors_shard *sh;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(shp);
	AZ(*shp);
	AN(vcl_name);
	ALLOC_OBJ(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	AN(sh);
	PTOK(pthread_rwlock_init(&sh->mtx, NULL));
	sh->name = strdup(vcl_name);
	AN(sh->name);
	sh->lazy_by = VENUM(HASH);
	*shp = sh;
	sh->dir = VRT_AddDirector(ctx, shard_methods, sh, "%s", vcl_name);
}

VCL_VOID
vmod_shard__fini(struct vmod_directors_shard **shp)
{
	struct vmod_directors_shard *sh;

	TAKE_OBJ_NOTNULL(sh, shp, VMOD_DIRECTORS_SHARD_MAGIC);
	VRT_DelDirector(&sh->dir);
}

VCL_BOOL
vmod_shard_add_backend(VRT_CTX, struct vmod_directors_shard *sh,
    struct VARGS(shard_add_backend) *a)
{
	double weight = 1.0;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	AN(a);
	if (a->backend == NULL) {
		VRT_fail(ctx, "shard %s: a NULL backend cannot be added",
		    sh->name);
		return (0);
	}
	if (a->valid_weight && a->weight > 1.0)
		weight = a->weight;
	return (shard_stage(ctx, sh, SHARD_ADD, a->backend,
	    a->valid_ident ? a->ident : NULL, weight));
}

VCL_BOOL
vmod_shard_remove_backend(VRT_CTX, struct vmod_directors_shard *sh,
    struct VARGS(shard_remove_backend) *a)
{
	VCL_BACKEND be;
	VCL_STRING ident;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	AN(a);
	be = a->valid_backend ? a->backend : NULL;
	ident = a->valid_ident ? a->ident : NULL;
	if (be == NULL && (ident == NULL || *ident == '\0')) {
		VRT_fail(ctx, "shard %s: remove_backend() needs a backend "
		    "or an ident", sh->name);
		return (0);
	}
	return (shard_stage(ctx, sh, SHARD_REMOVE, be, ident, 0.0));
}

VCL_BOOL
vmod_shard_clear(VRT_CTX, struct vmod_directors_shard *sh)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	return (shard_stage(ctx, sh, SHARD_CLEAR, NULL, NULL, 0.0));
}

VCL_BOOL
vmod_shard_reconfigure(VRT_CTX, struct vmod_directors_shard *sh,
    VCL_INT replicas)
{
	struct shard_change *chg;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	if (replicas <= 0) {
		VSLb(ctx->vsl, SLT_Error, "vmod_directors: shard %s: "
		    ".reconfigure() invalid replicas %jd", sh->name,
		    (intmax_t)replicas);
		return (0);
	}
	chg = shard_change_get(ctx, sh);
	if (chg == NULL)
		return (0);
	return (shard_apply(ctx, chg, replicas));
}

VCL_INT
vmod_shard_key(VRT_CTX, struct vmod_directors_shard *sh, VCL_STRANDS s)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	AN(s);
	return ((VCL_INT)VRT_HashStrands32(s));
}

static int
shard_args_ok(VRT_CTX, const struct vmod_directors_shard *sh, VCL_ENUM by,
    const struct VARGS(shard_backend) *a)
{

	if (by == VENUM(KEY) && !a->valid_key) {
		VRT_fail(ctx, "shard %s: by=KEY needs a key", sh->name);
		return (0);
	}
	if (by == VENUM(BLOB) && !a->valid_key_blob) {
		VRT_fail(ctx, "shard %s: by=BLOB needs a key_blob", sh->name);
		return (0);
	}
	if ((a->valid_key && by != VENUM(KEY)) ||
	    (a->valid_key_blob && by != VENUM(BLOB))) {
		VRT_fail(ctx, "shard %s: key argument does not match by=%s",
		    sh->name, by);
		return (0);
	}
	return (1);
}

/* resolve=LAZY with by/key (backend tasks only) keeps the key rule on the
 * director (Varnish: per task). */
static VCL_BACKEND
shard_lazy(VRT_CTX, struct vmod_directors_shard *sh, VCL_ENUM by,
    const struct VARGS(shard_backend) *a)
{

	PTOK(pthread_rwlock_wrlock(&sh->mtx));
	if (by == VENUM(KEY) || by == VENUM(BLOB)) {
		sh->lazy_key = shard_key(ctx, sh, by, a->key, a->key_blob);
		sh->lazy_by = VENUM(KEY);
	} else {
		sh->lazy_by = by;
	}
	PTOK(pthread_rwlock_unlock(&sh->mtx));
	return (sh->dir);
}

VCL_BACKEND
vmod_shard_backend(VRT_CTX, struct vmod_directors_shard *sh,
    struct VARGS(shard_backend) *a)
{
	VCL_ENUM by, resolve;
	int housekeeping;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	AN(a);
	housekeeping = (ctx->method & VCL_MET_TASK_H) != 0;
	by = a->valid_by ? a->by : VENUM(HASH);
	if (a->valid_resolve)
		resolve = a->resolve;
	else
		resolve = housekeeping ? VENUM(LAZY) : VENUM(NOW);
	/* As Varnish 8.0: in vcl_init or a client task only .backend() or
	 * .backend(resolve=LAZY) returns the director. */
	if (resolve == VENUM(LAZY) &&
	    (a->valid_by || a->valid_key || a->valid_key_blob) &&
	    (ctx->method & (VCL_MET_TASK_B | VCL_MET_PIPE)) == 0) {
		VRT_fail(ctx, "shard %s: .backend(resolve=LAZY) with other "
		    "parameters can only be used in backend/pipe context",
		    sh->name);
		return (NULL);
	}
	if (!shard_args_ok(ctx, sh, by, a))
		return (NULL);
	if (resolve == VENUM(LAZY))
		return (shard_lazy(ctx, sh, by, a));
	assert(resolve == VENUM(NOW));
	if (housekeeping) {
		VRT_fail(ctx, "shard %s: resolve=NOW is not for vcl_init or "
		    "vcl_fini", sh->name);
		return (NULL);
	}
	return (shard_pick(ctx, sh, shard_key(ctx, sh, by, a->key,
	    a->key_blob)));
}
