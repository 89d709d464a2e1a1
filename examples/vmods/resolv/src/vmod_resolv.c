/* vmod_resolv.c -- vdisim's example of a threaded dynamic-backend director
 * (examples/vmods/resolv), written for vdisim's CI in the manner of
 * libvmod-dynamic but much smaller. Nothing here knows about vdisim: the same
 * file builds as a Varnish 8.0 vmod.
 *
 * `resolv.director(port, ttl)` hands out one domain director per host name
 * (`.backend(host)`). While the VCL is warm each domain runs a thread that
 * calls getaddrinfo() every ttl and makes one native backend per address
 * (VRT_new_backend, which gives us a reference) and deletes the backends of
 * addresses that left the answer (VRT_delete_backend). The domain's COLD
 * event stops and joins the thread; its release deletes every backend; its
 * destroy frees it. The vmod holds a VCL reference while warm so that the
 * threads, which run outside any VCL task, never see the VCL go away (C6).
 *
 * A request sticks to the backend it got last (dom->last) while that one is
 * healthy, to keep its connections warm.
 *
 * RESOLV_BUG (CMake option): when an address leaves the answer the thread
 * deletes its backend but does not forget it as the sticky pick, so the next
 * request asks VRT_Healthy about a destroyed backend (A8). */

#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <sys/socket.h>
#include <time.h>

#include "cache/cache.h"
#include "vqueue.h"
#include "vsa.h"
#include "vtcp.h"
#include "vtim.h"

#include "vcc_resolv_if.h"

#define RESOLV_MAX_ADDRS	16	/* per host: more are ignored */

struct resolv_addr {
	unsigned			magic;
#define RESOLV_ADDR_MAGIC		0x7265736f
	const struct suckaddr		*sa;	/* ours (VSA_Malloc) */
	VCL_BACKEND			be;	/* reference from VRT_new_backend */
	VTAILQ_ENTRY(resolv_addr)	list;
};
VTAILQ_HEAD(resolv_addr_head, resolv_addr);

enum resolv_state {
	DOM_IDLE = 0,		/* no thread */
	DOM_RUNNING,		/* thread resolves every ttl */
	DOM_STOPPING,		/* thread asked to end; COLD joins it */
};

struct resolv_domain {
	unsigned			magic;
#define RESOLV_DOMAIN_MAGIC		0x646f6d6e
	struct vmod_resolv_director	*obj;
	char				*host;
	VCL_BACKEND			dir;	/* NULL after __fini */
	pthread_mutex_t			mtx;	/* guards all below */
	pthread_cond_t			cond;	/* wakes the thread to stop */
	enum resolv_state		state;
	pthread_t			thread;
	struct resolv_addr_head		addrs;
	unsigned			n_addrs;
	VCL_BACKEND			last;	/* sticky pick, no reference */
	VTAILQ_ENTRY(resolv_domain)	list;
};

struct resolv_vcl {
	unsigned			magic;
#define RESOLV_VCL_MAGIC		0x72766363
	VTAILQ_HEAD(, vmod_resolv_director) objs;
	struct vclref			*ref;	/* while warm (C6) */
};

struct vmod_resolv_director {
	unsigned			magic;
#define RESOLV_DIRECTOR_MAGIC		0x72647273
	char				*vcl_name;
	char				*port;
	vtim_dur			ttl;
	struct vrt_ctx			ctx[1];	/* for the threads: vcl only */
	struct resolv_vcl		*rv;
	pthread_mutex_t			mtx;	/* guards domains */
	VTAILQ_HEAD(, resolv_domain)	domains;
	VTAILQ_ENTRY(vmod_resolv_director) list;
};

/*--------------------------------------------------------------------
 * The resolver thread
 */

/* Put the answer's addresses (deduplicated, at most max) into sa[]. */
static unsigned
dom_lookup(struct resolv_domain *dom, const struct suckaddr **sa, unsigned max)
{
	struct addrinfo hints, *res = NULL, *ai;
	const struct suckaddr *s;
	unsigned n = 0, u;
	int ret;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	ret = getaddrinfo(dom->host, dom->obj->port, &hints, &res);
	if (ret != 0) {
		/* Keep what we have: a failing resolver is not an empty answer. */
		VSL(SLT_Error, NO_VXID, "resolv %s: %s", dom->host,
		    gai_strerror(ret));
		return (UINT_MAX);
	}
	for (ai = res; ai != NULL && n < max; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		s = VSA_Malloc(ai->ai_addr, ai->ai_addrlen);
		if (s == NULL)
			continue;
		for (u = 0; u < n && VSA_Compare(sa[u], s); u++)
			continue;
		if (u < n)
			VSA_free(&s);
		else
			sa[n++] = s;
	}
	freeaddrinfo(res);
	return (n);
}

