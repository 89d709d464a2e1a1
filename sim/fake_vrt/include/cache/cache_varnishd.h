/* cache/cache_varnishd.h -- the part of varnishd's private cache header that a vmod can
 * reach (Varnish 8.0.0 installs it for vmods such as varnish-modules' xkey and
 * bodyaccess): object events, expiry, bans, request bodies, busy objects, memory pools,
 * thread-local lookups, VCL references. Declarations only; what vdisim models and what
 * it refuses is listed in unsimulated.cpp (vdisim stores no objects, so an object event
 * is never sent, and a call that needs an object or a body fails like an assert).
 * varnishd's tunables (cache_param, common/common_param.h) are not provided: a vmod
 * that reads them does not compile against vdisim. */

#ifndef CACHE_VARNISHD_H_INCLUDED
#define CACHE_VARNISHD_H_INCLUDED

#include "cache/cache.h"
#include "cache/cache_filter.h"
#include "vsb.h"

#include <sys/socket.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vfp;
struct vdp;
struct cli_proto;
struct poolparam;
struct mempool;
struct pool;
struct ban;
struct v1l;
struct vcl;

/* ---- an HTTP connection being read (client or backend side) ---- */

struct http_conn {
	unsigned		magic;
#define HTTP_CONN_MAGIC		0x3e19edd1
	int			*rfd;
	stream_close_t		doclose;
	body_status_t		body_status;
	struct ws		*ws;
	char			*rxbuf_b;
	char			*rxbuf_e;
	char			*pipeline_b;
	char			*pipeline_e;
	ssize_t			content_length;
	void			*priv;
	vtim_dur		first_byte_timeout;
	vtim_dur		between_bytes_timeout;
};

enum htc_status_e {
#define HTC_STATUS(e, n, s, l) HTC_S_ ## e = n,
#include "tbl/htc.h"
};

typedef enum htc_status_e htc_complete_f(struct http_conn *);

void HTC_Status(enum htc_status_e, const char **, const char **);

/* ---- VCF: a hook into the cache lookup ---- */

struct vcf_return {
	const char		*name;
};

#define VCF_RETURNS()		\
	VCF_RETURN(CONTINUE)	\
	VCF_RETURN(DEFAULT)	\
	VCF_RETURN(MISS)	\
	VCF_RETURN(HIT)

#define VCF_RETURN(x) extern const struct vcf_return VCF_##x[1];
VCF_RETURNS()
#undef VCF_RETURN

typedef const struct vcf_return *vcf_func_f(struct req *req,
    struct objcore **oc, struct objcore **oc_exp, int state);

struct vcf {
	unsigned		magic;
#define VCF_MAGIC		0x183285d1
	vcf_func_f		*func;
	void			*priv;
};

/* ---- bans and busy objects ---- */

struct ban *BAN_FindBan(vtim_real t0);
void BAN_RefBan(struct objcore *oc, struct ban *);
vtim_real BAN_Time(const struct ban *ban);

struct busyobj *VBO_GetBusyObj(const struct worker *, const struct req *);
void VBO_ReleaseBusyObj(struct worker *wrk, struct busyobj **busyobj);

/* ---- directors, from the cache side ---- */

int VDI_GetHdr(struct busyobj *);
VCL_IP VDI_GetIP(struct busyobj *);
void VDI_Finish(struct busyobj *bo);
stream_close_t VDI_Http1Pipe(struct req *, struct busyobj *);
void VDI_Panic(const struct director *, struct vsb *, const char *nm);
void VDI_Event(const struct director *d, enum vcl_event_e ev);

/* ---- delivery and fetch processors ---- */

int VDP_Push(VRT_CTX, struct vdp_ctx *, struct ws *, const struct vdp *,
    void *priv);
uint64_t VDP_Close(struct vdp_ctx *, struct objcore *, struct boc *);
int VDP_DeliverObj(struct vdp_ctx *vdc, struct objcore *oc);
int VDPIO_Upgrade(VRT_CTX, struct vdp_ctx *vdc);
int VDPIO_Push(VRT_CTX, struct vdp_ctx *, struct ws *, const struct vdp *,
    void *priv);

struct vfp_entry *VFP_Push(struct vfp_ctx *, const struct vfp *);
enum vfp_status VFP_GetStorage(struct vfp_ctx *, ssize_t *sz, uint8_t **ptr);
void VFP_Extend(const struct vfp_ctx *, ssize_t sz, enum vfp_status);
void VFP_Setup(struct vfp_ctx *vc, struct worker *wrk);
int VFP_Open(VRT_CTX, struct vfp_ctx *);
uint64_t VFP_Close(struct vfp_ctx *);

/* ---- expiry ---- */

vtim_real EXP_Ttl(const struct req *, const struct objcore *);
vtim_real EXP_Ttl_grace(const struct req *, const struct objcore *oc);
void EXP_Rearm(struct objcore *oc, vtim_real now,
    vtim_dur ttl, vtim_dur grace, vtim_dur keep);
void EXP_Reduce(struct objcore *oc, vtim_real now,
    vtim_dur ttl, vtim_dur grace, vtim_dur keep);

/* Time to live left at the request's start. */
#define EXP_Dttl(req, oc) ((oc)->ttl - ((req)->t_req - (oc)->t_origin))

