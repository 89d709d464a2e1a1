/* cache/cache_filter.h -- Varnish 8.0.0's fetch (VFP) and delivery (VDP) filter API,
 * for VMODs that add body filters. Include after cache/cache.h. vdisim moves no
 * bodies: the structs and inline helpers are 8.0.0's, and every call that would run
 * a filter chain (VFP_Suck, VDP_bytes, VDPIO_*, VRT_AddFilter...) is refused. */

#ifndef CACHE_FILTER_H_INCLUDED
#define CACHE_FILTER_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

struct req;
struct vfp_entry;
struct vfp_ctx;
struct vdp_ctx;
struct vdp_entry;

/* DO_DEBUG and DBG_PROCESSORS are varnishd's; a VMOD using this does not build. */
#define VFP_DEBUG(ctx, fmt, ...)					\
	do {								\
		if (!DO_DEBUG(DBG_PROCESSORS))				\
			break;						\
		VSLb((ctx)->wrk->vsl, SLT_Debug, "VFP:%s:%d: " fmt,	\
		    __func__, __LINE__, __VA_ARGS__);			\
	} while (0)

/* ---- fetch filters: pull body bytes from the backend side ---- */

enum vfp_status {
	VFP_ERROR = -1,
	VFP_OK = 0,
	VFP_END = 1,
	VFP_NULL = 2,
};

typedef enum vfp_status vfp_init_f(VRT_CTX, struct vfp_ctx *,
    struct vfp_entry *);
typedef enum vfp_status
    vfp_pull_f(struct vfp_ctx *, struct vfp_entry *, void *ptr, ssize_t *len);
typedef void vfp_fini_f(struct vfp_ctx *, struct vfp_entry *);

struct vfp {
	const char		*name;
	vfp_init_f		*init;
	vfp_pull_f		*pull;
	vfp_fini_f		*fini;
	const void		*priv1;
};

struct vfp_entry {
	unsigned		magic;
#define VFP_ENTRY_MAGIC		0xbe32a027
	enum vfp_status		closed;
	const struct vfp	*vfp;
	void			*priv1;
	ssize_t			priv2;
	VTAILQ_ENTRY(vfp_entry)	list;
	uint64_t		calls;
	uint64_t		bytes_out;
};

VTAILQ_HEAD(vfp_entry_s, vfp_entry);

struct vfp_ctx {
	unsigned		magic;
#define VFP_CTX_MAGIC		0x61d9d3e5
	int			failed;
	struct http		*req;
	struct http		*resp;
	struct worker		*wrk;
	struct objcore		*oc;

	struct vfp_entry_s	vfp;
	struct vfp_entry	*vfp_nxt;
	unsigned		obj_flags;
};

enum vfp_status VFP_Suck(struct vfp_ctx *, void *p, ssize_t *lp);
enum vfp_status VFP_Error(struct vfp_ctx *, const char *fmt, ...)
    v_printflike_(2, 3);

/* ---- delivery filters: push body bytes to the client side ---- */

enum vdp_action {
	VDP_NULL,
	VDP_FLUSH,
	VDP_END,
};

typedef int vdp_init_f(VRT_CTX, struct vdp_ctx *, void **priv);
typedef int vdp_fini_f(struct vdp_ctx *, void **priv);
typedef int vdp_bytes_f(struct vdp_ctx *, enum vdp_action, void **priv,
    const void *ptr, ssize_t len);
typedef int vdpio_init_f(VRT_CTX, struct vdp_ctx *, void **priv, int capacity);
typedef int vdpio_lease_f(struct vdp_ctx *, struct vdp_entry *,
    struct vscarab *scarab);
typedef void vdpio_fini_f(struct vdp_ctx *, void **priv);

struct vdp {
	const char		*name;
	vdp_init_f		*init;
	vdp_bytes_f		*bytes;
	vdp_fini_f		*fini;
	const void		*priv1;

	vdpio_init_f		*io_init;
	vdpio_init_f		*io_upgrade;
	vdpio_lease_f		*io_lease;
	vdpio_fini_f		*io_fini;
};

struct vdp_entry {
	unsigned		magic;
#define VDP_ENTRY_MAGIC		0x353eb781
	enum vdp_action		end;
	const struct vdp	*vdp;
	void			*priv;
	VTAILQ_ENTRY(vdp_entry)	list;
	uint64_t		calls;
	uint64_t		bytes_in;
};

VTAILQ_HEAD(vdp_entry_s, vdp_entry);

