/* cache/cache.h -- what Varnish 8.0.0's cache.h gives a VMOD: the task structs (req,
 * busyobj, http, ws, worker, sess, objcore, boc) with 8.0.0's fields in 8.0.0's order, and
 * the http_*, HTTP_*, Lck_*, Obj*, VSL*, WS_*, RFC2616_* calls. Director C code and the
 * C++ runtime include it; the runtime fills what VMODs read and defines every function
 * (see unsimulated.cpp for the ones vdisim refuses at run time). */

#ifndef CACHE_H_INCLUDED
#define CACHE_H_INCLUDED

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "vdef.h"
#include "vrt.h"
#include "miniobj.h"
#include "vas.h"
#include "vqueue.h"
#include "vtree.h"
#include "vapi/vsl_int.h"

/* vdisim: headers Varnish's cache.h leaves to the includer, and the simulator seam. */
#include "vtim.h"
#include "vsb.h"
#include "vdisim_pthread.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- transaction ids ---- */

struct vxids {
	uint64_t	vxid;
};

typedef struct vxids vxid_t;

#define NO_VXID			((struct vxids){0})
#define IS_NO_VXID(x)		((x).vxid == 0)
#define VXID_TAG(x)							\
	((uintmax_t)((x).vxid & (VSL_CLIENTMARKER | VSL_BACKENDMARKER)))
#define VXID(u)			((uintmax_t)((u.vxid) & VSL_IDENTMASK))
#define IS_SAME_VXID(x, y)	((x).vxid == (y).vxid)

/* ---- how a body is framed ---- */

struct body_status {
	const char		*name;
	int			nbr;
	int			avail;
	int			length_known;
};

#define BODYSTATUS(U, l, n, a, k) extern const struct body_status BS_##U[1];
#include "tbl/body_status.h"

typedef const struct body_status *body_status_t;

/* ---- why a connection closed (vdi_http1pipe_f returns one) ---- */

struct stream_close {
	unsigned		magic;
#define STREAM_CLOSE_MAGIC	0xc879c93d
	int			idx;
	unsigned		is_err;
	const char		*name;
	const char		*desc;
};
extern const struct stream_close SC_NULL[1];
#define SESS_CLOSE(nm, stat, err, desc)					\
	extern const struct stream_close SC_##nm[1];
#include "tbl/sess_close.h"

/* ---- the fixed slots of http->hd[]: HTTP_HDR_METHOD, _URL, _PROTO ... ---- */

enum {
#define SLTH(tag, ind, req, resp, sdesc, ldesc)	ind,
#include "tbl/vsl_tags_http.h"
};

struct ban;
struct ban_proto;
struct cli;
struct http_conn;
struct listen_sock;
struct mempool;
struct objcore;
struct objhead;
struct pool;
struct req_step;
struct sess;
struct transport;
struct vcf;
struct VSC_lck;
struct VSC_main;
struct VSC_main_wrk;
struct worker;
struct worker_priv;

#define DIGEST_LEN		32

/* ---- locks: a handle the runtime fills in; always use the Lck_ macros ---- */

struct lock { void *priv; };

/* ---- workspace: bump allocator over one buffer [s, e) (ws.c) ---- */

#define WS_ID_SIZE		4

struct ws {
	unsigned		magic;
#define WS_MAGIC		0x35fac554
	char			id[WS_ID_SIZE];	/* upper-case id[0]: overflowed */
	char			*s;
	char			*f;
	char			*r;		/* reservation end, NULL if none */
	char			*e;
};

/* ---- an HTTP message: hd[] holds "Name: value" spans on ws (http.c) ---- */

struct http {
	unsigned		magic;
#define HTTP_MAGIC		0x6428b5c9

	uint16_t		shd;
	txt			*hd;
	unsigned char		*hdf;
#define HDF_FILTER		(1 << 0)

	/* http_Teardown clears from here on */
	uint16_t		nhd;

	enum VSL_tag_e		logtag;
	struct vsl_log		*vsl;

	struct ws		*ws;
	uint16_t		status;
	uint8_t			protover;
};

/* ---- byte accounting ---- */

struct acct_req {
#define ACCT(foo)	uint64_t	foo;
#include "tbl/acct_fields_req.h"
};

struct acct_bereq {
#define ACCT(foo)	uint64_t	foo;
#include "tbl/acct_fields_bereq.h"
};

/* ---- a task's log buffer; vdisim logs straight to the trace (wid = task) ---- */

