/* MUTANT shard_move_no_clear -- directors/shard.c + shard_cfg.c + shard.h (one
 * file,
 * helpers static) with one bug.
 *
 * BUG: when .reconfigure() (or the end of the task) applies a staged add, the
 *   staged reference "moves" into the backend slot, but the staged pointer is
 *   not cleared. shard_change_drop() then drops it as if the add had not been
 *   applied: the slot keeps a pointer without a reference, and release later
 *   drops a reference the shard does not own.
 * CAUGHT BY: B1 -- at discard the shard's release drops its members; a member
 *   that is a refcounted director (a round_robin here) reaches 0 and is retired
 *   before its own __fini/release (scenario mutant_shard_move_no_clear.yaml).
 *   Plain VCL backends are static (A4): with only those as members the bug is
 *   invisible.
 * REAL-WORLD ANALOGUE: the shard director's staged-change bookkeeping, where
 *   VRT_SPEC F8 already notes "a duplicate staged shard add seems to leak its
 *   reference": ownership of a moved reference is easy to get wrong in either
 *   direction.
 * Everything else is the real director; the bug is marked "MUTANT". */

#include "cache/cache.h"

#include <limits.h>

#include "vbm.h"
#include "vcl.h"

#include "vcc_directors_if.h"

/* ---- from directors/shard.h ---- */

#define SHARD_REPLICAS_DEFAULT	67

struct shard_be {
	VCL_BACKEND			backend;	/* one reference */
	char				*ident;		/* NULL: the backend name */
	uint32_t			replicas;
};

struct shard_point {
	uint32_t			point;
	unsigned			host;		/* index into backend[] */
};

struct VPFX(directors_shard) {
	unsigned			magic;
#define VMOD_DIRECTORS_SHARD_MAGIC	0x6e63e1bf
	pthread_rwlock_t		mtx;
	char				*name;
	VCL_BACKEND			dir;		/* NULL after __fini */
	unsigned			released;
	unsigned			n_backend;
	unsigned			l_backend;
	struct shard_be			*backend;
	uint32_t			n_points;
	struct shard_point		*ring;
	/* resolve=LAZY: how resolve() derives the key */
	VCL_ENUM			lazy_by;
	uint32_t			lazy_key;
	char				stage_id;	/* its address keys priv_task */
};

enum shard_op {
	SHARD_CLEAR = 1,
	SHARD_ADD,
	SHARD_REMOVE,
};

/* One staged change, on the task workspace. */
struct shard_task {
	unsigned			magic;
#define SHARD_TASK_MAGIC		0x1e1168af
	enum shard_op			op;
	VCL_BACKEND			backend;	/* one reference, or NULL */
	const char			*ident;
	double				weight;
	struct shard_task		*next;
};

/* The staged changes of one shard in one task (VRT_priv_task). */
struct shard_change {
	unsigned			magic;
#define SHARD_CHANGE_MAGIC		0xdff5c9a6
	struct VPFX(directors_shard)	*shard;
	struct shard_task		*first;
	struct shard_task		**tail;
};

/* Applies and empties the staged list; 0 if the ring ends up empty. */
static VCL_BOOL shard_apply(VRT_CTX, struct shard_change *, VCL_INT replicas);

/* ---- from directors/shard_cfg.c ---- */

/* ---- staging: a list of changes on the task workspace ---- */

static void v_matchproto_(vmod_priv_fini_f)
shard_change_fini(VRT_CTX, void *priv)
{
	struct shard_change *chg;

	if (priv == NULL)
		return;
	CAST_OBJ_NOTNULL(chg, priv, SHARD_CHANGE_MAGIC);
	(void)shard_apply(ctx, chg, SHARD_REPLICAS_DEFAULT);
}

static const struct vmod_priv_methods shard_change_methods[1] = {{
	.magic =	VMOD_PRIV_METHODS_MAGIC,
	.type =		"vmod_directors shard change",
	.fini =		shard_change_fini,
}};

