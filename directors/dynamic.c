/* dynamic.c -- a director in the style of vmod_dynamic: it owns native
 * backends made with VRT_new_backend from a name-resolution answer that
 * .update() replaces, and resolves round-robin over the healthy ones.
 *
 * - update() creates backends for new "host:port" entries and deletes removed
 *   ones with VRT_delete_backend; requests may still hold those (A5, B3).
 *   VRT_new_backend returns NULL while the VCL is cooling (A2): the entry is
 *   skipped and comes back with a later answer.
 * - No backend is created while the director is cold (after its COLD event,
 *   before WARM) except from vcl_init. The COLD event waits for an update in
 *   progress. Callers of update() outside a VCL task must also have the module
 *   event (vmod_directors_event) registered: its VCL reference turns the cold
 *   transition into COOLING, so a late VRT_new_backend gets NULL (A3, C6).
 * - resolve() keeps the backend it returns referenced until the end of the
 *   task (VRT_priv_task), so an update deleting it between resolve and the
 *   fetch's own reference cannot free it (the gap of A9).
 * - Callers outside a task must stop calling update() before the VCL is
 *   discarded (vmod_dynamic stops its resolver threads at COLD): none may
 *   start after __fini; destroy() waits for one already running.
 * - vdisim's runtime maps .hosthdr "host:port" to a simulated endpoint; a real
 *   vmod would resolve the name and fill .endpoint as well. */

#include "cache/cache.h"

#include <ctype.h>

#include "vcl.h"

#include "vcc_directors_if.h"

#define DYN_MAX_ANSWERS		1024

struct dyn_be {
	char				*addr;	/* "host:port" */
	VCL_BACKEND			be;	/* the reference VRT_new_backend gave */
};

struct dyn_list {
	struct dyn_be			*e;
	unsigned			n;
	unsigned			l;
};

struct vmod_directors_dynamic {
	unsigned			magic;
#define VMOD_DIRECTORS_DYNAMIC_MAGIC	0x5d1e0c37
	pthread_rwlock_t		mtx;	/* guards list and nxt */
	pthread_mutex_t			upd_mtx; /* one update at a time; warm */
	char				*name;
	VCL_BACKEND			dir;	/* NULL after __fini */
	VCL_PROBE			probe;	/* must outlive the director */
	unsigned			warm;
	unsigned			released;
	unsigned			nxt;
	struct dyn_list			list;
	char				task_id; /* its address keys priv_task */
};

struct dyn_taskref {
	unsigned			magic;
#define DYN_TASKREF_MAGIC		0x7a0d44e1
	VCL_BACKEND			be;
};

static struct vmod_directors_dynamic *
dyn_of(VCL_BACKEND dir)
{
	struct vmod_directors_dynamic *dyn;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(dyn, dir->priv, VMOD_DIRECTORS_DYNAMIC_MAGIC);
	return (dyn);
}

/* ---- lists of (address, backend) ---- */

static void
dyn_list_push(struct dyn_list *l, char *addr, VCL_BACKEND be)
{
	struct dyn_be *e;

	AN(addr);
	if (l->n == l->l) {
		l->l += 16;
		e = realloc(l->e, l->l * sizeof *e);
		AN(e);
		l->e = e;
	}
	l->e[l->n].addr = addr;
	l->e[l->n].be = be;
	l->n++;
}

static int
dyn_list_find(const struct dyn_list *l, const char *addr)
{
	unsigned u;

	for (u = 0; u < l->n; u++)
		if (l->e[u].addr != NULL && strcmp(l->e[u].addr, addr) == 0)
			return ((int)u);
	return (-1);
}

/* Entries must own no backend any more. */
static void
dyn_list_free(struct dyn_list *l)
{
	unsigned u;

	for (u = 0; u < l->n; u++) {
		AZ(l->e[u].be);
		free(l->e[u].addr);
	}
	free(l->e);
	memset(l, 0, sizeof *l);
}