struct vsl_log {
	uint32_t		*wlb, *wlp, *wle;
	vxid_t			wid;
	unsigned		wlr;
};

VRBT_HEAD(vrt_privs, vrt_priv);

/* ---- worker threads and their task queue (vdisim: one fiber per task) ---- */

typedef void task_func_t(struct worker *wrk, void *priv);

struct pool_task {
	VTAILQ_ENTRY(pool_task)		list;
	task_func_t			*func;
	void				*priv;
};

enum task_prio {
	TASK_QUEUE_BO,
	TASK_QUEUE_RUSH,
	TASK_QUEUE_REQ,
	TASK_QUEUE_STR,
	TASK_QUEUE_VCA,
	TASK_QUEUE_BG,
	TASK_QUEUE__END
};

#define TASK_QUEUE_HIGHEST_PRIORITY	TASK_QUEUE_BO
#define TASK_QUEUE_RESERVE		TASK_QUEUE_BG
#define TASK_QUEUE_LIMITED(prio)					\
	(prio == TASK_QUEUE_REQ || prio == TASK_QUEUE_STR)

struct worker {
	unsigned		magic;
#define WORKER_MAGIC		0x6391adcf
	int			strangelove;
	struct worker_priv	*wpriv;
	struct pool		*pool;
	struct VSC_main_wrk	*stats;
	struct vsl_log		*vsl;

	struct pool_task	task[1];

	vtim_real		lastused;

	pthread_cond_t		cond;

	struct ws		aws[1];

	unsigned		cur_method;
	unsigned		seen_methods;

	struct wrk_vpi		*vpi;
};

/* ---- objects: vdisim stores none, the structs exist for the field layout ---- */

struct storeobj {
	const struct stevedore	*stevedore;
	void			*priv;
	uint64_t		priv2;
};

enum boc_state_e {
#define BOC_STATE(U, l)		BOS_##U,
#include "tbl/boc_state.h"
};

struct vai_qe;
VSLIST_HEAD(vai_q_head, vai_qe);

struct boc {
	unsigned		magic;
#define BOC_MAGIC		0x70c98476
	unsigned		refcount;
	struct lock		mtx;
	pthread_cond_t		cond;
	void			*stevedore_priv;
	enum boc_state_e	state;
	uint8_t			*vary;
	uint64_t		fetched_so_far;
	uint64_t		delivered_so_far;
	uint64_t		transit_buffer;
	struct vai_q_head	vai_q_head;
};

enum obj_attr {
#define OBJ_FIXATTR(U, l, s)	OA_##U,
#define OBJ_VARATTR(U, l)	OA_##U,
#define OBJ_AUXATTR(U, l)	OA_##U,
#include "tbl/obj_attr.h"
				OA__MAX,
};

enum obj_flags {
#define OBJ_FLAG(U, l, v)	OF_##U = v,
#include "tbl/obj_attr.h"
};

enum oc_flags {
#define OC_FLAG(U, l, v)	OC_F_##U = v,
#include "tbl/oc_flags.h"
};

#define OC_F_TRANSIENT		(OC_F_PRIVATE | OC_F_HFM | OC_F_HFP)

enum oc_exp_flags {
#define OC_EXP_FLAG(U, l, v)	OC_EF_##U = v,
#include "tbl/oc_exp_flags.h"
};

struct objcore {
	unsigned		magic;
#define OBJCORE_MAGIC		0x4d301302
	int			refcnt;
	struct storeobj		stobj[1];
	struct objhead		*objhead;
	struct boc		*boc;
	vtim_real		timer_when;
	VCL_INT			hits;

	vtim_real		t_origin;
	float			ttl;
	float			grace;
	float			keep;

	uint8_t			flags;

	uint8_t			exp_flags;

	uint16_t		oa_present;

	unsigned		timer_idx;
	unsigned		waitinglist_gen;
	vtim_real		last_lru;
	VTAILQ_ENTRY(objcore)	hsh_list;
	VTAILQ_ENTRY(objcore)	lru_list;
	VTAILQ_ENTRY(objcore)	ban_list;
	VSTAILQ_ENTRY(objcore)	exp_list;
	struct ban		*ban;
};

/* ---- the backend side of a request: one per fetch (request.cpp fills it) ---- */

enum director_state_e {
	DIR_S_NULL = 0,
	DIR_S_HDRS = 1,
	DIR_S_BODY = 2,
};

struct busyobj {
	unsigned		magic;
#define BUSYOBJ_MAGIC		0x23b95567

	char			*end;

