/* headers_compile.c -- compile-only check of the fake VRT public headers: every
 * header included in the order a VMOD uses, every macro expanded at least once,
 * under -std=c11 -Wall -Wextra -Werror -fexceptions. Never linked or run. */

#include <assert.h>	/* vas.h must win over <assert.h>'s assert() */

#include "cache/cache.h"
#include "cache/cache_backend.h"
#include "cache/cache_director.h"
#include "cache/cache_filter.h"
#include "cache/cache_varnishd.h"

#include "vbm.h"
#include "vcl.h"
#include "vrnd.h"
#include "vsb.h"
#include "vtim.h"
#include "vdisim_pthread.h"
#include "vend.h"
#include "vsa.h"

/* Including twice must be harmless. */
#include "vdef.h"
#include "vrt.h"
#include "vas.h"
#include "miniobj.h"

struct hc_obj {
	unsigned		magic;
#define HC_OBJ_MAGIC		0x1badcafe
	int			n;
	char			*name;
	pthread_rwlock_t	rw;
	pthread_mutex_t		mtx;
	pthread_cond_t		cond;
	struct lock		lck;
	int			tail[] v_counted_by_(n);
};

struct hc_arr {
	unsigned		magic;
	double			d[0];
};

v_static_assert(sizeof(struct vrt_ctx) > 0, "vrt_ctx is complete");
v_static_assert(VRT_MAJOR_VERSION == 22U && VRT_MINOR_VERSION == 0U,
    "VRT 22.0");
v_static_assert(DIRECTOR_MAGIC == 0x3336351d, "director magic");
v_static_assert(VDI_METHODS_MAGIC == 0x4ec0c4bb, "vdi_methods magic");
v_static_assert(VRT_CTX_MAGIC == 0x6bb8f0db, "vrt_ctx magic");
v_static_assert(VRT_BACKEND_MAGIC == 0x4799ce6c, "vrt_backend magic");
v_static_assert(VRT_ENDPOINT_MAGIC == 0xcc419347, "vrt_endpoint magic");
v_static_assert(VRT_BACKEND_PROBE_MAGIC == 0x84998490, "probe magic");
v_static_assert(VMOD_PRIV_METHODS_MAGIC == 0xcea5ff99, "priv methods");
v_static_assert(STRANDS_MAGIC == 0x5d5ab196, "strands magic");
v_static_assert(VRT_BLOB_MAGIC == 0xe114db9e, "blob magic");
v_static_assert(VDI_EVENT_SICK == VCL_EVENT_DISCARD + 1, "event order");
v_static_assert(VCL_MET_TASK_H == (VCL_MET_INIT | VCL_MET_FINI), "met");
v_static_assert(offsetof(struct vdi_methods, release) <
    offsetof(struct vdi_methods, destroy), "release before destroy");

static vdi_healthy_f hc_healthy;
static vdi_resolve_f hc_resolve;
static vdi_event_f hc_event;
static vdi_release_f hc_release;
static vdi_destroy_f hc_destroy;
static vdi_list_f hc_list;
static vdi_panic_f hc_panic;
static vdi_gethdrs_f hc_gethdrs;
static vdi_getip_f hc_getip;
static vdi_finish_f hc_finish;
static vdi_http1pipe_f hc_pipe;
static vmod_priv_fini_f hc_priv_fini;
vmod_event_f hc_vmod_event;

static const struct vdi_methods hc_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"hc",
	.http1pipe =	hc_pipe,
	.healthy =	hc_healthy,
	.resolve =	hc_resolve,
	.gethdrs =	hc_gethdrs,
	.getip =	hc_getip,
	.finish =	hc_finish,
	.event =	hc_event,
	.release =	hc_release,
	.destroy =	hc_destroy,
	.panic =	hc_panic,
	.list =		hc_list,
}};

static const struct vmod_priv_methods hc_priv_methods[1] = {{
	.magic = VMOD_PRIV_METHODS_MAGIC,
	.type = "hc",
	.fini = hc_priv_fini,
}};