/* "a:80, b:80,,a:80" -> {a:80, b:80}: trimmed, no empties, no duplicates. */
static void
dyn_parse(const char *answers, struct dyn_list *want)
{
	const char *p = answers, *b, *e;
	char *addr;

	while (*p != '\0' && want->n < DYN_MAX_ANSWERS) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		for (b = p; *p != '\0' && *p != ','; p++)
			continue;
		for (e = p; e > b && isspace((unsigned char)e[-1]); e--)
			continue;
		if (e == b)
			continue;
		addr = strndup(b, (size_t)(e - b));
		AN(addr);
		if (dyn_list_find(want, addr) >= 0)
			free(addr);
		else
			dyn_list_push(want, addr, NULL);
	}
}

/* ---- update ---- */

static VCL_BACKEND
dyn_new_backend(VRT_CTX, const struct vmod_directors_dynamic *dyn,
    const char *addr)
{
	struct vrt_backend vrt;
	VCL_BACKEND be;
	char *name;
	size_t len;

	len = strlen(dyn->name) + strlen(addr) + 3;
	name = malloc(len);
	AN(name);
	assert(snprintf(name, len, "%s(%s)", dyn->name, addr) < (int)len);
	VRT_BACKEND_INIT(&vrt);
	vrt.vcl_name = name;
	vrt.hosthdr = addr;
	vrt.probe = dyn->probe;
	be = VRT_new_backend(ctx, &vrt, NULL);
	if (be == NULL)
		VSLb(ctx->vsl, SLT_Notice, "vmod_directors: dynamic %s: "
		    "no backend for %s (VCL cooling)", dyn->name, addr);
	free(name);
	return (be);
}

/* Backends for the wanted entries we do not have yet (upd_mtx held). */
static void
dyn_create(VRT_CTX, struct vmod_directors_dynamic *dyn, struct dyn_list *want)
{
	unsigned u;
	int have;

	for (u = 0; u < want->n; u++) {
		PTOK(pthread_rwlock_rdlock(&dyn->mtx));
		have = dyn_list_find(&dyn->list, want->e[u].addr) >= 0;
		PTOK(pthread_rwlock_unlock(&dyn->mtx));
		if (!have)
			want->e[u].be = dyn_new_backend(ctx, dyn, want->e[u].addr);
	}
}

/* Install want as the new list; what it drops goes to gone (wrlock). */
static void
dyn_swap_locked(struct vmod_directors_dynamic *dyn, struct dyn_list *want,
    struct dyn_list *gone)
{
	struct dyn_list next = {NULL, 0, 0};
	struct dyn_be *w;
	unsigned u;
	int old;

	for (u = 0; u < want->n; u++) {
		w = &want->e[u];
		old = dyn_list_find(&dyn->list, w->addr);
		if (old >= 0) {
			AZ(w->be);
			dyn_list_push(&next, dyn->list.e[old].addr,
			    dyn->list.e[old].be);
			dyn->list.e[old].addr = NULL;
			dyn->list.e[old].be = NULL;
		} else if (w->be != NULL) {
			dyn_list_push(&next, w->addr, w->be);
			w->addr = NULL;
			w->be = NULL;
		}
	}
	for (u = 0; u < dyn->list.n; u++)
		if (dyn->list.e[u].be != NULL)
			dyn_list_push(gone, dyn->list.e[u].addr,
			    dyn->list.e[u].be);
	free(dyn->list.e);
	dyn->list = next;
	if (dyn->nxt >= dyn->list.n)
		dyn->nxt = 0;
}

/* The backends we created but may not keep (released meanwhile). */
static void
dyn_reject(struct dyn_list *want, struct dyn_list *gone)
{
	unsigned u;

	for (u = 0; u < want->n; u++) {
		if (want->e[u].be == NULL)
			continue;
		dyn_list_push(gone, want->e[u].addr, want->e[u].be);
		want->e[u].addr = NULL;
		want->e[u].be = NULL;
	}
}