static VCL_BACKEND
dom_new_backend(const struct resolv_domain *dom, const struct suckaddr *sa)
{
	char addr[VTCP_ADDRBUFSIZE], port[VTCP_PORTBUFSIZE], name[256];
	struct vrt_backend vrt;
	struct vrt_endpoint ep;

	VTCP_name(sa, addr, sizeof addr, port, sizeof port);
	bprintf(name, "%s.%s(%s:%s)", dom->obj->vcl_name, dom->host, addr, port);
	INIT_OBJ(&ep, VRT_ENDPOINT_MAGIC);
	if (VSA_Get_Proto(sa) == AF_INET6)
		ep.ipv6 = sa;
	else
		ep.ipv4 = sa;
	VRT_BACKEND_INIT(&vrt);
	vrt.endpoint = &ep;
	vrt.vcl_name = name;
	vrt.hosthdr = dom->host;
	/* NULL while the VCL cools: the next round (if any) tries again. */
	return (VRT_new_backend(dom->obj->ctx, &vrt, NULL));
}

/* One round: adopt the answer, then create and delete outside the lock
 * (VRT calls may wait for the VCL, whose CLI thread may want our lock). */
static void
dom_update(struct resolv_domain *dom)
{
	const struct suckaddr *sa[RESOLV_MAX_ADDRS];
	struct resolv_addr_head gone = VTAILQ_HEAD_INITIALIZER(gone);
	struct resolv_addr *a, *a2;
	unsigned n, u, keep[RESOLV_MAX_ADDRS];

	n = dom_lookup(dom, sa, RESOLV_MAX_ADDRS);
	if (n == UINT_MAX)
		return;
	memset(keep, 0, sizeof keep);
	PTOK(pthread_mutex_lock(&dom->mtx));
	VTAILQ_FOREACH_SAFE(a, &dom->addrs, list, a2) {
		CHECK_OBJ_NOTNULL(a, RESOLV_ADDR_MAGIC);
		for (u = 0; u < n && VSA_Compare_IP(a->sa, sa[u]); u++)
			continue;
		if (u < n) {
			keep[u] = 1;
			continue;
		}
		VTAILQ_REMOVE(&dom->addrs, a, list);
		dom->n_addrs--;
#ifndef RESOLV_BUG
		if (dom->last == a->be)
			dom->last = NULL;
#endif
		VTAILQ_INSERT_TAIL(&gone, a, list);
	}
	PTOK(pthread_mutex_unlock(&dom->mtx));

	VTAILQ_FOREACH_SAFE(a, &gone, list, a2) {
		VTAILQ_REMOVE(&gone, a, list);
		VRT_delete_backend(dom->obj->ctx, &a->be);
		AZ(a->be);
		VSA_free(&a->sa);
		FREE_OBJ(a);
	}
	for (u = 0; u < n; u++) {
		if (keep[u]) {
			VSA_free(&sa[u]);
			continue;
		}
		ALLOC_OBJ(a, RESOLV_ADDR_MAGIC);
		AN(a);
		a->sa = sa[u];
		a->be = dom_new_backend(dom, a->sa);
		if (a->be == NULL) {
			VSA_free(&a->sa);
			FREE_OBJ(a);
			continue;
		}
		PTOK(pthread_mutex_lock(&dom->mtx));
		VTAILQ_INSERT_TAIL(&dom->addrs, a, list);
		dom->n_addrs++;
		PTOK(pthread_mutex_unlock(&dom->mtx));
	}
}

