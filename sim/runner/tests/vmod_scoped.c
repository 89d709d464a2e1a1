/* vmod_scoped.c -- each restricted entry point asserts the subroutine it was called in:
 * a call where its $Restrict forbids it (which VCC would refuse) fails the run. */

#include <stdlib.h>

#include "cache/cache.h"
#include "vcl.h"

#include "vcc_scoped_if.h"

struct vmod_scoped_gate {
	unsigned		magic;
#define SCOPED_GATE_MAGIC	0x5c09ed01
	VCL_BACKEND		be;
	int			sealed;
};

VCL_VOID
vmod_gate__init(VRT_CTX, struct vmod_scoped_gate **gp, const char *vcl_name,
    VCL_BACKEND be)
{
	struct vmod_scoped_gate *g;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(gp);
	AZ(*gp);
	(void)vcl_name;
	ALLOC_OBJ(g, SCOPED_GATE_MAGIC);
	AN(g);
	VRT_Assign_Backend(&g->be, be);
	*gp = g;
}

VCL_VOID
vmod_gate__fini(struct vmod_scoped_gate **gp)
{
	struct vmod_scoped_gate *g;

	TAKE_OBJ_NOTNULL(g, gp, SCOPED_GATE_MAGIC);
	VRT_Assign_Backend(&g->be, NULL);
	FREE_OBJ(g);
}

VCL_BACKEND
vmod_gate_backend(VRT_CTX, struct vmod_scoped_gate *g)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(g, SCOPED_GATE_MAGIC);
	return (g->be);
}

VCL_VOID
vmod_gate_seal(VRT_CTX, struct vmod_scoped_gate *g)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(g, SCOPED_GATE_MAGIC);
	assert(ctx->method == VCL_MET_INIT);
	g->sealed = 1;
}

VCL_VOID
vmod_gate_peek(VRT_CTX, struct vmod_scoped_gate *g)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(g, SCOPED_GATE_MAGIC);
	AN(ctx->method & VCL_MET_TASK_B);
	VSLb(ctx->vsl, SLT_Debug, "scoped: gate peek %s", VRT_BACKEND_string(g->be));
}

VCL_BACKEND
vmod_find(VRT_CTX, VCL_STRING name)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(ctx->method & VCL_MET_TASK_H);
	return (VRT_LookupDirector(ctx, name));
}

VCL_VOID
vmod_note(VRT_CTX)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	assert(ctx->method == VCL_MET_BACKEND_RESPONSE);
	VSLb(ctx->vsl, SLT_Debug, "scoped: response");
}