static struct shard_change *
shard_change_get(VRT_CTX, struct VPFX(directors_shard) *sh)
{
	struct vmod_priv *p;
	struct shard_change *chg;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	p = VRT_priv_task(ctx, &sh->stage_id);
	if (p == NULL) {
		VRT_fail(ctx, "shard %s: no task private state", sh->name);
		return (NULL);
	}
	if (p->priv != NULL) {
		CAST_OBJ_NOTNULL(chg, p->priv, SHARD_CHANGE_MAGIC);
		assert(chg->shard == sh);
		return (chg);
	}
	WS_TASK_ALLOC_OBJ(ctx, chg, SHARD_CHANGE_MAGIC);
	if (chg == NULL)
		return (NULL);
	chg->shard = sh;
	chg->tail = &chg->first;
	p->priv = chg;
	p->methods = shard_change_methods;
	return (chg);
}

static VCL_BOOL
shard_stage(VRT_CTX, struct VPFX(directors_shard) *sh, enum shard_op op,
    VCL_BACKEND be, VCL_STRING ident, double weight)
{
	struct shard_change *chg;
	struct shard_task *t;

	chg = shard_change_get(ctx, sh);
	if (chg == NULL)
		return (0);
	WS_TASK_ALLOC_OBJ(ctx, t, SHARD_TASK_MAGIC);
	if (t == NULL)
		return (0);
	t->op = op;
	t->ident = (ident != NULL && *ident != '\0') ? ident : NULL;
	t->weight = weight;
	t->backend = NULL;
	if (be != NULL)
		VRT_Assign_Backend(&t->backend, be);
	*chg->tail = t;
	chg->tail = &t->next;
	return (1);
}

/* Drop the references of staged changes not applied (or already moved). */
static void
shard_change_drop(struct shard_change *chg)
{
	struct shard_task *t;

	for (t = chg->first; t != NULL; t = t->next) {
		CHECK_OBJ_NOTNULL(t, SHARD_TASK_MAGIC);
		VRT_Assign_Backend(&t->backend, NULL);
	}
	chg->first = NULL;
	chg->tail = &chg->first;
}

/* ---- applying changes to the backend array (write lock held) ---- */

static const char *
shard_ident(const struct shard_be *b)
{

	return (b->ident != NULL ? b->ident : VRT_BACKEND_string(b->backend));
}

/* Same backend instance: identical pointers without idents, else names. */
static int
shard_same(const struct shard_task *t, const struct shard_be *b)
{
	const char *ti;

	if (t->ident == NULL && b->ident == NULL)
		return (t->backend == b->backend);
	ti = t->ident != NULL ? t->ident : VRT_BACKEND_string(t->backend);
	return (strcmp(ti, shard_ident(b)) == 0);
}

static void
shard_be_drop(struct shard_be *b)
{

	VRT_Assign_Backend(&b->backend, NULL);
	free(b->ident);
	b->ident = NULL;
}

static void
shard_clear_locked(struct VPFX(directors_shard) *sh)
{
	unsigned u;

	for (u = 0; u < sh->n_backend; u++)
		shard_be_drop(&sh->backend[u]);
	sh->n_backend = 0;
}

static void
shard_add_locked(VRT_CTX, struct VPFX(directors_shard) *sh,
    struct shard_task *t, VCL_INT replicas)
{
	struct shard_be *b;
	double r;
	unsigned u;