static void *
dom_thread(void *priv)
{
	struct resolv_domain *dom;
	struct timespec ts;
	vtim_real deadline;
	int ret;

	CAST_OBJ_NOTNULL(dom, priv, RESOLV_DOMAIN_MAGIC);
	PTOK(pthread_mutex_lock(&dom->mtx));
	while (dom->state == DOM_RUNNING) {
		PTOK(pthread_mutex_unlock(&dom->mtx));
		dom_update(dom);
		deadline = VTIM_real() + dom->obj->ttl;
		ts.tv_sec = (time_t)deadline;
		ts.tv_nsec = (long)((deadline - ts.tv_sec) * 1e9);
		PTOK(pthread_mutex_lock(&dom->mtx));
		/* Re-check: COLD may have come while we resolved. */
		while (dom->state == DOM_RUNNING) {
			ret = pthread_cond_timedwait(&dom->cond, &dom->mtx,
			    &ts);
			assert(ret == 0 || ret == ETIMEDOUT);
			if (ret == ETIMEDOUT)
				break;
		}
	}
	assert(dom->state == DOM_STOPPING);
	PTOK(pthread_mutex_unlock(&dom->mtx));
	return (NULL);
}

/*--------------------------------------------------------------------
 * The domain director
 */

static struct resolv_domain *
dom_of(VCL_BACKEND dir)
{
	struct resolv_domain *dom;

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	CAST_OBJ_NOTNULL(dom, dir->priv, RESOLV_DOMAIN_MAGIC);
	return (dom);
}

/* A reference for the rest of the task: the thread may delete the backend
 * before the fetch takes its own (A9, varnish-cache #3949). */
static void
task_unref(VRT_CTX, void *p)
{
	VCL_BACKEND be;

	(void)ctx;
	CAST_OBJ_NOTNULL(be, p, DIRECTOR_MAGIC);
	VRT_Assign_Backend(&be, NULL);
}

static const struct vmod_priv_methods task_ref_methods[1] = {{
	.magic = VMOD_PRIV_METHODS_MAGIC,
	.type = "resolv task backend",
	.fini = task_unref,
}};

static void
task_ref(VRT_CTX, VCL_BACKEND be)
{
	struct vmod_priv *p;
	VCL_BACKEND held = NULL;

	p = VRT_priv_task(ctx, be);
	if (p == NULL || p->priv != NULL)
		return;		/* no task (CLI) or already held */
	VRT_Assign_Backend(&held, be);
	p->priv = TRUST_ME(held);
	p->methods = task_ref_methods;
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
dom_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct resolv_domain *dom = dom_of(dir);
	struct resolv_addr *a;
	VCL_BACKEND be = NULL;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	PTOK(pthread_mutex_lock(&dom->mtx));
	if (dom->last != NULL && VRT_Healthy(ctx, dom->last, NULL))
		be = dom->last;
	VTAILQ_FOREACH(a, &dom->addrs, list) {
		if (be != NULL)
			break;
		CHECK_OBJ_NOTNULL(a, RESOLV_ADDR_MAGIC);
		if (VRT_Healthy(ctx, a->be, NULL))
			be = a->be;
	}
	dom->last = be;
	if (be != NULL)
		task_ref(ctx, be);
	PTOK(pthread_mutex_unlock(&dom->mtx));
	return (be);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
dom_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{
	struct resolv_domain *dom = dom_of(dir);
	struct resolv_addr *a;
	VCL_TIME c, latest = 0;
	VCL_BOOL any = 0;

	PTOK(pthread_mutex_lock(&dom->mtx));
	VTAILQ_FOREACH(a, &dom->addrs, list) {
		c = 0;
		if (VRT_Healthy(ctx, a->be, &c))
			any = 1;
		if (c > latest)
			latest = c;
	}
	PTOK(pthread_mutex_unlock(&dom->mtx));
	if (changed != NULL)
		*changed = latest;
	return (any);
}

static void
dom_stop(struct resolv_domain *dom)
{

	PTOK(pthread_mutex_lock(&dom->mtx));
	if (dom->state == DOM_IDLE) {
		PTOK(pthread_mutex_unlock(&dom->mtx));
		return;
	}
	dom->state = DOM_STOPPING;
	PTOK(pthread_cond_signal(&dom->cond));
	PTOK(pthread_mutex_unlock(&dom->mtx));
	PTOK(pthread_join(dom->thread, NULL));
	dom->state = DOM_IDLE;
}

static void v_matchproto_(vdi_event_f)
dom_event(VCL_BACKEND dir, enum vcl_event_e ev)
{
	struct resolv_domain *dom = dom_of(dir);

	switch (ev) {
	case VCL_EVENT_WARM:
		assert(dom->state == DOM_IDLE);
		dom->state = DOM_RUNNING;
		PTOK(pthread_create(&dom->thread, NULL, dom_thread, dom));
		break;
	case VCL_EVENT_COLD:
	case VCL_EVENT_DISCARD:
		dom_stop(dom);
		break;
	default:
		break;
	}
}

/* B2: drop every backend; the thread is gone (COLD came before). */
static void v_matchproto_(vdi_release_f)
dom_release(VCL_BACKEND dir)
{
	struct resolv_domain *dom = dom_of(dir);
	struct resolv_addr *a;

	dom_stop(dom);
	PTOK(pthread_mutex_lock(&dom->mtx));
	dom->last = NULL;
	while ((a = VTAILQ_FIRST(&dom->addrs)) != NULL) {
		VTAILQ_REMOVE(&dom->addrs, a, list);
		dom->n_addrs--;
		PTOK(pthread_mutex_unlock(&dom->mtx));
		VRT_delete_backend(dom->obj->ctx, &a->be);
		VSA_free(&a->sa);
		FREE_OBJ(a);
		PTOK(pthread_mutex_lock(&dom->mtx));
	}
	PTOK(pthread_mutex_unlock(&dom->mtx));
}

static void v_matchproto_(vdi_destroy_f)
dom_destroy(VCL_BACKEND dir)
{
	struct resolv_domain *dom = dom_of(dir);

	AZ(dom->dir);
	assert(dom->state == DOM_IDLE);
	AZ(dom->n_addrs);
	PTOK(pthread_cond_destroy(&dom->cond));
	PTOK(pthread_mutex_destroy(&dom->mtx));
	free(dom->host);
	FREE_OBJ(dom);
}

static void v_matchproto_(vdi_list_f)
dom_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct resolv_domain *dom = dom_of(dir);

	(void)ctx;
	(void)pflag;
	if (jflag)
		VSB_printf(vsb, "{\"host\": \"%s\", \"addresses\": %u}",
		    dom->host, dom->n_addrs);
	else
		VSB_printf(vsb, "%s: %u addresses", dom->host, dom->n_addrs);
}

