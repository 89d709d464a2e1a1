/* vbh.c -- vdisim's VBH_* (vbh.h): an implicit binary heap in one growing array.
 * Slots are 1-based (slot 0 stays empty, so VBH_NOIDX never names an object);
 * every move is reported through the update callback. */

#include <stdlib.h>
#include <string.h>

#include "vdef.h"
#include "vas.h"
#include "miniobj.h"
#include "vbh.h"

struct vbh {
	unsigned	magic;
#define VBH_MAGIC	0xf581581aU
	void		*priv;
	vbh_cmp_t	*cmp;
	vbh_update_t	*update;
	void		**slot;		/* slot[1 .. used] hold objects */
	unsigned	used;
	unsigned	cap;		/* slot[] has cap + 1 entries */
};

#define VBH_ROOT	1U

static void
vbh_place(const struct vbh *bh, unsigned i, void *p)
{

	bh->slot[i] = p;
	if (bh->update != NULL)
		bh->update(bh->priv, p, i);
}

/* Move slot i toward the root while it beats its parent; returns where it stops. */
static unsigned
vbh_up(const struct vbh *bh, unsigned i)
{
	void *p = bh->slot[i];
	unsigned parent;

	while (i > VBH_ROOT) {
		parent = i / 2;
		if (!bh->cmp(bh->priv, p, bh->slot[parent]))
			break;
		vbh_place(bh, i, bh->slot[parent]);
		i = parent;
	}
	vbh_place(bh, i, p);
	return (i);
}

/* Move slot i away from the root while a child beats it. */
static unsigned
vbh_down(const struct vbh *bh, unsigned i)
{
	void *p = bh->slot[i];
	unsigned c;

	for (;;) {
		c = 2 * i;
		if (c > bh->used)
			break;
		if (c + 1 <= bh->used &&
		    bh->cmp(bh->priv, bh->slot[c + 1], bh->slot[c]))
			c++;
		if (!bh->cmp(bh->priv, bh->slot[c], p))
			break;
		vbh_place(bh, i, bh->slot[c]);
		i = c;
	}
	vbh_place(bh, i, p);
	return (i);
}

struct vbh *
VBH_new(void *priv, vbh_cmp_t *cmp_f, vbh_update_t *update_f)
{
	struct vbh *bh;

	AN(cmp_f);
	bh = calloc(1, sizeof *bh);
	AN(bh);
	bh->magic = VBH_MAGIC;
	bh->priv = priv;
	bh->cmp = cmp_f;
	bh->update = update_f;
	bh->cap = 15;
	bh->slot = calloc(bh->cap + 1, sizeof *bh->slot);
	AN(bh->slot);
	return (bh);
}

void
VBH_destroy(struct vbh **bhp)
{
	struct vbh *bh;

	TAKE_OBJ_NOTNULL(bh, bhp, VBH_MAGIC);
	AZ(bh->used);
	free(bh->slot);
	bh->magic = 0;
	free(bh);
}

void
VBH_insert(struct vbh *bh, void *p)
{

	CHECK_OBJ_NOTNULL(bh, VBH_MAGIC);
	AN(p);
	if (bh->used == bh->cap) {
		assert(bh->cap < (~0U - 1) / 2);
		bh->cap = 2 * bh->cap + 1;
		bh->slot = realloc(bh->slot, (bh->cap + 1) * sizeof *bh->slot);
		AN(bh->slot);
	}
	bh->slot[++bh->used] = p;
	(void)vbh_up(bh, bh->used);
}

void *
VBH_root(const struct vbh *bh)
{

	CHECK_OBJ_NOTNULL(bh, VBH_MAGIC);
	return (bh->used > 0 ? bh->slot[VBH_ROOT] : NULL);
}

void
VBH_reorder(const struct vbh *bh, unsigned idx)
{

	CHECK_OBJ_NOTNULL(bh, VBH_MAGIC);
	assert(idx >= VBH_ROOT && idx <= bh->used);
	AN(bh->slot[idx]);
	idx = vbh_up(bh, idx);
	(void)vbh_down(bh, idx);
}

/* The last object fills the hole, then settles up or down from there. */
void
VBH_delete(struct vbh *bh, unsigned idx)
{
	void *last;

	CHECK_OBJ_NOTNULL(bh, VBH_MAGIC);
	assert(idx >= VBH_ROOT && idx <= bh->used);
	AN(bh->slot[idx]);
	AN(bh->update);
	bh->update(bh->priv, bh->slot[idx], VBH_NOIDX);
	last = bh->slot[bh->used];
	bh->slot[bh->used--] = NULL;
	if (idx > bh->used)
		return;		/* the last slot itself went */
	bh->slot[idx] = last;
	idx = vbh_up(bh, idx);
	(void)vbh_down(bh, idx);
}