struct vdp_ctx {
	unsigned		magic;
#define VDP_CTX_MAGIC		0xee501df7
	int			retval;
	uint64_t		bytes_done;
	struct vdp_entry_s	vdp;
	struct vdp_entry	*nxt;
	struct worker		*wrk;
	struct vsl_log		*vsl;
	struct objcore		*oc;
	struct http		*hp;
	intmax_t		*clen;
	vai_hdl			vai_hdl;
	struct vscaret		*scaret;
};

int VDP_bytes(struct vdp_ctx *, enum vdp_action act, const void *, ssize_t);

/* Leases from the filter before vdpe (the last one when NULL), else the object. */
static inline int
vdpio_pull(struct vdp_ctx *vdc, struct vdp_entry *vdpe, struct vscarab *scarab)
{
	struct vdp_entry *up;

	CHECK_OBJ_NOTNULL(vdc, VDP_CTX_MAGIC);
	if (vdpe == NULL) {
		up = VTAILQ_LAST(&vdc->vdp, vdp_entry_s);
	} else {
		CHECK_OBJ(vdpe, VDP_ENTRY_MAGIC);
		up = VTAILQ_PREV(vdpe, vdp_entry_s, list);
	}
	if (up == NULL)
		return (ObjVAIlease(vdc->wrk, vdc->vai_hdl, scarab));
	return (up->vdp->io_lease(vdc, up, scarab));
}

uint64_t VDPIO_Close1(struct vdp_ctx *, struct vdp_entry *vdpe);

/* Move l bytes from the front of buf to the end of out (which must follow on). */
static inline void
iovec_collect(struct iovec *buf, struct iovec *out, size_t l)
{
	if (out->iov_base == NULL)
		out->iov_base = buf->iov_base;
	assert((char *)out->iov_base + out->iov_len == buf->iov_base);
	out->iov_len += l;
	buf->iov_len -= l;
	buf->iov_base = (char *)buf->iov_base + l;
}

/* Queue a lease for return, returning the queue to the object when it is full. */
static inline void
vdpio_return_lease(const struct vdp_ctx *vdc, uint64_t lease)
{
	struct vscaret *ret;

	CHECK_OBJ_NOTNULL(vdc, VDP_CTX_MAGIC);
	ret = vdc->scaret;
	VSCARET_CHECK_NOTNULL(ret);
	if (ret->used == ret->capacity)
		ObjVAIreturn(vdc->wrk, vdc->vai_hdl, ret);
	VSCARET_ADD(ret, lease);
}

/* Return every lease of scarab and empty it. */
static inline void
vdpio_return_vscarab(const struct vdp_ctx *vdc, struct vscarab *scarab)
{
	struct viov *v;

	VSCARAB_CHECK_NOTNULL(scarab);
	VSCARAB_FOREACH(v, scarab)
		vdpio_return_lease(vdc, v->lease);
	AZ(v);
	VSCARAB_INIT(scarab, scarab->capacity);
}

/*
 * Return the leases of the empty viovs at the front of the used part and close
 * the gap they leave, as Varnish 8.0.0 does.
 */
static inline void
vdpio_consolidate_vscarab(const struct vdp_ctx *vdc, struct vscarab *scarab)
{
	struct viov *v, *gap = NULL;

	VSCARAB_CHECK_NOTNULL(scarab);
	VSCARAB_FOREACH(v, scarab) {
		if (v->iov.iov_len == 0) {
			AN(v->iov.iov_base);
			vdpio_return_lease(vdc, v->lease);
			if (gap == NULL)
				gap = v;
			continue;
		}
		if (gap == NULL)
			continue;
		memmove(gap, v, scarab->used - (v - scarab->s) * sizeof (*v));
		break;
	}
	if (gap != NULL)
		scarab->used = gap - scarab->s;
}

int VDPIO_Init(struct vdp_ctx *vdc, struct objcore *oc, struct ws *ws,
    vai_notify_cb *notify_cb, void *notify_priv, struct vscaret *scaret);
void VDPIO_Return(const struct vdp_ctx *vdc);
void VDPIO_Fini(struct vdp_ctx *vdc);

const char *VRT_AddFilter(VRT_CTX, const struct vfp *, const struct vdp *);
void VRT_RemoveFilter(VRT_CTX, const struct vfp *, const struct vdp *);

#ifdef __cplusplus
}
#endif

#endif /* CACHE_FILTER_H_INCLUDED */