static const struct vdi_methods dom_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"resolv-domain",
	.healthy =	dom_healthy,
	.resolve =	dom_resolve,
	.event =	dom_event,
	.release =	dom_release,
	.destroy =	dom_destroy,
	.list =		dom_list,
}};

/*--------------------------------------------------------------------
 * The vmod object and its per-VCL state
 */

static struct resolv_vcl *
rv_get(struct vmod_priv *priv)
{
	struct resolv_vcl *rv;

	AN(priv);
	if (priv->priv == NULL) {
		ALLOC_OBJ(rv, RESOLV_VCL_MAGIC);
		AN(rv);
		VTAILQ_INIT(&rv->objs);
		priv->priv = rv;
	}
	CAST_OBJ_NOTNULL(rv, priv->priv, RESOLV_VCL_MAGIC);
	return (rv);
}

static void
rv_fini(VRT_CTX, void *p)
{
	struct resolv_vcl *rv;

	(void)ctx;
	CAST_OBJ_NOTNULL(rv, p, RESOLV_VCL_MAGIC);
	assert(VTAILQ_EMPTY(&rv->objs));
	AZ(rv->ref);
	FREE_OBJ(rv);
}

static const struct vmod_priv_methods rv_methods[1] = {{
	.magic = VMOD_PRIV_METHODS_MAGIC,
	.type = "resolv vcl",
	.fini = rv_fini,
}};

int v_matchproto_(vmod_event_f)
vmod_resolv_event(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e e)
{
	struct resolv_vcl *rv;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	rv = rv_get(priv);
	priv->methods = rv_methods;
	switch (e) {
	case VCL_EVENT_WARM:
		/* Directors hear WARM after us and start their threads. */
		AZ(rv->ref);
		rv->ref = VRT_VCL_Prevent_Discard(ctx, "resolv threads");
		break;
	case VCL_EVENT_COLD:
		/* Directors heard COLD before us: every thread is joined. */
		if (rv->ref != NULL)
			VRT_VCL_Allow_Discard(&rv->ref);
		break;
	default:
		break;
	}
	return (0);
}