	for (u = 0; u < sh->n_backend; u++) {
		if (!shard_same(t, &sh->backend[u]))
			continue;
		VSLb(ctx->vsl, SLT_Notice, "vmod_directors: shard %s: "
		    "backend %s already exists - skipping", sh->name,
		    shard_ident(&sh->backend[u]));
		VRT_Assign_Backend(&t->backend, NULL);
		return;
	}
	if (sh->n_backend == sh->l_backend) {
		sh->l_backend += 16;
		b = realloc(sh->backend, sh->l_backend * sizeof *b);
		AN(b);
		sh->backend = b;
	}
	b = &sh->backend[sh->n_backend++];
	memset(b, 0, sizeof *b);
	b->backend = t->backend;	/* the staged reference moves in */
	/* MUTANT: t->backend is not cleared, shard_change_drop() drops it. */
	if (t->ident != NULL) {
		b->ident = strdup(t->ident);
		AN(b->ident);
	}
	r = (double)replicas * t->weight;
	b->replicas = r > (double)UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

static void
shard_remove_locked(struct VPFX(directors_shard) *sh, struct shard_task *t)
{
	unsigned u = 0;

	while (u < sh->n_backend) {
		if (t->ident == NULL ? t->backend != sh->backend[u].backend :
		    !shard_same(t, &sh->backend[u])) {
			u++;
			continue;
		}
		shard_be_drop(&sh->backend[u]);
		sh->n_backend--;
		memmove(&sh->backend[u], &sh->backend[u + 1],
		    (sh->n_backend - u) * sizeof sh->backend[0]);
	}
	VRT_Assign_Backend(&t->backend, NULL);
}

static int
shard_point_cmp(const void *a, const void *b)
{
	const struct shard_point *pa = a, *pb = b;

	if (pa->point != pb->point)
		return (pa->point < pb->point ? -1 : 1);
	if (pa->host != pb->host)	/* ties: deterministic order */
		return (pa->host < pb->host ? -1 : 1);
	return (0);
}

static void
shard_ring_build(struct VPFX(directors_shard) *sh)
{
	uint32_t rmax, r, j, n = 0, i = 0;
	const char *ident;
	char num[12];
	unsigned h;

	free(sh->ring);
	sh->ring = NULL;
	sh->n_points = 0;
	if (sh->n_backend == 0)
		return;
	rmax = (UINT32_MAX - 1) / sh->n_backend;
	for (h = 0; h < sh->n_backend; h++)
		n += vmin_t(uint32_t, sh->backend[h].replicas, rmax);
	sh->ring = calloc(n > 0 ? n : 1, sizeof *sh->ring);
	AN(sh->ring);
	for (h = 0; h < sh->n_backend; h++) {
		ident = shard_ident(&sh->backend[h]);
		AN(ident);
		r = vmin_t(uint32_t, sh->backend[h].replicas, rmax);
		for (j = 0; j < r; j++, i++) {
			bprintf(num, "%u", (unsigned)j);
			sh->ring[i].point =
			    VRT_HashStrands32(TOSTRANDS(2, ident, num));
			sh->ring[i].host = h;
		}
	}
	assert(i == n);
	qsort(sh->ring, n, sizeof *sh->ring, shard_point_cmp);
	sh->n_points = n;
}

static VCL_BOOL
shard_apply(VRT_CTX, struct shard_change *chg, VCL_INT replicas)
{
	struct VPFX(directors_shard) *sh;
	struct shard_task *t;
	VCL_BOOL ok;

	CHECK_OBJ_NOTNULL(chg, SHARD_CHANGE_MAGIC);
	CAST_OBJ_NOTNULL(sh, chg->shard, VMOD_DIRECTORS_SHARD_MAGIC);
	assert(replicas > 0);
	if (chg->first == NULL)
		return (1);
	PTOK(pthread_rwlock_wrlock(&sh->mtx));
	if (sh->released) {	/* B2: no references after release */
		PTOK(pthread_rwlock_unlock(&sh->mtx));
		shard_change_drop(chg);
		return (0);
	}
	for (t = chg->first; t != NULL; t = t->next) {
		CHECK_OBJ_NOTNULL(t, SHARD_TASK_MAGIC);
		if (t->op == SHARD_CLEAR)
			shard_clear_locked(sh);
		else if (t->op == SHARD_ADD)
			shard_add_locked(ctx, sh, t, replicas);
		else
			shard_remove_locked(sh, t);
	}
	shard_ring_build(sh);
	ok = sh->n_backend > 0;
	PTOK(pthread_rwlock_unlock(&sh->mtx));
	shard_change_drop(chg);
	if (!ok)
		VSLb(ctx->vsl, SLT_Error, "vmod_directors: shard %s: "
		    ".reconfigure() no backends", sh->name);
	return (ok);
}

/* ---- from directors/shard.c ---- */

static struct VPFX(directors_shard) *
shard_of(VCL_BACKEND dir)
{
	struct VPFX(directors_shard) *sh;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(sh, dir->priv, VMOD_DIRECTORS_SHARD_MAGIC);
	return (sh);
}

/* ---- lookup ---- */

/* Index of the first point >= key; past the last point, the last one. */
static uint32_t
shard_lookup(const struct VPFX(directors_shard) *sh, uint32_t key)
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
shard_pick_locked(VRT_CTX, const struct VPFX(directors_shard) *sh,
    uint32_t key)
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
shard_pick(VRT_CTX, struct VPFX(directors_shard) *sh, uint32_t key)
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
shard_int_key(VRT_CTX, const struct VPFX(directors_shard) *sh, VCL_INT key)
{

	if (key < 0 || key > (VCL_INT)UINT32_MAX)
		VSLb(ctx->vsl, SLT_Error, "vmod_directors: shard %s: "
		    "key %jd out of range, truncated", sh->name, (intmax_t)key);
	return ((uint32_t)key);
}

/* by=HASH and by=URL hash the URL; vdisim requests carry none (empty). */
static uint32_t
shard_key(VRT_CTX, const struct VPFX(directors_shard) *sh, VCL_ENUM by,
    VCL_INT key, VCL_BLOB blob)
{

	if (by == VENUM(KEY))
		return (shard_int_key(ctx, sh, key));
	if (by == VENUM(BLOB))
		return (shard_blob_key(blob));
	if (by == VENUM(HASH) || by == VENUM(URL))
		return (VRT_HashStrands32(TOSTRAND("")));
	WRONG("shard: unknown 'by' ENUM (pass the VENUM() pointers)");
}

/* ---- director callbacks ---- */

static VCL_BOOL v_matchproto_(vdi_healthy_f)
shard_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct VPFX(directors_shard) *sh = shard_of(dir);
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
	struct VPFX(directors_shard) *sh = shard_of(dir);
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
shard_list_backends(VRT_CTX, const struct VPFX(directors_shard) *sh,
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
		VSB_printf(vsb, "%s\"%s\": {\n", u > 0 ? ",\n" : "",
		    b->backend->vcl_name);
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
shard_count_healthy(VRT_CTX, const struct VPFX(directors_shard) *sh)
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
	struct VPFX(directors_shard) *sh = shard_of(dir);
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
	struct VPFX(directors_shard) *sh = shard_of(dir);

	VSB_printf(vsb, "shard = {name = %s, n_backend = %u, n_points = %u, "
	    "released = %u},\n", sh->name, sh->n_backend,
	    (unsigned)sh->n_points, sh->released);
}

static void v_matchproto_(vdi_release_f)
shard_release(VCL_BACKEND dir)
{
	struct VPFX(directors_shard) *sh = shard_of(dir);

	PTOK(pthread_rwlock_wrlock(&sh->mtx));
	sh->released = 1;
	shard_clear_locked(sh);
	shard_ring_build(sh);
	PTOK(pthread_rwlock_unlock(&sh->mtx));
}

static void v_matchproto_(vdi_destroy_f)
shard_destroy(VCL_BACKEND dir)
{
	struct VPFX(directors_shard) *sh = shard_of(dir);

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
VPFX(shard__init)(VRT_CTX, struct VPFX(directors_shard) **shp,
    const char *vcl_name)
{
	struct VPFX(directors_shard) *sh;

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
VPFX(shard__fini)(struct VPFX(directors_shard) **shp)
{
	struct VPFX(directors_shard) *sh;

	TAKE_OBJ_NOTNULL(sh, shp, VMOD_DIRECTORS_SHARD_MAGIC);
	VRT_DelDirector(&sh->dir);
}

VCL_BOOL
VPFX(shard_add_backend)(VRT_CTX, struct VPFX(directors_shard) *sh,
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
VPFX(shard_remove_backend)(VRT_CTX, struct VPFX(directors_shard) *sh,
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
VPFX(shard_clear)(VRT_CTX, struct VPFX(directors_shard) *sh)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	return (shard_stage(ctx, sh, SHARD_CLEAR, NULL, NULL, 0.0));
}

VCL_BOOL
VPFX(shard_reconfigure)(VRT_CTX, struct VPFX(directors_shard) *sh,
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
VPFX(shard_key)(VRT_CTX, struct VPFX(directors_shard) *sh, VCL_STRANDS s)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sh, VMOD_DIRECTORS_SHARD_MAGIC);
	AN(s);
	return ((VCL_INT)VRT_HashStrands32(s));
}

static int
shard_args_ok(VRT_CTX, const struct VPFX(directors_shard) *sh, VCL_ENUM by,
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

/* resolve=LAZY keeps the key rule on the director (Varnish: per task). */
static VCL_BACKEND
shard_lazy(VRT_CTX, struct VPFX(directors_shard) *sh, VCL_ENUM by,
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
VPFX(shard_backend)(VRT_CTX, struct VPFX(directors_shard) *sh,
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
