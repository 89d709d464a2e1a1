/* cache/cache.h -- umbrella a VMOD includes first: vdef/vrt/vas/miniobj/vtim/vsb, Lck_*,
 * WS_* (in ws.c), VSL*, and the pthread redirection of vdisim_pthread.h. Used by director
 * C code and the C++ runtime (which defines Lck_*, VSL*); busyobj/req/vsl_log stay opaque. */

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

#include "vdef.h"
#include "vrt.h"
#include "vas.h"
#include "miniobj.h"
#include "vtim.h"
#include "vsb.h"
#include "vdisim_pthread.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DIGEST_LEN		32

/* ---- transaction ids ---- */

struct vxids {
	uint64_t	vxid;
};
typedef struct vxids vxid_t;

#define NO_VXID			((struct vxids){0})
#define IS_NO_VXID(x)		((x).vxid == 0)
#define IS_SAME_VXID(x, y)	((x).vxid == (y).vxid)

/* ---- why a connection closed (vdi_http1pipe_f returns one) ---- */

struct stream_close {
	unsigned	magic;
#define STREAM_CLOSE_MAGIC	0xc879c93d
	int		idx;
	unsigned	is_err;
	const char	*name;
	const char	*desc;
};
extern const struct stream_close SC_NULL[1];
extern const struct stream_close SC_TX_PIPE[1];
extern const struct stream_close SC_TX_ERROR[1];

/* ---- locks: a handle the runtime fills in; always use the Lck_ macros ---- */

struct lock { void *priv; };	/* opaque */

struct VSC_lck;
struct vsc_seg;

/* Call only through the macros below (they supply the call site). */
void Lck__Lock(struct lock *lck, const char *func, int line);
void Lck__Unlock(struct lock *lck, const char *func, int line);
int Lck__Trylock(struct lock *lck, const char *func, int line);
void Lck__New(struct lock *lck, struct VSC_lck *cls, const char *name);
int Lck__Held(const struct lock *lck);
int Lck__Owned(const struct lock *lck);

void Lck_Delete(struct lock *lck);
int Lck_CondWaitUntil(pthread_cond_t *cond, struct lock *lck, vtim_real when);
int Lck_CondWait(pthread_cond_t *cond, struct lock *lck);
int Lck_CondWaitTimeout(pthread_cond_t *cond, struct lock *lck,
    vtim_dur timeout);

#define Lck_New(a, b)		Lck__New(a, b, #b)
#define Lck_Lock(a)		Lck__Lock(a, __func__, __LINE__)
#define Lck_Unlock(a)		Lck__Unlock(a, __func__, __LINE__)
#define Lck_Trylock(a)		Lck__Trylock(a, __func__, __LINE__)
#define Lck_AssertHeld(a)						\
	do {								\
		assert(Lck__Held(a));					\
		assert(Lck__Owned(a));					\
	} while (0)

struct VSC_lck *Lck_CreateClass(struct vsc_seg **, const char *name);
void Lck_DestroyClass(struct vsc_seg **);

/* Lock classes of trunk's tbl/locks.h ... */
extern struct VSC_lck *lck_ban;
extern struct VSC_lck *lck_busyobj;
extern struct VSC_lck *lck_cli;
extern struct VSC_lck *lck_director;
extern struct VSC_lck *lck_exp;
extern struct VSC_lck *lck_hcb;
extern struct VSC_lck *lck_lru;
extern struct VSC_lck *lck_mempool;
extern struct VSC_lck *lck_objhdr;
extern struct VSC_lck *lck_perpool;
extern struct VSC_lck *lck_pipestat;
extern struct VSC_lck *lck_probe;
extern struct VSC_lck *lck_sess;
extern struct VSC_lck *lck_conn_pool;
extern struct VSC_lck *lck_vbe;
extern struct VSC_lck *lck_vcapace;
extern struct VSC_lck *lck_vcashut;
extern struct VSC_lck *lck_vcl;
extern struct VSC_lck *lck_vxid;
extern struct VSC_lck *lck_waiter;
extern struct VSC_lck *lck_wq;
extern struct VSC_lck *lck_wstat;
/* ... and two older names (backend: before 7.0's move to director; vbp). */
extern struct VSC_lck *lck_backend;
extern struct VSC_lck *lck_vbp;