VCL_VOID
vmod_director__init(VRT_CTX, struct vmod_resolv_director **op,
    const char *vcl_name, struct vmod_priv *priv, VCL_STRING port,
    VCL_DURATION ttl)
{
	struct vmod_resolv_director *obj;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(op);
	AZ(*op);
	if (port == NULL || *port == '\0' || !(ttl > 0)) {
		VRT_fail(ctx, "resolv.director(): need a port and ttl > 0");
		return;
	}
	ALLOC_OBJ(obj, RESOLV_DIRECTOR_MAGIC);
	AN(obj);
	REPLACE(obj->vcl_name, vcl_name);
	REPLACE(obj->port, port);
	obj->ttl = ttl;
	INIT_OBJ(obj->ctx, VRT_CTX_MAGIC);
	obj->ctx->vcl = ctx->vcl;
	PTOK(pthread_mutex_init(&obj->mtx, NULL));
	VTAILQ_INIT(&obj->domains);
	obj->rv = rv_get(priv);
	priv->methods = rv_methods;
	VTAILQ_INSERT_TAIL(&obj->rv->objs, obj, list);
	*op = obj;
}

VCL_VOID
vmod_director__fini(struct vmod_resolv_director **op)
{
	struct vmod_resolv_director *obj;
	struct resolv_domain *dom;

	TAKE_OBJ_NOTNULL(obj, op, RESOLV_DIRECTOR_MAGIC);
	/* The domains' memory lives on until their destroy. */
	while ((dom = VTAILQ_FIRST(&obj->domains)) != NULL) {
		VTAILQ_REMOVE(&obj->domains, dom, list);
		VRT_DelDirector(&dom->dir);
	}
	VTAILQ_REMOVE(&obj->rv->objs, obj, list);
	PTOK(pthread_mutex_destroy(&obj->mtx));
	REPLACE(obj->vcl_name, NULL);
	REPLACE(obj->port, NULL);
	FREE_OBJ(obj);
}

static struct resolv_domain *
dom_find(struct vmod_resolv_director *obj, const char *host)
{
	struct resolv_domain *dom;

	VTAILQ_FOREACH(dom, &obj->domains, list)
		if (!strcmp(dom->host, host))
			return (dom);
	return (NULL);
}

VCL_BACKEND
vmod_director_backend(VRT_CTX, struct vmod_resolv_director *obj,
    VCL_STRING host)
{
	struct resolv_domain *dom;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(obj, RESOLV_DIRECTOR_MAGIC);
	if (host == NULL || *host == '\0') {
		VRT_fail(ctx, "%s.backend(): no host", obj->vcl_name);
		return (NULL);
	}
	PTOK(pthread_mutex_lock(&obj->mtx));
	dom = dom_find(obj, host);
	if (dom != NULL) {
		PTOK(pthread_mutex_unlock(&obj->mtx));
		return (dom->dir);
	}
	ALLOC_OBJ(dom, RESOLV_DOMAIN_MAGIC);
	AN(dom);
	dom->obj = obj;
	REPLACE(dom->host, host);
	PTOK(pthread_mutex_init(&dom->mtx, NULL));
	PTOK(pthread_cond_init(&dom->cond, NULL));
	VTAILQ_INIT(&dom->addrs);
	/* On a warm VCL this delivers WARM (the thread starts) before it
	 * returns; from vcl_init the VCL's WARM comes later. */
	dom->dir = VRT_AddDirector(ctx, dom_methods, dom, "%s(%s)",
	    obj->vcl_name, host);
	if (dom->dir == NULL) {
		/* The VCL is cooling: nothing was called back. */
		PTOK(pthread_cond_destroy(&dom->cond));
		PTOK(pthread_mutex_destroy(&dom->mtx));
		free(dom->host);
		FREE_OBJ(dom);
		PTOK(pthread_mutex_unlock(&obj->mtx));
		return (NULL);
	}
	VTAILQ_INSERT_TAIL(&obj->domains, dom, list);
	PTOK(pthread_mutex_unlock(&obj->mtx));
	return (dom->dir);
}

VCL_INT
vmod_director_addresses(VRT_CTX, struct vmod_resolv_director *obj,
    VCL_STRING host)
{
	struct resolv_domain *dom;
	VCL_INT n = 0;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(obj, RESOLV_DIRECTOR_MAGIC);
	if (host == NULL)
		return (0);
	PTOK(pthread_mutex_lock(&obj->mtx));
	dom = dom_find(obj, host);
	if (dom != NULL) {
		PTOK(pthread_mutex_lock(&dom->mtx));
		n = dom->n_addrs;
		PTOK(pthread_mutex_unlock(&dom->mtx));
	}
	PTOK(pthread_mutex_unlock(&obj->mtx));
	return (n);
}