static VCL_BOOL v_matchproto_(vdi_healthy_f)
hc_healthy(VRT_CTX, VCL_BACKEND dir, VCL_TIME *changed)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
	if (changed != NULL)
		*changed = ctx->now;
	return (VRT_Healthy(ctx, dir, changed));
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
hc_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct hc_obj *o;

	CAST_OBJ_NOTNULL(o, dir->priv, HC_OBJ_MAGIC);
	if (!(ctx->method & (VCL_MET_TASK_C | VCL_MET_TASK_B)))
		return (NULL);
	return (VRT_DirectorResolve(ctx, dir));
}

static int v_matchproto_(vdi_gethdrs_f)
hc_gethdrs(VRT_CTX, VCL_BACKEND dir)
{

	(void)ctx;
	(void)dir;
	return (-1);
}

static VCL_IP v_matchproto_(vdi_getip_f)
hc_getip(VRT_CTX, VCL_BACKEND dir)
{

	(void)ctx;
	(void)dir;
	return (NULL);
}

static void v_matchproto_(vdi_finish_f)
hc_finish(VRT_CTX, VCL_BACKEND dir)
{

	(void)ctx;
	(void)dir;
}

static stream_close_t v_matchproto_(vdi_http1pipe_f)
hc_pipe(VRT_CTX, VCL_BACKEND dir)
{

	(void)ctx;
	(void)dir;
	return (SC_TX_PIPE);
}

static void v_matchproto_(vdi_event_f)
hc_event(VCL_BACKEND dir, enum vcl_event_e ev)
{
	struct hc_obj *o;

	CAST_OBJ(o, dir->priv, HC_OBJ_MAGIC);
	CHECK_OBJ_ORNULL(o, HC_OBJ_MAGIC);
	switch (ev) {
	case VCL_EVENT_WARM:
	case VCL_EVENT_COLD:
	case VDI_EVENT_SICK:
		break;
	case VCL_EVENT_LOAD:
	case VCL_EVENT_DISCARD:
		INCOMPL();
	default:
		WRONG("vcl event");
	}
}

static void v_matchproto_(vdi_release_f)
hc_release(VCL_BACKEND dir)
{

	CHECK_OBJ_NOTNULL(dir, DIRECTOR_MAGIC);
}

static void v_matchproto_(vdi_destroy_f)
hc_destroy(VCL_BACKEND dir)
{
	struct hc_obj *o;

	CAST_OBJ_NOTNULL(o, dir->priv, HC_OBJ_MAGIC);
	PTOK(pthread_rwlock_destroy(&o->rw));
	PTOK(pthread_mutex_destroy(&o->mtx));
	PTOK(pthread_cond_destroy(&o->cond));
	Lck_Delete(&o->lck);
	REPLACE(o->name, NULL);
	FREE_OBJ(o);
}

static void v_matchproto_(vdi_panic_f)
hc_panic(VCL_BACKEND dir, struct vsb *vsb)
{

	VSB_printf(vsb, "hc = %s,\n", dir->vcl_name);
	VSB_quote_pfx(vsb, "  ", dir->vcl_name, -1, VSB_QUOTE_JSON);
	VSB_quote(vsb, dir->vcl_name, -1, VSB_QUOTE_PLAIN | VSB_QUOTE_NONL);
	VSB_quote(vsb, "x", 1, VSB_QUOTE_HEX);
	VSB_quote(vsb, "x", 1, VSB_QUOTE_CSTR | VSB_QUOTE_ESCHEX);
	VSB_quote(vsb, "x", 1, VSB_QUOTE_UNSAFE | VSB_QUOTE_CLI);
}

static void v_matchproto_(vdi_list_f)
hc_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{

	(void)ctx;
	if (pflag && jflag) {
		VSB_cat(vsb, "{\n");
		VSB_indent(vsb, 2);
		VSB_printf(vsb, "\"name\": \"%s\"\n", dir->vcl_name);
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}");
	} else {
		VSB_bcat(vsb, "-", 1);
		VSB_putc(vsb, '\n');
	}
}

