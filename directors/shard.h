/* shard.h -- internals of the shard director shared by shard.c (director and
 * VCL methods) and shard_cfg.c (staged changes and the hash ring).
 * Not a public header: only these two files include it. */

#ifndef SHARD_H_INCLUDED
#define SHARD_H_INCLUDED

#define SHARD_REPLICAS_DEFAULT	67

struct shard_be {
	VCL_BACKEND			backend;	/* one reference */
	char				*ident;		/* NULL: the backend name */
	uint32_t			replicas;
};

struct shard_point {
	uint32_t			point;
	unsigned			host;		/* index into backend[] */
};

struct vmod_directors_shard {
	unsigned			magic;
#define VMOD_DIRECTORS_SHARD_MAGIC	0x6e63e1bf
	pthread_rwlock_t		mtx;
	char				*name;
	VCL_BACKEND			dir;		/* NULL after __fini */
	unsigned			released;
	unsigned			n_backend;
	unsigned			l_backend;
	struct shard_be			*backend;
	uint32_t			n_points;
	struct shard_point		*ring;
	/* resolve=LAZY: how resolve() derives the key */
	VCL_ENUM			lazy_by;
	uint32_t			lazy_key;
	char				stage_id;	/* its address keys priv_task */
};

enum shard_op {
	SHARD_CLEAR = 1,
	SHARD_ADD,
	SHARD_REMOVE,
};

/* One staged change, on the task workspace. */
struct shard_task {
	unsigned			magic;
#define SHARD_TASK_MAGIC		0x1e1168af
	enum shard_op			op;
	VCL_BACKEND			backend;	/* one reference, or NULL */
	const char			*ident;
	double				weight;
	struct shard_task		*next;
};

/* The staged changes of one shard in one task (VRT_priv_task). */
struct shard_change {
	unsigned			magic;
#define SHARD_CHANGE_MAGIC		0xdff5c9a6
	struct vmod_directors_shard	*shard;
	struct shard_task		*first;
	struct shard_task		**tail;
};

struct shard_change *shard_change_get(VRT_CTX, struct vmod_directors_shard *);
VCL_BOOL shard_stage(VRT_CTX, struct vmod_directors_shard *, enum shard_op,
    VCL_BACKEND, VCL_STRING ident, double weight);
/* Applies and empties the staged list; 0 if the ring ends up empty. */
VCL_BOOL shard_apply(VRT_CTX, struct shard_change *, VCL_INT replicas);
void shard_change_drop(struct shard_change *);
/* Write lock held. */
void shard_clear_locked(struct vmod_directors_shard *);
void shard_ring_build(struct vmod_directors_shard *);

#endif /* SHARD_H_INCLUDED */