#define EXP_ZERO(xx)					\
	do {						\
		(xx)->t_origin = 0.0;			\
		(xx)->ttl = 0.0;			\
		(xx)->grace = 0.0;			\
		(xx)->keep = 0.0;			\
	} while (0)

#define EXP_COPY(to, fm)				\
	do {						\
		(to)->t_origin = (fm)->t_origin;	\
		(to)->ttl = (fm)->ttl;			\
		(to)->grace = (fm)->grace;		\
		(to)->keep = (fm)->keep;		\
	} while (0)

/* When the object leaves the cache altogether. */
#define EXP_WHEN(to) \
	((to)->t_origin + (to)->ttl + (to)->grace + (to)->keep)

/* ---- objects: writing, state, events ---- */

int ObjGetSpace(struct worker *, struct objcore *, ssize_t *sz, uint8_t **ptr);
void ObjExtend(struct worker *, struct objcore *, ssize_t l, int final);
uint64_t ObjWaitExtend(const struct worker *, const struct objcore *,
    uint64_t l, enum boc_state_e *statep);
void ObjSetState(struct worker *, struct objcore *, enum boc_state_e next,
    unsigned broadcast);
void ObjWaitState(const struct objcore *, enum boc_state_e want);
void ObjTouch(struct worker *, struct objcore *, vtim_real now);
void ObjFreeObj(struct worker *, struct objcore *);
void ObjSlim(struct worker *, struct objcore *);
void *ObjSetAttr(struct worker *, struct objcore *, enum obj_attr,
    ssize_t len, const void *);
int ObjCopyAttr(struct worker *, struct objcore *, struct objcore *,
    enum obj_attr attr);
void ObjBocDone(struct worker *, struct objcore *, struct boc **);
int ObjSetDouble(struct worker *, struct objcore *, enum obj_attr, double);
int ObjSetU64(struct worker *, struct objcore *, enum obj_attr, uint64_t);
int ObjSetXID(struct worker *, struct objcore *, vxid_t);
void ObjSetFlag(struct worker *, struct objcore *, enum obj_flags of, int val);
void ObjSendEvent(struct worker *, struct objcore *oc, unsigned event);

#define OEV_INSERT	(1U<<1)
#define OEV_BANCHG	(1U<<2)
#define OEV_TTLCHG	(1U<<3)
#define OEV_EXPIRE	(1U<<4)
#define OEV_MASK	(OEV_INSERT|OEV_BANCHG|OEV_TTLCHG|OEV_EXPIRE)

typedef void obj_event_f(struct worker *, void *priv, struct objcore *,
    unsigned);

uintptr_t ObjSubscribeEvents(obj_event_f *, void *, unsigned mask);
void ObjUnsubscribeEvents(uintptr_t *);

/* ---- worker pools, ids, thread-local lookups, memory pools ---- */

int Pool_Task(struct pool *pp, struct pool_task *task, enum task_prio prio);
int Pool_Task_Arg(struct worker *, enum task_prio, task_func_t *,
    const void *arg, size_t arg_len);
int Pool_Task_Any(struct pool_task *task, enum task_prio prio);

vxid_t VXID_Get(const struct worker *, uint64_t marker);

void THR_SetName(const char *name);
const char *THR_GetName(void);
struct busyobj *THR_GetBusyobj(void);
struct req *THR_GetRequest(void);
struct worker *THR_GetWorker(void);

void MPL_AssertSane(const void *item);
struct mempool *MPL_New(const char *name, volatile struct poolparam *pp,
    volatile unsigned *cur_size);
void MPL_Destroy(struct mempool **mpp);
void *MPL_Get(struct mempool *mpl, unsigned *size);
void MPL_Free(struct mempool *mpl, void *item);

/* ---- requests, request bodies, sessions ---- */

void Req_Rollback(VRT_CTX);
void Bereq_Rollback(VRT_CTX);

int VRB_Ignore(struct req *);
ssize_t VRB_Cache(struct req *, ssize_t maxsize);
void VRB_Free(struct req *);

void SES_Ref(struct sess *sp);
void SES_Rel(struct sess *sp);
#define SESS_ATTR(UP, low, typ, len)					\
	int SES_Set_##low(const struct sess *sp, const typ *src);	\
	int SES_Reserve_##low(struct sess *sp, typ **dst, ssize_t *sz);
#include "tbl/sess_attr.h"
int SES_Set_String_Attr(struct sess *sp, enum sess_attr a, const char *src);

void VSL_Flush(struct vsl_log *, int overflow);

/* ---- VCLs ---- */

typedef int vcl_be_func(struct cli *, struct director *, void *);
int VCL_IterDirector(struct cli *, const char *, vcl_be_func *, void *);
const char *VCL_Return_Name(unsigned);
const char *VCL_Method_Name(unsigned);
void VCL_Ref(struct vcl *);
void VCL_Rel(struct vcl **);
VCL_BACKEND VCL_DefaultDirector(const struct vcl *);
const struct vrt_backend_probe *VCL_DefaultProbe(const struct vcl *);

void WRK_Log(enum VSL_tag_e, const char *, ...);

#ifdef __cplusplus
}
#endif

#endif /* CACHE_VARNISHD_H_INCLUDED */