static void
dyn_delete_all(VRT_CTX, struct dyn_list *gone)
{
	unsigned u;

	for (u = 0; u < gone->n; u++) {
		CHECK_OBJ_NOTNULL(gone->e[u].be, DIRECTOR_MAGIC);
		VRT_delete_backend(ctx, &gone->e[u].be);
		AZ(gone->e[u].be);
	}
	dyn_list_free(gone);
}

VCL_VOID
vmod_dynamic_update(VRT_CTX, struct vmod_directors_dynamic *dyn,
    VCL_STRING answers)
{
	struct dyn_list want = {NULL, 0, 0}, gone = {NULL, 0, 0};

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(dyn, VMOD_DIRECTORS_DYNAMIC_MAGIC);
	PTOK(pthread_mutex_lock(&dyn->upd_mtx));
	if (dyn->released) {
		PTOK(pthread_mutex_unlock(&dyn->upd_mtx));
		return;
	}
	dyn_parse(answers != NULL ? answers : "", &want);
	if (dyn->warm || (ctx->method & VCL_MET_INIT))
		dyn_create(ctx, dyn, &want);
	PTOK(pthread_rwlock_wrlock(&dyn->mtx));
	if (dyn->released)
		dyn_reject(&want, &gone);
	else
		dyn_swap_locked(dyn, &want, &gone);
	PTOK(pthread_rwlock_unlock(&dyn->mtx));
	dyn_delete_all(ctx, &gone);
	dyn_list_free(&want);
	PTOK(pthread_mutex_unlock(&dyn->upd_mtx));
}

/* ---- resolution ---- */

static void v_matchproto_(vmod_priv_fini_f)
dyn_taskref_fini(VRT_CTX, void *priv)
{
	struct dyn_taskref *tr;

	(void)ctx;
	CAST_OBJ_NOTNULL(tr, priv, DYN_TASKREF_MAGIC);
	VRT_Assign_Backend(&tr->be, NULL);
}

static const struct vmod_priv_methods dyn_taskref_methods[1] = {{
	.magic =	VMOD_PRIV_METHODS_MAGIC,
	.type =		"vmod_directors dynamic task reference",
	.fini =		dyn_taskref_fini,
}};

/* Hold be until the task ends; 0 if there is no room for that. */
static int
dyn_task_hold(VRT_CTX, struct vmod_directors_dynamic *dyn, VCL_BACKEND be)
{
	struct vmod_priv *p;
	struct dyn_taskref *tr;

	p = VRT_priv_task(ctx, &dyn->task_id);
	if (p == NULL)
		return (0);
	if (p->priv == NULL) {
		tr = WS_Alloc(ctx->ws, sizeof *tr);
		if (tr == NULL)
			return (0);
		INIT_OBJ(tr, DYN_TASKREF_MAGIC);
		p->priv = tr;
		p->methods = dyn_taskref_methods;
	}
	CAST_OBJ_NOTNULL(tr, p->priv, DYN_TASKREF_MAGIC);
	VRT_Assign_Backend(&tr->be, be);
	return (1);
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
dyn_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vmod_directors_dynamic *dyn = dyn_of(dir);
	VCL_BACKEND be, found = NULL;
	unsigned u, n, nxt;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_rwlock_rdlock(&dyn->mtx));
	n = dyn->list.n;	/* 0 after release: no reference taken then */
	nxt = dyn->nxt;
	assert(n == 0 || nxt < n);
	for (u = 0; u < n; u++) {
		be = dyn->list.e[nxt].be;
		nxt = (nxt + 1) % n;
		CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
		if (VRT_Healthy(ctx, be, NULL)) {
			found = be;
			break;
		}
	}
	dyn->nxt = nxt;
	if (found != NULL && !dyn_task_hold(ctx, dyn, found)) {
		VSLb(ctx->vsl, SLT_Error, "vmod_directors: dynamic %s: "
		    "out of workspace", dyn->name);
		found = NULL;
	}
	PTOK(pthread_rwlock_unlock(&dyn->mtx));
	return (found);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
