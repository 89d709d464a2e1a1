/* cache/cache_backend.h -- Varnish 8.0.0's struct backend: what a director made by
 * VRT_new_backend() keeps in its priv (libvmod-dynamic casts d->priv to it and reads
 * vcl_name and endpoint), and the probe prototypes. Include after cache/cache.h.
 * vdisim's native backends start with this struct; the VBP_/VBE_ calls are refused. */

#ifndef CACHE_BACKEND_H_INCLUDED
#define CACHE_BACKEND_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

struct vbp_target;
struct vrt_ctx;
struct vrt_backend_probe;
struct conn_pool;
struct connwait;

struct backend {
	unsigned		magic;
#define BACKEND_MAGIC		0x64c4c7c6

	unsigned		n_conn;

	struct vrt_endpoint	*endpoint;

	VRT_BACKEND_FIELDS()

	unsigned		sick;
	vtim_real		changed;

	struct vbp_target	*probe;

	struct vsc_seg		*vsc_seg;
	struct VSC_vbe		*vsc;

	struct conn_pool	*conn_pool;

	VCL_BACKEND		director;

	VTAILQ_HEAD(, connwait)	cw_head;
	unsigned		cw_count;
};

void VBP_Update_Backend(struct vbp_target *vt);
void VBP_Insert(struct backend *b, struct vrt_backend_probe const *p,
    struct conn_pool *);
void VBP_Remove(struct backend *b);
void VBP_Control(const struct backend *b, int stop);
void VBP_Status(struct vsb *, const struct backend *, int details, int json);
void VBE_Connect_Error(struct VSC_vbe *, int err);

#ifdef __cplusplus
}
#endif

#endif /* CACHE_BACKEND_H_INCLUDED */