static void v_matchproto_(vmod_priv_fini_f)
hc_priv_fini(VRT_CTX, void *p)
{

	(void)ctx;
	free(p);
}

int v_matchproto_(vmod_event_f)
hc_vmod_event(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e ev)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(priv);
	if (ev == VCL_EVENT_LOAD)
		priv->methods = hc_priv_methods;
	return (0);
}

VCL_BACKEND hc_new(VRT_CTX, const char *vcl_name);
VCL_BACKEND
hc_new(VRT_CTX, const char *vcl_name)
{
	struct hc_obj *o;
	struct hc_arr *a;
	VCL_BACKEND dir, held = NULL;

	ALLOC_OBJ(o, HC_OBJ_MAGIC);
	XXXAN(o);
	FREE_OBJ(o);
	ALLOC_OBJ_EXTRA(o, 16, HC_OBJ_MAGIC);
	XXXAN(o);
	FREE_OBJ(o);
	ALLOC_OBJ_ARRAY(a, 4, d, HC_OBJ_MAGIC);
	AN(a);
	free(a);
	ALLOC_FLEX_OBJ(o, tail, 4, HC_OBJ_MAGIC);
	AN(o);
	o->n = 4;
	assert(VALID_OBJ(o, HC_OBJ_MAGIC));
	REPLACE(o->name, vcl_name);
	PTOK(pthread_rwlock_init(&o->rw, NULL));
	PTOK(pthread_mutex_init(&o->mtx, NULL));
	PTOK(pthread_cond_init(&o->cond, NULL));
	Lck_New(&o->lck, lck_director);

	dir = VRT_AddDirector(ctx, hc_methods, o, "%s", vcl_name);
	VRT_StaticDirector(dir);
	VRT_Assign_Backend(&held, dir);
	VRT_Assign_Backend(&held, NULL);
	VRT_SetChanged(dir, VTIM_real());
	AN(VRT_BACKEND_string(dir));
	if (VRT_LookupDirector(ctx, vcl_name) != dir)
		VRT_fail(ctx, "%s: lookup failed", vcl_name);
	VRT_DisableDirector(dir);
	VRT_DelDirector(&dir);
	AZ(dir);
	return (held);
}

void hc_locks(struct hc_obj *o);
void
hc_locks(struct hc_obj *o)
{
	vtim_real deadline;
	struct timespec ts;

	CHECK_OBJ_NOTNULL(o, HC_OBJ_MAGIC);
	PTOK(pthread_rwlock_rdlock(&o->rw));
	PTOK(pthread_rwlock_unlock(&o->rw));
	PTOK(pthread_rwlock_wrlock(&o->rw));
	PTOK(pthread_rwlock_unlock(&o->rw));
	if (pthread_rwlock_tryrdlock(&o->rw) == 0)
		PTOK(pthread_rwlock_unlock(&o->rw));
	if (pthread_rwlock_trywrlock(&o->rw) == 0)
		PTOK(pthread_rwlock_unlock(&o->rw));

	PTOK(pthread_mutex_lock(&o->mtx));
	PTOK(pthread_cond_signal(&o->cond));
	PTOK(pthread_cond_broadcast(&o->cond));
	PTOK(pthread_cond_wait(&o->cond, &o->mtx));
	ts = VTIM_timespec(VTIM_real() + 1.0);
	(void)pthread_cond_timedwait(&o->cond, &o->mtx, &ts);
	PTOK(pthread_mutex_unlock(&o->mtx));
	if (pthread_mutex_trylock(&o->mtx) == 0)
		PTOK(pthread_mutex_unlock(&o->mtx));

	Lck_Lock(&o->lck);
	Lck_AssertHeld(&o->lck);
	deadline = VTIM_real() + 0.5;
	(void)Lck_CondWaitUntil(&o->cond, &o->lck, deadline);
	(void)Lck_CondWaitTimeout(&o->cond, &o->lck, 0.5);
	(void)Lck_CondWait(&o->cond, &o->lck);
	Lck_Unlock(&o->lck);
	if (Lck_Trylock(&o->lck) == 0)
		Lck_Unlock(&o->lck);
}

