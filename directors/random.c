/* random.c -- vmod directors' random: a weighted draw among the backends that
 * are healthy at resolve time (spec F6). The draw comes from Varnish's testable
 * generator, so a seeded run (varnishtest, vdisim) picks the same sequence. */

#include "cache/cache.h"

#include "vrnd.h"

#include "vcc_directors_if.h"

#include "vmod_directors.h"

/* Nothing of its own: the vdir is all its state. */
struct vmod_directors_random {
	unsigned			magic;
#define VMOD_DIRECTORS_RANDOM_MAGIC	0x4732d092
	struct vdir			*vd;
};

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
rnd_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vdir *vd = vdir_of(dir);
	double r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	/* 31 random bits scaled into [0, 1). */
	r = scalbn((double)VRND_RandomTestable(), -31);
	assert(r >= 0.0 && r < 1.0);
	return (vdir_pick_be(ctx, vd, r));
}

static void v_matchproto_(vdi_panic_f)
rnd_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct vdir *vd = vdir_of(dir);

	VSB_printf(vsb, "random = {n_backend = %u, total_weight = %f},\n",
	    vd->n_backend, vd->total_weight);
}

static const struct vdi_methods rnd_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"random",
	.healthy =	vdir_healthy,
	.resolve =	rnd_resolve,
	.release =	vdir_release,
	.destroy =	vdir_destroy,
	.panic =	rnd_panic,
	.list =		vdir_list_weighted,
}};

VDIR_OBJ_INIT(random, VMOD_DIRECTORS_RANDOM_MAGIC, rnd_methods)
VDIR_OBJ_FINI(random, VMOD_DIRECTORS_RANDOM_MAGIC)
VDIR_OBJ_ADD_BACKEND_WEIGHTED(random, VMOD_DIRECTORS_RANDOM_MAGIC)
VDIR_OBJ_REMOVE_BACKEND(random, VMOD_DIRECTORS_RANDOM_MAGIC, NULL)

VCL_BACKEND
vmod_random_backend(VRT_CTX, struct vmod_directors_random *rnd)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rnd, VMOD_DIRECTORS_RANDOM_MAGIC);
	return (rnd->vd->dir);
}
