/* vmod_directors.h -- the shared "set of weighted backends" of vmod directors
 * (struct vdir), used by round_robin, fallback, random and hash: the vdir is
 * their director's priv and does everything but resolve and panic for them.
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
	void				*priv;		/* the director's object */
};

/* Life cycle: new from __init, with the director's own object as priv (a
 * miniobj: magic first), which the vdir owns from then on; its director's
 * priv is the vdir. Delete (from destroy, after release: no backends, no
 * director) frees the vdir and that object. */
void vdir_new(VRT_CTX, struct vdir **vdp, const char *vcl_name,
    const struct vdi_methods *m, void *priv);
void vdir_delete(struct vdir **vdp);
struct vdir *vdir_of(VCL_BACKEND dir);

/* The callbacks a vdir director shares; list shows no weights, list_weighted
 * does (a column in the text, a field in JSON). */
vdi_healthy_f vdir_healthy;
vdi_release_f vdir_release;
vdi_destroy_f vdir_destroy;
vdi_list_f vdir_list;
vdi_list_f vdir_list_weighted;

void vdir_rdlock(struct vdir *vd);
void vdir_wrlock(struct vdir *vd);
void vdir_unlock(struct vdir *vd);

void vdir_add_backend(VRT_CTX, struct vdir *vd, VCL_BACKEND be,
    double weight);
/* cur: an index the caller keeps into the backend array, or NULL (F1). */
void vdir_remove_backend(VRT_CTX, struct vdir *vd, VCL_BACKEND be,
    unsigned *cur);

/* Caller holds the lock (a write lock if it needs a consistent total). */
void vdir_update_health(VRT_CTX, struct vdir *vd);
/* w in [0, 1): weighted pick among the healthy backends, NULL if none. */
VCL_BACKEND vdir_pick_be(VRT_CTX, struct vdir *vd, double w);

/* The VCL entry points of an object that is a vdir and nothing more (hash,
 * random, round_robin), written once: the object is struct vmod_directors_NAME,
 * a miniobj with MAGIC and its `struct vdir *vd`; in CUR and in the bodies it is
 * `obj`.
 * - __init makes the object and its vdir, with METHODS;
 * - __fini deletes its director: the object lives on until destroy, requests
 *   may still hold it (B1);
 * - add_backend takes a weight where the .vcc has one (_WEIGHTED), else 0;
 * - remove_backend passes CUR, the object's index into its backends or NULL. */
#define VDIR_OBJ_INIT(NAME, MAGIC, METHODS)					\
VCL_VOID									\
vmod_##NAME##__init(VRT_CTX, struct vmod_directors_##NAME **objp,		\
    const char *vcl_name)							\
{										\
	struct vmod_directors_##NAME *obj;					\
										\
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);					\
	AN(objp);								\
	AZ(*objp);								\
	ALLOC_OBJ(obj, MAGIC);							\
	AN(obj);								\
	*objp = obj;								\
	vdir_new(ctx, &obj->vd, vcl_name, METHODS, obj);			\
}

#define VDIR_OBJ_FINI(NAME, MAGIC)						\
VCL_VOID									\
vmod_##NAME##__fini(struct vmod_directors_##NAME **objp)			\
{										\
	struct vmod_directors_##NAME *obj;					\
										\
	TAKE_OBJ_NOTNULL(obj, objp, MAGIC);					\
	VRT_DelDirector(&obj->vd->dir);						\
}

#define VDIR_OBJ_ADD_BACKEND(NAME, MAGIC)					\
VCL_VOID									\
vmod_##NAME##_add_backend(VRT_CTX, struct vmod_directors_##NAME *obj,		\
    VCL_BACKEND be)								\
{										\
										\
	CHECK_OBJ_NOTNULL(obj, MAGIC);						\
	vdir_add_backend(ctx, obj->vd, be, 0.0);				\
}

#define VDIR_OBJ_ADD_BACKEND_WEIGHTED(NAME, MAGIC)				\
VCL_VOID									\
vmod_##NAME##_add_backend(VRT_CTX, struct vmod_directors_##NAME *obj,		\
    VCL_BACKEND be, VCL_REAL weight)						\
{										\
										\
	CHECK_OBJ_NOTNULL(obj, MAGIC);						\
	vdir_add_backend(ctx, obj->vd, be, weight);				\
}

#define VDIR_OBJ_REMOVE_BACKEND(NAME, MAGIC, CUR)				\
VCL_VOID									\
vmod_##NAME##_remove_backend(VRT_CTX, struct vmod_directors_##NAME *obj,	\
    VCL_BACKEND be)								\
{										\
										\
	CHECK_OBJ_NOTNULL(obj, MAGIC);						\
	vdir_remove_backend(ctx, obj->vd, be, CUR);				\
}

#endif /* VMOD_DIRECTORS_H_INCLUDED */