	unsigned		max_retries;
	unsigned		retries;
	struct req		*req;
	struct sess		*sp;
	struct worker		*wrk;

	struct vfp_ctx		*vfc;
	const char		*vfp_filter_list;
	const char		*vdp_filter_list;

	struct ws		ws[1];
	uintptr_t		ws_bo;
	struct http		*bereq0;
	struct http		*bereq;
	struct http		*beresp;
	struct objcore		*bereq_body;
	struct objcore		*stale_oc;
	struct objcore		*fetch_objcore;

	const char		*no_retry;

	struct http_conn	*htc;

	struct pool_task	fetch_task[1];

	const char		*err_reason;
	enum director_state_e	director_state;
	uint16_t		err_code;

#define BERESP_FLAG(l, r, w, f, d) unsigned	l:1;
#define BEREQ_FLAG(l, r, w, d) BERESP_FLAG(l, r, w, 0, d)
#include "tbl/bereq_flags.h"
#include "tbl/beresp_flags.h"

	vtim_dur		connect_timeout;
	vtim_dur		first_byte_timeout;
	vtim_dur		between_bytes_timeout;
	vtim_dur		task_deadline;

	vtim_real		t_first;
	vtim_real		t_resp;
	vtim_real		t_prev;

	struct acct_bereq	acct;

	const struct stevedore	*storage;
	const struct director	*director_req;
	const struct director	*director_resp;
	struct vcl		*vcl;

	struct vsl_log		vsl[1];

	uint8_t			digest[DIGEST_LEN];
	struct vrt_privs	privs[1];

	const char		*client_identity;
};

