/* hash.c -- vmod directors' hash: .backend(STRANDS) picks at call time by the
 * key's VRT_HashStrands32 (SHA-256, last 4 bytes little-endian) scaled into
 * [0, 1), weighted over the backends healthy right then (spec F7). Not
 * consistent: a health change moves keys of every backend. The director itself
 * never resolves (no resolve callback), as in Varnish. */

#include "cache/cache.h"

#include "vcc_directors_if.h"

#include "vmod_directors.h"

/* Nothing of its own: the vdir is all its state. */
struct vmod_directors_hash {
	unsigned			magic;
#define VMOD_DIRECTORS_HASH_MAGIC	0xc08dd611
	struct vdir			*vd;
};

static void v_matchproto_(vdi_panic_f)
hash_panic(VCL_BACKEND dir, struct vsb *vsb)
{

	VSB_printf(vsb, "hash = {n_backend = %u},\n", vdir_of(dir)->n_backend);
}

static const struct vdi_methods hash_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"hash",
	.healthy =	vdir_healthy,
	.release =	vdir_release,
	.destroy =	vdir_destroy,
	.panic =	hash_panic,
	.list =		vdir_list_weighted,
}};

VDIR_OBJ_INIT(hash, VMOD_DIRECTORS_HASH_MAGIC, hash_methods)
VDIR_OBJ_FINI(hash, VMOD_DIRECTORS_HASH_MAGIC)
VDIR_OBJ_ADD_BACKEND_WEIGHTED(hash, VMOD_DIRECTORS_HASH_MAGIC)
VDIR_OBJ_REMOVE_BACKEND(hash, VMOD_DIRECTORS_HASH_MAGIC, NULL)

VCL_BACKEND
vmod_hash_backend(VRT_CTX, struct vmod_directors_hash *hs, VCL_STRANDS s)
{
	double r;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(hs, VMOD_DIRECTORS_HASH_MAGIC);
	AN(s);
	r = scalbn((double)VRT_HashStrands32(s), -32);
	assert(r >= 0.0 && r < 1.0);
	return (vdir_pick_be(ctx, hs->vd, r));
}