dyn_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct vmod_directors_dynamic *dyn = dyn_of(dir);
	VCL_TIME c, newest = 0;
	VCL_BOOL h = 0;
	unsigned u;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_rwlock_rdlock(&dyn->mtx));
	for (u = 0; u < dyn->list.n && !h; u++) {
		c = 0;
		h = VRT_Healthy(ctx, dyn->list.e[u].be, &c);
		if (c > newest)
			newest = c;
	}
	PTOK(pthread_rwlock_unlock(&dyn->mtx));
	if (changed != NULL)
		*changed = newest;
	return (h);
}

static void
dyn_list_entries(VRT_CTX, const struct vmod_directors_dynamic *dyn,
    struct vsb *vsb, int jflag)
{
	const struct dyn_be *e;
	unsigned u;
	int h;

	for (u = 0; u < dyn->list.n; u++) {
		e = &dyn->list.e[u];
		h = VRT_Healthy(ctx, e->be, NULL) != 0;
		if (!jflag) {
			VSB_printf(vsb, "\t%s\t%s\t%s\n", e->be->vcl_name,
			    e->addr, h ? "healthy" : "sick");
			continue;
		}
		if (u > 0)
			VSB_cat(vsb, ",\n");	/* its own line: the indent applies */
		VSB_printf(vsb, "\"%s\": {\n", e->be->vcl_name);
		VSB_indent(vsb, 2);
		VSB_printf(vsb, "\"address\": \"%s\",\n", e->addr);
		VSB_printf(vsb, "\"health\": \"%s\"\n", h ? "healthy" : "sick");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}");
	}
}

static void v_matchproto_(vdi_list_f)
dyn_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct vmod_directors_dynamic *dyn = dyn_of(dir);
	unsigned u, nh = 0, n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (pflag && jflag) {
		VSB_cat(vsb, "{\n");
		VSB_indent(vsb, 2);
		VSB_cat(vsb, "\"backends\": {\n");
		VSB_indent(vsb, 2);
	} else if (pflag) {
		VSB_cat(vsb, "\n\n\tBackend\tAddress\tHealth\n");
	}
	PTOK(pthread_rwlock_rdlock(&dyn->mtx));
	if (pflag)
		dyn_list_entries(ctx, dyn, vsb, jflag);
	for (u = 0; u < dyn->list.n; u++)
		if (VRT_Healthy(ctx, dyn->list.e[u].be, NULL))
			nh++;
	n = dyn->list.n;
	PTOK(pthread_rwlock_unlock(&dyn->mtx));
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
dyn_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct vmod_directors_dynamic *dyn = dyn_of(dir);

	VSB_printf(vsb, "dynamic = {name = %s, n_backend = %u, warm = %u, "
	    "released = %u},\n", dyn->name, dyn->list.n, dyn->warm,
	    dyn->released);
}

/* WARM and COLD of this director (no ctx): creation allowed or not. */
static void v_matchproto_(vdi_event_f)
dyn_event(VCL_BACKEND dir, enum vcl_event_e e)
{
	struct vmod_directors_dynamic *dyn = dyn_of(dir);

	if (e == VCL_EVENT_WARM) {
		/* may come under the VCL lock (A2): take none of ours */
		dyn->warm = 1;
	} else if (e == VCL_EVENT_COLD) {
		/* wait for an update that may still be creating backends */
		PTOK(pthread_mutex_lock(&dyn->upd_mtx));
		dyn->warm = 0;
		PTOK(pthread_mutex_unlock(&dyn->upd_mtx));
	}
}