VCL_STRING hc_misc(VRT_CTX, struct hc_obj *o, VCL_STRANDS s);
VCL_STRING
hc_misc(VRT_CTX, struct hc_obj *o, VCL_STRANDS s)
{
	struct vbitmap *vb;
	struct vsb vsb[1];
	struct vrt_backend be;
	struct vrt_ctx ctx2;
	struct vmod_priv *task;
	struct hc_obj *taken, *ref = o;
	char buf[16], ch[VTIM_FORMAT_SIZE];
	const char *p;
	uintptr_t snap;
	unsigned u;
	txt t;
	double d;

	INIT_OBJ(&ctx2, VRT_CTX_MAGIC);
	ZERO_OBJ(&ctx2, sizeof ctx2);
	VRT_BACKEND_INIT(&be);
	assert(be.connect_timeout < 0);
	TAKE_OBJ_NOTNULL(taken, &ref, HC_OBJ_MAGIC);
	AZ(ref);
	diagnostic(taken == o);

	vb = vbit_new(8);
	vbit_set(vb, 3);
	vbit_clr(vb, 3);
	if (!vbit_test(vb, 3) && vb->nbits < 2048)
		vbit_expand(vb, 2048);
	vbit_destroy(vb);
	vb = vbit_init(buf, sizeof buf);
	vbit_destroy(vb);
	assert(VBITMAP_SZ(64) > sizeof(struct vbitmap));

	u = vmin(3U, 4U) + vmax(1U, 2U) + vlimit(7U, 1U, 5U);
	u += vmin_t(unsigned, 1, 2) + vmax_t(unsigned, 1, 2);
	u += vlimit_t(unsigned, 9, 1, 5);
	d = (double)u + (double)PRNDUP(3) + (double)PRNDDN(9) + (double)PAOK(buf);
	d += (double)PWR2(8U) + (double)RDN2(9U, 4U) + (double)RUP2(9U, 4U);
	if (d > VRT_DECIMAL_MAX || d < VRT_DECIMAL_MIN)
		return (NULL);
	if ((VCL_INT)d > VRT_INTEGER_MAX || (VCL_INT)d < VRT_INTEGER_MIN)
		return (NULL);
	bprintf(buf, "%u", u);
	bstrcpy(buf, "hc");
	t.b = buf;
	t.e = buf + 2;
	Tcheck(t);
	assert(Tlen(t) == 2);
	VTIM_format(VTIM_real(), ch);
	(void)VTIM_mono();
	(void)VTIM_parse(ch);
	VTIM_sleep(0.0);

	snap = WS_Snapshot(ctx->ws);
	p = WS_Printf(ctx->ws, "%ld %f", VRND_RandomTestable(),
	    VRND_RandomTestableDouble());
	WS_Reset(ctx->ws, snap);
	WS_VSB_new(vsb, ctx->ws);
	VSB_cat(vsb, VRT_Strands(buf, sizeof buf, s));
	p = WS_VSB_finish(vsb, ctx->ws, NULL);
	if (p == NULL)
		p = VRT_StrandsWS(ctx->ws, NULL, TOSTRAND("a"));
	if (p == NULL)
		p = VRT_StrandsWS(ctx->ws, "x", TOSTRANDS(2, "a", "b"));
	(void)VRT_HashStrands32(s);
	VSLb(ctx->vsl, SLT_Debug, "%s", p);
	VSLbs(ctx->vsl, SLT_Notice, TOSTRAND(p));
	VSL(SLT_Error, NO_VXID, "%s", p);

	task = VRT_priv_task(ctx, o);
	if (task != NULL && task->priv == NULL)
		task->methods = hc_priv_methods;
	(void)VRT_priv_task_get(ctx, o);
	WS_TASK_ALLOC_OBJ(ctx, taken, HC_OBJ_MAGIC);
	return (p);
}

/* 8.0.0's task structs, HDR() and the http_* / VRT_*Hdr calls a VMOD makes. */
v_static_assert(HTTP_HDR_METHOD == 0 && HTTP_HDR_URL == 1 &&
    HTTP_HDR_PROTO == 2 && HTTP_HDR_FIRST == 5, "hd[] slots");
