/* cache/vdisim_obj.h -- the object-access part of Varnish 8.0.0's cache.h (Obj*, the
 * asynchronous iteration VAI with its VSCARAB/VSCARET arrays, the VFLA helpers), kept in
 * its own file for length. Only cache/cache.h includes it; vdisim stores no objects, so
 * every Obj* call is refused at run time (unsimulated.cpp). */

#ifndef CACHE_VDISIM_OBJ_H_INCLUDED
#define CACHE_VDISIM_OBJ_H_INCLUDED

#ifndef CACHE_H_INCLUDED
#  error "include cache/cache.h, not cache/vdisim_obj.h"
#endif

int ObjHasAttr(struct worker *, struct objcore *, enum obj_attr);
const void *ObjGetAttr(struct worker *, struct objcore *, enum obj_attr,
    ssize_t *len);

typedef int objiterate_f(void *priv, unsigned flush,
    const void *ptr, ssize_t len);
#define OBJ_ITER_FLUSH	0x01
#define OBJ_ITER_END	0x02

int ObjIterate(struct worker *, struct objcore *,
    void *priv, objiterate_f *func, int final);

vxid_t ObjGetXID(struct worker *, struct objcore *);
uint64_t ObjGetLen(struct worker *, struct objcore *);
int ObjGetDouble(struct worker *, struct objcore *, enum obj_attr, double *);
int ObjGetU64(struct worker *, struct objcore *, enum obj_attr, uint64_t *);
int ObjCheckFlag(struct worker *, struct objcore *, enum obj_flags of);

/* ---- asynchronous iteration: leases of object bytes ---- */

typedef void *vai_hdl;
typedef void vai_notify_cb(vai_hdl, void *priv);

struct viov {
	uint64_t	lease;
	struct iovec	iov;
};

struct vscarab {
	unsigned	magic;
#define VSCARAB_MAGIC	0x05ca7ab0
	unsigned	flags;
#define VSCARAB_F_END	1
	unsigned	capacity;
	unsigned	used;
	struct viov	s[] v_counted_by_(capacity);
};

/*
 * VFLA: a miniobj ending in a flexible array member `fam` with `capacity`
 * slots of which `used` are taken.
 */
#define VFLA_SIZE(type, fam, cap)					\
	(offsetof(struct type, fam) +					\
	    (cap) * sizeof(((struct type *)0)->fam[0]))
#define VFLA_INIT_(type, cptr, mag, fam, cap, save)			\
	do {								\
		unsigned save = (cap);					\
		AN(save);						\
		memset((cptr), 0, VFLA_SIZE(type, fam, save));		\
		(cptr)->magic = (mag);					\
		(cptr)->capacity = (save);				\
	} while (0)
#define VFLA_INIT(type, cptr, mag, fam, cap)				\
	VFLA_INIT_(type, cptr, mag, fam, cap, VUNIQ_NAME(vfla_cap_))
/* A VFLA on the stack: a char buffer of the right size, then a typed pointer. */
#define VFLA_LOCAL_(type, name, mag, fam, cap, bufname)			\
	char bufname[VFLA_SIZE(type, fam, cap)];			\
	struct type *name = (void *)bufname;				\
	VFLA_INIT(type, name, mag, fam, cap)
#define VFLA_LOCAL(type, name, mag, fam, cap)				\
	VFLA_LOCAL_(type, name, mag, fam, cap, VUNIQ_NAME(vfla_buf_))
#define VFLA_ALLOC(type, name, mag, fam, cap)				\
	do {								\
		(name) = malloc(VFLA_SIZE(type, fam, cap));		\
		if ((name) != NULL)					\
			VFLA_INIT(type, name, mag, fam, cap);		\
	} while (0)
/* var walks the used slots and is NULL after the last one. */
#define VFLA_FOREACH(var, cptr, fam)					\
	for ((var) = &(cptr)->fam[0];					\
	    ((var) = ((var) < &(cptr)->fam[(cptr)->used] ?		\
	    (var) : NULL)) != NULL;					\
	    (var)++)
#define VFLA_FOREACH_RESUME(var, cptr, fam)				\
	for (;								\
	    (var) != NULL && ((var) = ((var) <				\
	    &(cptr)->fam[(cptr)->used] ? (var) : NULL)) != NULL;	\
	    (var)++)
