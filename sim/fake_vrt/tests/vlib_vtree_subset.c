/* vlib_vtree_subset.c -- C side of the vtree tests: generates trees the way
 * libvmod-dynamic does (only a subset of VRBT_GENERATE_*, static), and a full
 * diagnostic tree, and exports plain functions for vlib_vtree_test.cpp. */

#define _VRBT_DIAGNOSTIC 1

#include <stddef.h>
#include <stdlib.h>

#include "vdef.h"
#include "vtree.h"

struct vt_node {
	unsigned		magic;
	VRBT_ENTRY(vt_node)	link;
	int			key;
};

static int
vt_cmp(const struct vt_node *a, const struct vt_node *b)
{

	return (a->key < b->key ? -1 : a->key > b->key);
}

/* libvmod-dynamic's domain tree: insert/remove/find/next/minmax only. */
VRBT_HEAD(vt_dom, vt_node);
#define VT_DOM_NEEDED(name, type, field, cmp, attr)			\
	VRBT_GENERATE_RANK(name, type, field, attr)			\
	VRBT_GENERATE_INSERT_COLOR(name, type, field, attr)		\
	VRBT_GENERATE_REMOVE_COLOR(name, type, field, attr)		\
	VRBT_GENERATE_INSERT_FINISH(name, type, field, attr)		\
	VRBT_GENERATE_INSERT(name, type, field, cmp, attr)		\
	VRBT_GENERATE_REMOVE(name, type, field, attr)			\
	VRBT_GENERATE_FIND(name, type, field, cmp, attr)		\
	VRBT_GENERATE_NEXT(name, type, field, attr)			\
	VRBT_GENERATE_MINMAX(name, type, field, attr)
VT_DOM_NEEDED(vt_dom, vt_node, link, vt_cmp, static)

/* libvmod-dynamic's service tree: not even NEXT or MINMAX. */
VRBT_HEAD(vt_srv, vt_node);
#define VT_SRV_NEEDED(name, type, field, cmp, attr)			\
	VRBT_GENERATE_INSERT_COLOR(name, type, field, attr)		\
	VRBT_GENERATE_REMOVE_COLOR(name, type, field, attr)		\
	VRBT_GENERATE_INSERT_FINISH(name, type, field, attr)		\
	VRBT_GENERATE_INSERT(name, type, field, cmp, attr)		\
	VRBT_GENERATE_REMOVE(name, type, field, attr)			\
	VRBT_GENERATE_FIND(name, type, field, cmp, attr)
VT_SRV_NEEDED(vt_srv, vt_node, link, vt_cmp, static)

/* Everything, with prototypes, as an extern (non-static) tree. */
VRBT_HEAD(vt_full, vt_node);
VRBT_PROTOTYPE(vt_full, vt_node, link, vt_cmp)
VRBT_GENERATE(vt_full, vt_node, link, vt_cmp)

/* ---- exported test surface ---- */

struct vt_node *vt_new(int key);
void vt_free(struct vt_node *n);
int vt_key(const struct vt_node *n);
void vt_set_key(struct vt_node *n, int key);

void
vt_set_key(struct vt_node *n, int key)
{

	n->key = key;
}

struct vt_node *
vt_new(int key)
{
	struct vt_node *n = calloc(1, sizeof *n);

	n->magic = 0x5eed;
	n->key = key;
	return (n);
}

void
vt_free(struct vt_node *n)
{

	free(n);
}

int
vt_key(const struct vt_node *n)
{

	return (n->key);
}

/* dom: 0 = dom subset tree, 1 = full tree; returns the node kept when the key
 * was already there (the caller still owns n then). */
static struct vt_dom vt_dom_head = VRBT_INITIALIZER(&vt_dom_head);
static struct vt_full vt_full_head;
static struct vt_srv vt_srv_head;

void vt_reset(void);
struct vt_node *vt_insert(int which, struct vt_node *n);
struct vt_node *vt_remove(int which, struct vt_node *n);
struct vt_node *vt_find(int which, int key);
struct vt_node *vt_nfind(int key);
struct vt_node *vt_min(int which);
struct vt_node *vt_max(void);
struct vt_node *vt_next(int which, struct vt_node *n);
struct vt_node *vt_prev(struct vt_node *n);
struct vt_node *vt_root(int which);
int vt_rank(int which);
int vt_count_foreach(int which);
int vt_count_reverse(void);
int vt_empty_all_safe(void);
struct vt_node *vt_insert_next(struct vt_node *at, struct vt_node *n);
struct vt_node *vt_insert_prev(struct vt_node *at, struct vt_node *n);
struct vt_node *vt_reinsert(struct vt_node *n);