/* B2: delete every backend we own (VRT_delete_backend without a ctx). */
static void v_matchproto_(vdi_release_f)
dyn_release(VCL_BACKEND dir)
{
	struct vmod_directors_dynamic *dyn = dyn_of(dir);
	struct dyn_list gone;
	unsigned u;

	/*
	 * Drop the backends after unlocking: the last reference of a
	 * backend resigns it under vcl_mtx, and `backend.list` holds
	 * vcl_mtx while it calls our list callback, which takes mtx.
	 */
	PTOK(pthread_rwlock_wrlock(&dyn->mtx));
	dyn->released = 1;
	gone = dyn->list;
	dyn->list = (struct dyn_list){NULL, 0, 0};
	dyn->nxt = 0;
	PTOK(pthread_rwlock_unlock(&dyn->mtx));
	for (u = 0; u < gone.n; u++) {
		VRT_DisableDirector(gone.e[u].be);
		VRT_Assign_Backend(&gone.e[u].be, NULL);
	}
	dyn_list_free(&gone);
}

static void v_matchproto_(vdi_destroy_f)
dyn_destroy(VCL_BACKEND dir)
{
	struct vmod_directors_dynamic *dyn = dyn_of(dir);

	AZ(dyn->dir);
	AN(dyn->released);
	AZ(dyn->list.n);
	/* let an update() that was already running when we were released
	 * finish with our state; starting one after __fini is a caller bug */
	PTOK(pthread_mutex_lock(&dyn->upd_mtx));
	PTOK(pthread_mutex_unlock(&dyn->upd_mtx));
	PTOK(pthread_rwlock_destroy(&dyn->mtx));
	PTOK(pthread_mutex_destroy(&dyn->upd_mtx));
	free(dyn->name);
	FREE_OBJ(dyn);
}

static const struct vdi_methods dyn_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"dynamic",
	.healthy =	dyn_healthy,
	.resolve =	dyn_resolve,
	.event =	dyn_event,
	.release =	dyn_release,
	.destroy =	dyn_destroy,
	.panic =	dyn_panic,
	.list =		dyn_list,
}};

/* ---- VCL object and module event ---- */

VCL_VOID
vmod_dynamic__init(VRT_CTX, struct vmod_directors_dynamic **dynp,
    const char *vcl_name, VCL_PROBE probe)
{
	struct vmod_directors_dynamic *dyn;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(dynp);
	AZ(*dynp);
	AN(vcl_name);
	CHECK_OBJ_ORNULL(probe, VRT_BACKEND_PROBE_MAGIC);
	ALLOC_OBJ(dyn, VMOD_DIRECTORS_DYNAMIC_MAGIC);
	AN(dyn);
	PTOK(pthread_rwlock_init(&dyn->mtx, NULL));
	PTOK(pthread_mutex_init(&dyn->upd_mtx, NULL));
	dyn->name = strdup(vcl_name);
	AN(dyn->name);
	dyn->probe = probe;
	*dynp = dyn;
	dyn->dir = VRT_AddDirector(ctx, dyn_methods, dyn, "%s", vcl_name);
}

VCL_VOID
vmod_dynamic__fini(struct vmod_directors_dynamic **dynp)
{
	struct vmod_directors_dynamic *dyn;

	TAKE_OBJ_NOTNULL(dyn, dynp, VMOD_DIRECTORS_DYNAMIC_MAGIC);
	VRT_DelDirector(&dyn->dir);
}

VCL_BACKEND
vmod_dynamic_backend(VRT_CTX, struct vmod_directors_dynamic *dyn)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(dyn, VMOD_DIRECTORS_DYNAMIC_MAGIC);
	return (dyn->dir);
}

/* Hold the VCL while warm, as vmod_dynamic does for its resolvers (C6):
 * cooling it then waits for the COLD event, and VRT_new_backend returns
 * NULL meanwhile instead of meeting a cold VCL. */
int v_matchproto_(vmod_event_f)
vmod_directors_event(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e e)
{
	struct vclref *ref;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(priv);
	if (e == VCL_EVENT_WARM) {
		AZ(priv->priv);
		priv->priv = VRT_VCL_Prevent_Discard(ctx,
		    "vmod_directors: dynamic backends");
		AN(priv->priv);
	} else if (e == VCL_EVENT_COLD && priv->priv != NULL) {
		ref = priv->priv;
		priv->priv = NULL;
		VRT_VCL_Allow_Discard(&ref);
	}
	return (0);
}
