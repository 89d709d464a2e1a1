/* A test-only director whose resolve crashes the process (SIGSEGV) on some seeds: the
 * first VRND draw of a run decides. Used to show simrun keeps every other seed's report. */
#include "cache/cache.h"
#include "vrnd.h"

#include "crash_director.h"

struct crasher {
	unsigned		magic;
#define CRASHER_MAGIC		0x0c7a5e11
	VCL_BACKEND		dir;
	VCL_BACKEND		child;
};

static int decided, crash;
static volatile int *volatile nowhere;

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
crasher_resolve(VRT_CTX, VCL_BACKEND d)
{
	struct crasher *c;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CAST_OBJ_NOTNULL(c, d->priv, CRASHER_MAGIC);
	if (!decided) {
		decided = 1;
		crash = (VRND_RandomTestable() % 4) == 0;
	}
	if (crash)
		*nowhere = 1;	/* the bug: a NULL write, as a real crash would be */
	return (c->child);
}

static void v_matchproto_(vdi_release_f)
crasher_release(VCL_BACKEND d)
{
	struct crasher *c;

	CAST_OBJ_NOTNULL(c, d->priv, CRASHER_MAGIC);
	VRT_Assign_Backend(&c->child, NULL);
}

static void v_matchproto_(vdi_destroy_f)
crasher_destroy(VCL_BACKEND d)
{
	struct crasher *c;

	CAST_OBJ_NOTNULL(c, d->priv, CRASHER_MAGIC);
	FREE_OBJ(c);
}

static const struct vdi_methods crasher_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"crasher",
	.resolve =	crasher_resolve,
	.release =	crasher_release,
	.destroy =	crasher_destroy,
}};

VCL_BACKEND
crash_director_new(VRT_CTX, const char *name)
{
	struct crasher *c;

	ALLOC_OBJ(c, CRASHER_MAGIC);
	AN(c);
	c->dir = VRT_AddDirector(ctx, crasher_methods, c, "%s", name);
	return (c->dir);
}

void
crash_director_add(VCL_BACKEND d, VCL_BACKEND child)
{
	struct crasher *c;

	CAST_OBJ_NOTNULL(c, d->priv, CRASHER_MAGIC);
	VRT_Assign_Backend(&c->child, child);
}