#define VFLA_GET(cptr, fam)						\
	((cptr)->used < (cptr)->capacity ?				\
	    &(cptr)->fam[(cptr)->used++] : NULL)
#define VFLA_ADD(cptr, fam, val)					\
	do {								\
		assert((cptr)->used < (cptr)->capacity);		\
		(cptr)->fam[(cptr)->used++] = (val);			\
	} while (0)

#define VSCARAB_SIZE(cap)	VFLA_SIZE(vscarab, s, cap)
#define VSCARAB_INIT(scarab, cap)					\
	VFLA_INIT(vscarab, scarab, VSCARAB_MAGIC, s, cap)
#define VSCARAB_LOCAL(scarab, cap)					\
	VFLA_LOCAL(vscarab, scarab, VSCARAB_MAGIC, s, cap)
#define VSCARAB_ALLOC(scarab, cap)					\
	VFLA_ALLOC(vscarab, scarab, VSCARAB_MAGIC, s, cap)
#define VSCARAB_FOREACH(var, scarab)	VFLA_FOREACH(var, scarab, s)
#define VSCARAB_FOREACH_RESUME(var, scarab)				\
	VFLA_FOREACH_RESUME(var, scarab, s)
#define VSCARAB_GET(scarab)		VFLA_GET(scarab, s)
#define VSCARAB_ADD(scarab, val)	VFLA_ADD(scarab, s, val)
#define VSCARAB_ADD_IOV_NORET(scarab, vec)				\
	VSCARAB_ADD(scarab,						\
	    ((struct viov){ .lease = VAI_LEASE_NORET, .iov = (vec) }))
#define VSCARAB_LAST(scarab)						\
	((scarab)->used > 0 ? &(scarab)->s[(scarab)->used - 1] : NULL)

#define VSCARAB_CHECK(scarab)						\
	do {								\
		CHECK_OBJ(scarab, VSCARAB_MAGIC);			\
		assert((scarab)->used <= (scarab)->capacity);		\
	} while (0)

#define VSCARAB_CHECK_NOTNULL(scarab)					\
	do {								\
		AN(scarab);						\
		VSCARAB_CHECK(scarab);					\
	} while (0)

struct vscaret {
	unsigned	magic;
#define VSCARET_MAGIC	0x9c1f3d7b
	unsigned	capacity;
	unsigned	used;
	uint64_t	lease[] v_counted_by_(capacity);
};

#define VSCARET_SIZE(cap)	VFLA_SIZE(vscaret, lease, cap)
#define VSCARET_INIT(scaret, cap)					\
	VFLA_INIT(vscaret, scaret, VSCARET_MAGIC, lease, cap)
#define VSCARET_LOCAL(scaret, cap)					\
	VFLA_LOCAL(vscaret, scaret, VSCARET_MAGIC, lease, cap)
#define VSCARET_ALLOC(scaret, cap)					\
	VFLA_ALLOC(vscaret, scaret, VSCARET_MAGIC, lease, cap)
#define VSCARET_FOREACH(var, scaret)	VFLA_FOREACH(var, scaret, lease)
#define VSCARET_GET(scaret)		VFLA_GET(scaret, lease)
#define VSCARET_ADD(scaret, val)	VFLA_ADD(scaret, lease, val)

#define VSCARET_CHECK(scaret)						\
	do {								\
		CHECK_OBJ(scaret, VSCARET_MAGIC);			\
		assert((scaret)->used <= (scaret)->capacity);		\
	} while (0)

#define VSCARET_CHECK_NOTNULL(scaret)					\
	do {								\
		AN(scaret);						\
		VSCARET_CHECK(scaret);					\
	} while (0)

/* A lease that goes back to nobody (static or borrowed bytes); never 0. */
#define VAI_LEASE_NORET		((uint64_t)0x8)

vai_hdl ObjVAIinit(struct worker *, struct objcore *, struct ws *,
    vai_notify_cb *, void *);
int ObjVAIlease(struct worker *, vai_hdl, struct vscarab *);
int ObjVAIbuffer(struct worker *, vai_hdl, struct vscarab *);
void ObjVAIreturn(struct worker *, vai_hdl, struct vscaret *);
void ObjVAIfini(struct worker *, vai_hdl *);

#endif /* CACHE_VDISIM_OBJ_H_INCLUDED */
