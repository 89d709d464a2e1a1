/* vmod_directors.h -- the shared "set of weighted backends" of vmod directors
 * (struct vdir), used by round_robin, fallback, random, hash and dynamic.
 * Every backend slot holds a reference taken with VRT_Assign_Backend (spec A5);
 * vdir_release() drops them all and none may be gained afterwards (B2).
 * Plain C11 over the Varnish headers only: it builds as a real vmod too. */

#ifndef VMOD_DIRECTORS_H_INCLUDED
#define VMOD_DIRECTORS_H_INCLUDED

struct vbitmap;

struct vdir {
	unsigned			magic;
#define VDIR_MAGIC			0x99f4b726
	pthread_rwlock_t		mtx;
	unsigned			n_backend;	/* slots in use */
	unsigned			l_backend;	/* slots allocated */
	unsigned			n_healthy;	/* as of the last update */
	VCL_BACKEND			*backend;
	double				*weight;
	double				total_weight;	/* of the healthy ones */
	VCL_BACKEND			dir;		/* our director, NULL after __fini */
	struct vbitmap			*healthy;
};

/* Life cycle: new from __init, release from the release callback,
 * delete from destroy (after release: no backends, no director). */
void vdir_new(VRT_CTX, struct vdir **vdp, const char *vcl_name,
    const struct vdi_methods *m, void *priv);
void vdir_release(struct vdir *vd);
void vdir_delete(struct vdir **vdp);

void vdir_rdlock(struct vdir *vd);
void vdir_wrlock(struct vdir *vd);
void vdir_unlock(struct vdir *vd);

void vdir_add_backend(VRT_CTX, struct vdir *vd, VCL_BACKEND be,
    double weight);
/* cur: an index the caller keeps into the backend array, or NULL (F1). */
void vdir_remove_backend(VRT_CTX, struct vdir *vd, VCL_BACKEND be,
    unsigned *cur);

VCL_BOOL vdir_any_healthy(VRT_CTX, struct vdir *vd, VCL_TIME *changed);
/* Caller holds the lock (a write lock if it needs a consistent total). */
void vdir_update_health(VRT_CTX, struct vdir *vd);
/* w in [0, 1): weighted pick among the healthy backends, NULL if none. */
VCL_BACKEND vdir_pick_be(VRT_CTX, struct vdir *vd, double w);
/* backend.list output; weight != 0 adds the weight column. */
void vdir_list(VRT_CTX, struct vdir *vd, struct vsb *vsb, int pflag,
    int jflag, int weight);

#endif /* VMOD_DIRECTORS_H_INCLUDED */