void
vt_reset(void)
{

	VRBT_INIT(&vt_dom_head);
	VRBT_INIT(&vt_full_head);
	VRBT_INIT(&vt_srv_head);
}

struct vt_node *
vt_insert(int which, struct vt_node *n)
{

	if (which == 2)
		return (VRBT_INSERT(vt_srv, &vt_srv_head, n));
	if (which == 1)
		return (VRBT_INSERT(vt_full, &vt_full_head, n));
	return (VRBT_INSERT(vt_dom, &vt_dom_head, n));
}

struct vt_node *
vt_remove(int which, struct vt_node *n)
{

	if (which == 2)
		return (VRBT_REMOVE(vt_srv, &vt_srv_head, n));
	if (which == 1)
		return (VRBT_REMOVE(vt_full, &vt_full_head, n));
	return (VRBT_REMOVE(vt_dom, &vt_dom_head, n));
}

struct vt_node *
vt_find(int which, int key)
{
	struct vt_node k;

	k.key = key;
	if (which == 2)
		return (VRBT_FIND(vt_srv, &vt_srv_head, &k));
	if (which == 1)
		return (VRBT_FIND(vt_full, &vt_full_head, &k));
	return (VRBT_FIND(vt_dom, &vt_dom_head, &k));
}

struct vt_node *
vt_nfind(int key)
{
	struct vt_node k;

	k.key = key;
	return (VRBT_NFIND(vt_full, &vt_full_head, &k));
}

struct vt_node *
vt_min(int which)
{

	if (which == 1)
		return (VRBT_MIN(vt_full, &vt_full_head));
	return (VRBT_MIN(vt_dom, &vt_dom_head));
}

struct vt_node *
vt_max(void)
{

	return (VRBT_MAX(vt_full, &vt_full_head));
}

struct vt_node *
vt_next(int which, struct vt_node *n)
{

	if (which == 1)
		return (VRBT_NEXT(vt_full, &vt_full_head, n));
	return (VRBT_NEXT(vt_dom, &vt_dom_head, n));
}

struct vt_node *
vt_prev(struct vt_node *n)
{

	return (VRBT_PREV(vt_full, &vt_full_head, n));
}

struct vt_node *
vt_root(int which)
{

	if (which == 2)
		return (VRBT_ROOT(&vt_srv_head));
	if (which == 1)
		return (VRBT_ROOT(&vt_full_head));
	return (VRBT_ROOT(&vt_dom_head));
}

/* Black height of the whole tree, -1 when a red-black rule is broken (the
 * root must be black too). */
int
vt_rank(int which)
{
	struct vt_node *r = vt_root(which);

	if (r != NULL && VRBT_PARENT(r, link) != NULL)
		return (-1);
	if (r != NULL && ((uintptr_t)r->link.rbe_link[0] & 1))
		return (-1);
	if (which == 1)
		return (vt_full_VRBT_RANK(r));
	if (which == 0)
		return (vt_dom_VRBT_RANK(r));
	return (0);
}

int
vt_count_foreach(int which)
{
	struct vt_node *n;
	int c = 0;

	if (which == 1) {
		VRBT_FOREACH(n, vt_full, &vt_full_head)
			c++;
	} else {
		VRBT_FOREACH(n, vt_dom, &vt_dom_head)
			c++;
	}
	return (c);
}

int
vt_count_reverse(void)
{
	struct vt_node *n;
	int c = 0;

	VRBT_FOREACH_REVERSE(n, vt_full, &vt_full_head)
		c++;
	return (c);
}

/* Remove and free every node of the full tree while walking it. */
int
vt_empty_all_safe(void)
{
	struct vt_node *n, *t;
	int c = 0;

	VRBT_FOREACH_SAFE(n, vt_full, &vt_full_head, t) {
		(void)VRBT_REMOVE(vt_full, &vt_full_head, n);
		vt_free(n);
		c++;
	}
	return (VRBT_EMPTY(&vt_full_head) ? c : -1);
}

struct vt_node *
vt_insert_next(struct vt_node *at, struct vt_node *n)
{

	return (VRBT_INSERT_NEXT(vt_full, &vt_full_head, at, n));
}

struct vt_node *
vt_insert_prev(struct vt_node *at, struct vt_node *n)
{

	return (VRBT_INSERT_PREV(vt_full, &vt_full_head, at, n));
}

struct vt_node *
vt_reinsert(struct vt_node *n)
{

	return (VRBT_REINSERT(vt_full, &vt_full_head, n));
}
