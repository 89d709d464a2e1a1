/* round_robin.c -- vmod directors' round_robin: each resolve returns the next
 * healthy backend after the previous pick (spec F4). The position is advanced
 * under the read lock, as Varnish does: concurrent picks may repeat a backend.
 * Unlike Varnish, remove_backend adjusts that position, so it never points
 * past the last backend (F4 notes the stale slot Varnish can read). */

#include "cache/cache.h"

#include "vcc_directors_if.h"

#include "vmod_directors.h"

struct vmod_directors_round_robin {
	unsigned			magic;
#define VMOD_DIRECTORS_ROUND_ROBIN_MAGIC	0xa80970cf
	struct vdir			*vd;
	unsigned			nxt;
};

static struct vmod_directors_round_robin *
rr_of(VCL_BACKEND dir)
{
	struct vmod_directors_round_robin *rr;

	CAST_OBJ_NOTNULL(rr, vdir_of(dir)->priv,
	    VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	return (rr);
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
rr_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vmod_directors_round_robin *rr = rr_of(dir);
	struct vdir *vd;
	VCL_BACKEND be, found = NULL;
	unsigned u, n, nxt;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	vd = rr->vd;
	vdir_rdlock(vd);
	n = vd->n_backend;
	nxt = rr->nxt;
	/* remove_backend() keeps nxt in range (unlike Varnish's, F4). */
	assert(n == 0 || nxt < n);
	for (u = 0; u < n; u++) {
		be = vd->backend[nxt];
		nxt = (nxt + 1) % n;
		CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
		if (VRT_Healthy(ctx, be, NULL)) {
			found = be;
			break;
		}
	}
	rr->nxt = nxt;
	vdir_unlock(vd);
	return (found);
}

static void v_matchproto_(vdi_panic_f)
rr_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct vmod_directors_round_robin *rr = rr_of(dir);

	VSB_printf(vsb, "round_robin = {n_backend = %u, nxt = %u},\n",
	    rr->vd->n_backend, rr->nxt);
}

static const struct vdi_methods rr_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"round-robin",
	.healthy =	vdir_healthy,
	.resolve =	rr_resolve,
	.release =	vdir_release,
	.destroy =	vdir_destroy,
	.panic =	rr_panic,
	.list =		vdir_list,
}};

VDIR_OBJ_INIT(round_robin, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC, rr_methods)
VDIR_OBJ_FINI(round_robin, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC)
VDIR_OBJ_ADD_BACKEND(round_robin, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC)
VDIR_OBJ_REMOVE_BACKEND(round_robin, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC, &obj->nxt)

VCL_BACKEND
vmod_round_robin_backend(VRT_CTX, struct vmod_directors_round_robin *rr)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(rr, VMOD_DIRECTORS_ROUND_ROBIN_MAGIC);
	return (rr->vd->dir);
}