v_static_assert(DIGEST_LEN == 32, "digest size");

/* As VCC emits req.http.X-Hc: at file scope (HDR() is a compound literal). */
static const struct gethdr_s hs = { HDR_REQ, HDR("X-Hc") };

uint32_t hc_http(VRT_CTX, struct vscarab *scarab);
uint32_t
hc_http(VRT_CTX, struct vscarab *scarab)
{
	struct backend *be;
	const struct vcldir *vd;
	struct viov *v;
	struct http *hp;
	const char *p;
	uint32_t r = 0;
	hdr_t h;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CAST_HDR(h, "\005X-Hc:");
	if (ctx->bo != NULL) {
		CHECK_OBJ(ctx->bo, BUSYOBJ_MAGIC);
		r = vbe32dec(ctx->bo->digest);
		VSLb_ts_busyobj(ctx->bo, "Hc", ctx->now);
	}
	if (ctx->req != NULL) {
		CHECK_OBJ(ctx->req, REQ_MAGIC);
		r ^= ctx->req->digest[0];
		VSLb_ts_req(ctx->req, "Hc", ctx->now);
		hp = ctx->req->http;
		if (http_GetHdr(hp, h, &p) && http_HdrIs(hp, H_Host, p))
			http_Unset(hp, H_Host);
		http_PrintfHeader(hp, "X-Hc: %u", r);
		http_ForceHeader(hp, hs.what, "1");
		r += http_CountHdr(hp, hs.what);
		(void)http_GetHdrToken(hp, H_Cache_Control, "no-cache", &p, NULL);
		(void)http_GetHdrQ(hp, H_Accept_Encoding, "gzip");
		r += IS_TOPREQ(ctx->req);
	}
	VRT_SetHdr(ctx, &hs, NULL, TOSTRAND("v"));
	if (VRT_GetHdr(ctx, &hs) != NULL)
		VRT_UnsetHdr(ctx, &hs);
	be = NULL;
	if (ctx->bo != NULL && ctx->bo->director_resp != NULL)
		CAST_OBJ(be, ctx->bo->director_resp->priv, BACKEND_MAGIC);
	if (be != NULL)
		VSLb(ctx->vsl, SLT_Debug, "%s", be->vcl_name);
	vd = NULL;
	if (ctx->bo != NULL && ctx->bo->director_resp != NULL)
		vd = ctx->bo->director_resp->vdir;
	if (vd != NULL && vd->admin_health == VDI_AH_SICK)
		r++;
	VSCARAB_CHECK_NOTNULL(scarab);
	VSCARAB_FOREACH(v, scarab)
		r += (uint32_t)v->iov.iov_len;
	VSLb_bin(ctx->vsl, SLT_Debug, 4, &r);
	return (r + (uint32_t)VRT_ipcmp(ctx, bogo_ip, bogo_ip));
}

/* cache/cache_varnishd.h: the expiry macros, the object-event mask, the HTC states and
 * the VCF returns. */
static void v_matchproto_(obj_event_f)
hc_obj_event(struct worker *wrk, void *priv, struct objcore *oc, unsigned ev)
{
	(void)wrk;
	(void)priv;
	(void)oc;
	(void)ev;
}

double hc_varnishd(const struct req *req, struct objcore *oc, struct objcore *oc2);
double
hc_varnishd(const struct req *req, struct objcore *oc, struct objcore *oc2)
{
	uintptr_t h;
	double when;

	EXP_COPY(oc2, oc);
	when = EXP_WHEN(oc2) + EXP_Dttl(req, oc2);
	EXP_ZERO(oc2);
	h = ObjSubscribeEvents(hc_obj_event, NULL, OEV_MASK & ~OEV_BANCHG);
	ObjUnsubscribeEvents(&h);
	if (VCF_HIT->name != NULL && HTC_S_COMPLETE == 2 && HTC_S_JUNK == -5)
		when += 1.0;
	return (when);
}
