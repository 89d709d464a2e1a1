/* shard_cfg.c -- configuration of the shard director (spec F8): changes are
 * staged on the task workspace (each staged backend holds a reference) and
 * applied under the write lock by .reconfigure() or at the end of the task,
 * which rebuilds the ring: replicas*weight points per backend at
 * VRT_HashStrands32(ident or name, "<j>"), j = 0.., sorted by point. */

#include "cache/cache.h"

#include <limits.h>

#include "shard.h"

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

struct shard_change *
shard_change_get(VRT_CTX, struct vmod_directors_shard *sh)
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

VCL_BOOL
shard_stage(VRT_CTX, struct vmod_directors_shard *sh, enum shard_op op,
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
void
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

void
shard_clear_locked(struct vmod_directors_shard *sh)
{
	unsigned u;

	for (u = 0; u < sh->n_backend; u++)
		shard_be_drop(&sh->backend[u]);
	sh->n_backend = 0;
}

static void
shard_add_locked(VRT_CTX, struct vmod_directors_shard *sh,
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
	t->backend = NULL;
	if (t->ident != NULL) {
		b->ident = strdup(t->ident);
		AN(b->ident);
	}
	r = (double)replicas * t->weight;
	b->replicas = r > (double)UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

static void
shard_remove_locked(struct vmod_directors_shard *sh, struct shard_task *t)
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

void
shard_ring_build(struct vmod_directors_shard *sh)
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

VCL_BOOL
shard_apply(VRT_CTX, struct shard_change *chg, VCL_INT replicas)
{
	struct vmod_directors_shard *sh;
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