/* ---- workspace: bump allocator over one buffer [s, e) ---- */

#define WS_ID_SIZE		4

struct ws {
	unsigned	magic;
#define WS_MAGIC		0x35fac554
	char		id[WS_ID_SIZE];	/* lower case; upper-case id[0] = overflowed */
	char		*s;		/* start of buffer */
	char		*f;		/* free: first unallocated byte */
	char		*r;		/* end of the reservation, NULL if none */
	char		*e;		/* end of usable buffer */
};

/* id: at most 3 characters, first one lower case. len includes a guard zone. */
void WS_Init(struct ws *ws, const char *id, void *space, unsigned len);

/* Reserve exactly bytes (> 0); 0 and overflow marked if they do not fit. */
unsigned WS_ReserveSize(struct ws *, unsigned bytes);
/* Reserve all free space (may be 0); always follow with WS_Release(). */
unsigned WS_ReserveAll(struct ws *);
/* Keep bytes of the reservation (rounded up to pointer alignment). */
void WS_Release(struct ws *ws, unsigned bytes);
void WS_ReleaseP(struct ws *ws, const char *ptr);
void WS_Assert(const struct ws *ws);
/* Roll back to a WS_Snapshot() cookie; never clears the overflow mark. */
void WS_Reset(struct ws *ws, uintptr_t cookie);
void *WS_Alloc(struct ws *ws, unsigned bytes);
/* len == -1: copy a NUL-terminated string including the NUL. */
void *WS_Copy(struct ws *ws, const void *str, int len);
uintptr_t WS_Snapshot(struct ws *ws);
/* Is [ptr, ptr + len) allocated from ws? len < 0: strlen(ptr) + 1. */
int WS_Allocated(const struct ws *ws, const void *ptr, ssize_t len);

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

/* NUL-terminated result on the workspace, or NULL (overflow marked). */
const char *WS_Printf(struct ws *ws, const char *fmt, ...) v_printflike_(2, 3);

/* A VSB over all free workspace; WS_VSB_finish() keeps what was written. */
void WS_VSB_new(struct vsb *, struct ws *);
char *WS_VSB_finish(struct vsb *, struct ws *, size_t *szp);

/* Not in trunk's cache.h (varnishd-internal there), provided for the runtime. */
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

/* ---- shared-memory log ---- */

/* Varnish's names; the numbering is vdisim's own (only the runtime reads it). */
enum VSL_tag_e {
	SLT__Bogus = 0,
	SLT_Debug,
	SLT_Error,
	SLT_CLI,
	SLT_BackendOpen,
	SLT_BackendClose,
	SLT_FetchError,
	SLT_Backend_health,
	SLT_VCL_call,
	SLT_VCL_return,
	SLT_VCL_Log,
	SLT_VCL_Error,
	SLT_Begin,
	SLT_End,
	SLT_Link,
	SLT_Timestamp,
	SLT_Notice,
	SLT__Reserved = 254,
	SLT__Batch = 255
};

void VSLv(enum VSL_tag_e tag, vxid_t vxid, const char *fmt, va_list va);
void VSL(enum VSL_tag_e tag, vxid_t vxid, const char *fmt, ...)
    v_printflike_(3, 4);
void VSLs(enum VSL_tag_e tag, vxid_t vxid, const struct strands *s);
void VSLbv(struct vsl_log *, enum VSL_tag_e tag, const char *fmt, va_list va);
void VSLb(struct vsl_log *, enum VSL_tag_e tag, const char *fmt, ...)
    v_printflike_(3, 4);
void VSLbt(struct vsl_log *, enum VSL_tag_e tag, txt t);
void VSLbs(struct vsl_log *, enum VSL_tag_e tag, const struct strands *s);

/* ---- misc ---- */

const char *VCL_Name(const struct vcl *);

#ifdef __cplusplus
}
#endif

#include "vdisim_alloc.h"

#endif /* CACHE_H_INCLUDED */