/* cache_param is varnishd's; a VMOD using this macro does not link in vdisim. */
#define BUSYOBJ_TMO(bo, pfx, tmo)					\
	(isnan((bo)->tmo) ? cache_param->pfx##tmo : (bo)->tmo)

/* ---- the client side of a request (request.cpp fills it) ---- */

struct reqtop {
	unsigned		magic;
#define REQTOP_MAGIC		0x57fbda52
	struct req		*topreq;
	struct vcl		*vcl0;
	struct vrt_privs	privs[1];
};

struct req {
	unsigned		magic;
#define REQ_MAGIC		0xfb4abf6d

	unsigned		esi_level;
	body_status_t		req_body_status;
	stream_close_t		doclose;
	unsigned		restarts;
	unsigned		max_restarts;
	unsigned		waitinglist_gen;

	const struct req_step	*req_step;
	struct reqtop		*top;

	uint16_t		err_code;
#define REQ_FLAG(l, r, w, d) unsigned	l:1;
#include "tbl/req_flags.h"

	const char		*err_reason;

	struct sess		*sp;
	struct worker		*wrk;
	struct pool_task	task[1];

	const struct transport	*transport;
	void			*transport_priv;

	VTAILQ_ENTRY(req)	w_list;

	struct objcore		*body_oc;

	uint8_t			*vary_b;
	uint8_t			*vary_e;

	uint8_t			digest[DIGEST_LEN];

	vtim_dur		d_ttl;
	vtim_dur		d_grace;

	const struct stevedore	*storage;

	const struct director	*director_hint;
	struct vcl		*vcl;

	uintptr_t		ws_req;

	vtim_real		t_first;
	vtim_real		t_prev;
	vtim_real		t_req;
	vtim_real		t_resp;

	struct http_conn	*htc;
	struct vfp_ctx		*vfc;
	const char		*client_identity;

	struct http		*http;
	struct http		*http0;

	struct http		*resp;
	intmax_t		resp_len;

	struct ws		ws[1];
	struct objcore		*objcore;
	struct objcore		*stale_oc;
	struct boc		*boc;

	struct vdp_ctx		*vdc;
	const char		*vdp_filter_list;
	const char		*vfp_filter_list;

	struct vsl_log		vsl[1];

	struct acct_req		acct;

	struct vrt_privs	privs[1];

	struct vcf		*vcf;
};

#define IS_TOPREQ(req)		((req)->top->topreq == (req))

/* ---- a client connection ---- */

enum sess_attr {
#define SESS_ATTR(UP, low, typ, len)	SA_##UP,
#include "tbl/sess_attr.h"
	SA_LAST
};

struct sess {
	unsigned		magic;
#define SESS_MAGIC		0x2c2f9c5a

	uint16_t		sattr[SA_LAST];
	struct listen_sock	*listen_sock;
	int			refcnt;
	int			fd;
	vxid_t			vxid;

	struct lock		mtx;

	struct pool		*pool;

	struct ws		ws[1];

	vtim_real		t_open;
	vtim_real		t_idle;
	vtim_dur		timeout_idle;
	vtim_dur		timeout_linger;
	vtim_dur		send_timeout;
	vtim_dur		idle_send_timeout;
};

#define SESS_TMO(sp, tmo)						\
	(isnan((sp)->tmo) ? cache_param->tmo : (sp)->tmo)

/* ---- bans (not simulated) ---- */

struct ban_proto *BAN_Build(void);
const char *BAN_AddTest(struct ban_proto *,
    const char *, const char *, const char *);
const char *BAN_Commit(struct ban_proto *b);
void BAN_Abandon(struct ban_proto *b);

/* ---- the CLI thread: in vdisim the actor that ran vcl_init/vcl_fini ---- */

extern pthread_t cli_thread;
#define IS_CLI()		(pthread_equal(pthread_self(), cli_thread))
#define ASSERT_CLI()		do { assert(IS_CLI()); } while (0)

/* ---- struct http (http.c) ---- */

unsigned HTTP_estimate(unsigned nhttp);
void HTTP_Clone(struct http *to, const struct http * const fm);
void HTTP_Dup(struct http *to, const struct http * const fm);
struct http *HTTP_create(void *p, uint16_t nhttp, unsigned);
const char *http_Status2Reason(unsigned, const char **);
int http_IsHdr(const txt *hh, hdr_t hdr);
unsigned http_EstimateWS(const struct http *fm, unsigned how);
void http_PutResponse(struct http *to, const char *proto, uint16_t status,
    const char *response);
void http_FilterReq(struct http *to, const struct http *fm, unsigned how);
void HTTP_Encode(const struct http *fm, uint8_t *, unsigned len, unsigned how);
int HTTP_Decode(struct http *to, const uint8_t *fm);
void http_ForceHeader(struct http *to, hdr_t, const char *val);
void http_AppendHeader(struct http *to, hdr_t, const char *val);
void http_PrintfHeader(struct http *to, const char *fmt, ...)
    v_printflike_(2, 3);
void http_TimeHeader(struct http *to, const char *fmt, vtim_real now);
const char * http_ViaHeader(void);
void http_Proto(struct http *to);
void http_SetHeader(struct http *to, const char *header);
void http_SetH(struct http *to, unsigned n, const char *header);
void http_ForceField(struct http *to, unsigned n, const char *t);
void HTTP_Setup(struct http *, struct ws *, struct vsl_log *, enum VSL_tag_e);
void http_Teardown(struct http *ht);
int http_GetHdr(const struct http *hp, hdr_t, const char **ptr);
int http_GetHdrToken(const struct http *hp, hdr_t,
    const char *token, const char **pb, const char **pe);
int http_GetHdrField(const struct http *hp, hdr_t,
    const char *field, const char **ptr);
double http_GetHdrQ(const struct http *hp, hdr_t, const char *field);
ssize_t http_GetContentLength(const struct http *hp);
ssize_t http_GetContentRange(const struct http *hp, ssize_t *lo, ssize_t *hi);
const char * http_GetRange(const struct http *hp, ssize_t *lo, ssize_t *hi,
    ssize_t len);
uint16_t http_GetStatus(const struct http *hp);
int http_IsStatus(const struct http *hp, int);
void http_SetStatus(struct http *to, uint16_t status, const char *reason);
const char *http_GetMethod(const struct http *hp);
int http_HdrIs(const struct http *hp, hdr_t, const char *val);
void http_CopyHome(const struct http *hp);
void http_Unset(struct http *hp, hdr_t);
unsigned http_CountHdr(const struct http *hp, hdr_t);
void http_CollectHdr(struct http *hp, hdr_t);
void http_CollectHdrSep(struct http *hp, hdr_t, const char *sep);
void http_VSL_log(const struct http *hp);
void HTTP_Merge(struct worker *, struct objcore *, struct http *to);
uint16_t HTTP_GetStatusPack(struct worker *, struct objcore *oc);
int HTTP_IterHdrPack(struct worker *, struct objcore *, const char **);
#define HTTP_FOREACH_PACK(wrk, oc, ptr)					\
	for ((ptr) = NULL; HTTP_IterHdrPack(wrk, oc, &(ptr));)
const char *HTTP_GetHdrPack(struct worker *, struct objcore *, hdr_t);
stream_close_t http_DoConnection(struct http *hp, stream_close_t sc_close);
int http_IsFiltered(const struct http *hp, unsigned u, unsigned how);

/* Where a header may travel (the flags column of tbl/http_headers.h). */
#define HTTPH_R_PASS		(1 << 0)
#define HTTPH_R_FETCH		(1 << 1)
#define HTTPH_A_INS		(1 << 2)
#define HTTPH_A_PASS		(1 << 3)
#define HTTPH_C_SPECIFIC	(1 << 4)

#define HTTPH(a, b, c) extern hdr_t b;
#include "tbl/http_headers.h"

extern hdr_t H__Status;
extern hdr_t H__Proto;
extern hdr_t H__Reason;

/* Token, scheme, method and header-name comparisons of RFC 7230-7233. */
#define http_tok_eq(s1, s2)		(!vct_casecmp(s1, s2))
#define http_tok_at(s1, s2, l)		(!vct_caselencmp(s1, s2, l))
#define http_ctok_at(s, cs)		(!vct_caselencmp(s, cs, sizeof(cs) - 1))
#define http_scheme_at(str, tok)	http_ctok_at(str, #tok "://")
#define http_method_eq(str, tok)	(!strcmp(str, #tok))
#define http_hdr_eq(s1, s2)		http_tok_eq(s1, s2)
#define http_hdr_at(s1, s2, l)		http_tok_at(s1, s2, l)
#define http_coding_eq(str, tok)	http_tok_eq(str, #tok)
#define http_expect_eq(str, tok)	http_tok_eq(str, #tok)
#define http_range_at(str, tok, l)	http_tok_at(str, #tok, l)

/* ---- locks (c_api.cpp): simulator mutexes behind Varnish's names ---- */

/* Call only through the macros below (they supply the call site). */
void Lck__Lock(struct lock *lck, const char *p, int l);
void Lck__Unlock(struct lock *lck, const char *p, int l);
int Lck__Trylock(struct lock *lck, const char *p, int l);
void Lck__New(struct lock *lck, struct VSC_lck *, const char *);
int Lck__Held(const struct lock *lck);
int Lck__Owned(const struct lock *lck);
extern pthread_mutexattr_t mtxattr_errorcheck;

void Lck_Delete(struct lock *lck);
int Lck_CondWaitUntil(pthread_cond_t *, struct lock *, vtim_real when);
int Lck_CondWait(pthread_cond_t *, struct lock *);
int Lck_CondWaitTimeout(pthread_cond_t *, struct lock *, vtim_dur timeout);

#define Lck_New(a, b)		Lck__New(a, b, #b)
#define Lck_Lock(a)		Lck__Lock(a, __func__, __LINE__)
#define Lck_Unlock(a)		Lck__Unlock(a, __func__, __LINE__)
#define Lck_Trylock(a)		Lck__Trylock(a, __func__, __LINE__)
#define Lck_AssertHeld(a)						\
	do {								\
		assert(Lck__Held(a));					\
		assert(Lck__Owned(a));					\
	} while (0)

struct VSC_lck *Lck_CreateClass(struct vsc_seg **, const char *);
void Lck_DestroyClass(struct vsc_seg **);

#define LOCK(nam) extern struct VSC_lck *lck_##nam;
#include "tbl/locks.h"

#include "cache/vdisim_obj.h"	/* Obj*, VAI, VSCARAB: split for length */

/* ---- the request body (not simulated: requests carry none) ---- */

ssize_t VRB_Iterate(struct worker *, struct vsl_log *, struct req *,
    objiterate_f *func, void *priv);

/* ---- session attributes (not simulated: tasks have no session) ---- */

#define SESS_ATTR(UP, low, typ, len)					\
	int SES_Get_##low(const struct sess *sp, typ **dst);
#include "tbl/sess_attr.h"
const char *SES_Get_String_Attr(const struct sess *sp, enum sess_attr a);

/* ---- shared memory log (c_api.cpp, vsl.cpp): records go to the run's trace ---- */

void VSLv(enum VSL_tag_e tag, vxid_t vxid, const char *fmt, va_list va);
void VSL(enum VSL_tag_e tag, vxid_t vxid, const char *fmt, ...)
    v_printflike_(3, 4);
void VSLs(enum VSL_tag_e tag, vxid_t vxid, const struct strands *s);
void VSLbv(struct vsl_log *, enum VSL_tag_e tag, const char *fmt, va_list va);
void VSLb(struct vsl_log *, enum VSL_tag_e tag, const char *fmt, ...)
    v_printflike_(3, 4);
void VSLbt(struct vsl_log *, enum VSL_tag_e tag, txt t);
void VSLbs(struct vsl_log *, enum VSL_tag_e tag, const struct strands *s);
void VSLb_ts(struct vsl_log *, const char *event, vtim_real first,
    vtim_real *pprev, vtim_real now);
void VSLb_bin(struct vsl_log *, enum VSL_tag_e, ssize_t, const void*);
int VSL_tag_is_masked(enum VSL_tag_e tag);

/* A timestamp record; the first one of a task also starts its clock. */
static inline void
VSLb_ts_req(struct req *req, const char *event, vtim_real now)
{

	if (req->t_first == 0. || isnan(req->t_first)) {
		req->t_first = now;
		req->t_prev = now;
	}
	VSLb_ts(req->vsl, event, req->t_first, &req->t_prev, now);
}

static inline void
VSLb_ts_busyobj(struct busyobj *bo, const char *event, vtim_real now)
{

	if (bo->t_first == 0. || isnan(bo->t_first)) {
		bo->t_first = now;
		bo->t_prev = now;
	}
	VSLb_ts(bo->vsl, event, bo->t_first, &bo->t_prev, now);
}

/* ---- misc ---- */

const char *VCL_Name(const struct vcl *);

typedef void *bgthread_t(struct worker *, void *priv);
void WRK_BgThread(pthread_t *thr, const char *name, bgthread_t *func,
    void *priv);

/* ---- workspace (ws.c) ---- */

void WS_Init(struct ws *ws, const char *id, void *space, unsigned len);

unsigned WS_ReserveSize(struct ws *, unsigned);
unsigned WS_ReserveAll(struct ws *);
void WS_Release(struct ws *ws, unsigned bytes);
void WS_ReleaseP(struct ws *ws, const char *ptr);
void WS_Assert(const struct ws *ws);
void WS_Reset(struct ws *ws, uintptr_t);
void *WS_Alloc(struct ws *ws, unsigned bytes);
void *WS_Copy(struct ws *ws, const void *str, int len);
uintptr_t WS_Snapshot(struct ws *ws);
int WS_Allocated(const struct ws *ws, const void *ptr, ssize_t len);
unsigned WS_Dump(const struct ws *ws, char, size_t off, void *buf, size_t len);

static inline void *
WS_Reservation(const struct ws *ws)
{

	WS_Assert(ws);
	AN(ws->r);
	AN(ws->f);
	return (ws->f);
}

static inline unsigned
WS_ReservationSize(const struct ws *ws)
{

	AN(ws->r);
	return ((unsigned)(ws->r - ws->f));
}

static inline unsigned
WS_ReserveLumps(struct ws *ws, size_t sz)
{

	AN(sz);
	return ((unsigned)(WS_ReserveAll(ws) / sz));
}

void WS_MarkOverflow(struct ws *ws);
int WS_Overflowed(const struct ws *ws);

const char *WS_Printf(struct ws *ws, const char *fmt, ...) v_printflike_(2, 3);

void WS_VSB_new(struct vsb *, struct ws *);
char *WS_VSB_finish(struct vsb *, struct ws *, size_t *);

/* vdisim only (varnishd-internal in Varnish), for the runtime and its tests. */
void WS_Id(const struct ws *ws, char *id);
void WS_Rollback(struct ws *ws, uintptr_t cookie);

#define WS_TASK_ALLOC_OBJ(ctx, ptr, magic)				\
	do {								\
		(ptr) = WS_Alloc((ctx)->ws, sizeof *(ptr));		\
		if ((ptr) == NULL)					\
			VRT_fail(ctx, "Out of workspace for " #magic);	\
		else							\
			INIT_OBJ(ptr, magic);				\
	} while (0)

/* ---- RFC 2616 helpers (rfc2616.c; the object ones are not simulated) ---- */

void RFC2616_Ttl(struct busyobj *, vtim_real now, vtim_real *t_origin,
    float *ttl, float *grace, float *keep);
unsigned RFC2616_Req_Gzip(const struct http *);
int RFC2616_Do_Cond(const struct req *sp);
void RFC2616_Weaken_Etag(struct http *hp);
void RFC2616_Vary_AE(struct http *hp);
const char * RFC2616_Strong_LM(const struct http *hp, struct worker *wrk,
    struct objcore *oc);

/* Also caches the time in the worker, as Varnish does. */
#define W_TIM_real(w)		((w)->lastused = VTIM_real())

#ifdef __cplusplus
}
#endif

#include "vdisim_alloc.h"

#endif /* CACHE_H_INCLUDED */
