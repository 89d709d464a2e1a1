/* vtree.h -- vdisim's intrusive search trees with Varnish's macro names and arguments:
 * VSPLAY_* (splay tree, in vdisim_vsplay.h) and VRBT_* (red-black tree). libvmod-dynamic
 * keys its domains and services in a VRBT and generates only the parts it needs, so each
 * VRBT_GENERATE_x defines name_VRBT_x and calls nothing that the same subset would not
 * also define. Macros only, no state. */

#ifndef _VTREE_H_
#define _VTREE_H_

#include <stddef.h>
#include <stdint.h>

#include "vdef.h"
#include "vdisim_vsplay.h"

/* ==== VRBT: red-black tree ==== */

/* ---- layout: rbe_link[0] = parent | red bit, [1] = left, [2] = right ----
 * A node's own color sits in bit 0 of its parent pointer (nodes are at least
 * 2-byte aligned), so an entry costs three pointers and nothing else. */

#define VRBT_HEAD(name, type)						\
struct name {								\
	struct type *rbh_root;						\
}
#define VRBT_INITIALIZER(root)	{ NULL }
#define VRBT_INIT(root) do {						\
	(root)->rbh_root = NULL;					\
} while (0)
#define VRBT_ENTRY(type)						\
struct {								\
	struct type *rbe_link[3];					\
}

#define VRBT_ROOT(head)			(head)->rbh_root
#define VRBT_EMPTY(head)		(VRBT_ROOT(head) == NULL)
#define VRBT_LEFT(elm, field)		(elm)->field.rbe_link[1]
#define VRBT_RIGHT(elm, field)		(elm)->field.rbe_link[2]
#define VRBT_PARENT(elm, field)						\
	((__typeof((elm)->field.rbe_link[0]))(void *)			\
	    ((uintptr_t)(elm)->field.rbe_link[0] & ~(uintptr_t)1))

/* Private helpers (trailing underscore): color bit and child re-linking. */
#define VRBT_UPW_(elm, field)		((elm)->field.rbe_link[0])
#define VRBT_ISRED_(elm, field)						\
	((elm) != NULL && ((uintptr_t)VRBT_UPW_(elm, field) & 1) != 0)
#define VRBT_MKUP_(elm, bits, field)					\
	(VRBT_UPW_(elm, field) =					\
	    (__typeof(VRBT_UPW_(elm, field)))(void *)(bits))
/* New parent, same color. */
#define VRBT_SETPAR_(elm, par, field)					\
	VRBT_MKUP_(elm, (uintptr_t)(par) |				\
	    ((uintptr_t)VRBT_UPW_(elm, field) & 1), field)
/* Same parent, new color (red != 0 means red). */
#define VRBT_PAINT_(elm, red, field)					\
	VRBT_MKUP_(elm, ((uintptr_t)VRBT_UPW_(elm, field) & ~(uintptr_t)1) | \
	    ((red) ? 1U : 0U), field)
/* Make whatever pointed at old (par's child slot, or the root) point at nw. */
#define VRBT_RELINK_(head, par, old, nw, field) do {			\
	if ((par) == NULL)						\
		VRBT_ROOT(head) = (nw);					\
	else if (VRBT_LEFT(par, field) == (old))			\
		VRBT_LEFT(par, field) = (nw);				\
	else								\
		VRBT_RIGHT(par, field) = (nw);				\
} while (0)

/* Varnish's names for helpers: a fresh red leaf under parent; re-parenting. */
#define VRBT_SET(elm, parent, field) do {				\
	VRBT_MKUP_(elm, (uintptr_t)(parent) | 1U, field);		\
	VRBT_LEFT(elm, field) = VRBT_RIGHT(elm, field) = NULL;		\
} while (0)
#define VRBT_SET_PARENT(dst, src, field)	VRBT_SETPAR_(dst, src, field)
/* A tuning knob of Varnish's rank-balanced variant; ours has nothing to tune. */
#ifndef VRBT_STRICT_HST
#define VRBT_STRICT_HST 0
#endif
#define VRBT_SWAP_CHILD(head, par, out, in, field)			\
	VRBT_RELINK_(head, par, out, in, field)

/* Augmentation: define VRBT_AUGMENT(elm) before including this header to have
 * it called on every node whose subtree changed, children before parents. */
#ifndef VRBT_AUGMENT_CHECK
#ifndef VRBT_AUGMENT
#define VRBT_AUGMENT_CHECK(x) 0
#else
#define VRBT_AUGMENT_CHECK(x) (VRBT_AUGMENT(x), 1)
#endif
#endif
#define VRBT_UPDATE_AUGMENT(elm, field) do {				\
	__typeof(elm) vrb_au_ = (elm);					\
	while (vrb_au_ != NULL && VRBT_AUGMENT_CHECK(vrb_au_))		\
		vrb_au_ = VRBT_PARENT(vrb_au_, field);			\
} while (0)

/* Children by side: 1 left, 2 right (rbe_link's slots); 3 - d is the other side. */
#define VRBT_LINK_(elm, d, field)	(elm)->field.rbe_link[(d)]

/* Rotation toward side d: x's child on the other side takes x's place, and x becomes
 * that child's child on side d (d == 1: a left rotation). */
#define VRBT_ROT_(head, x, d, type, field) do {				\
	struct type *vrb_c_ = VRBT_LINK_(x, 3 - (d), field);		\
	struct type *vrb_p_ = VRBT_PARENT(x, field);			\
	VRBT_LINK_(x, 3 - (d), field) = VRBT_LINK_(vrb_c_, d, field);	\
	if (VRBT_LINK_(x, 3 - (d), field) != NULL)			\
		VRBT_SETPAR_(VRBT_LINK_(x, 3 - (d), field), x, field);	\
	VRBT_SETPAR_(vrb_c_, vrb_p_, field);				\
	VRBT_RELINK_(head, vrb_p_, x, vrb_c_, field);			\
	VRBT_LINK_(vrb_c_, d, field) = (x);				\
	VRBT_SETPAR_(x, vrb_c_, field);					\
	(void)VRBT_AUGMENT_CHECK(x);					\
	(void)VRBT_AUGMENT_CHECK(vrb_c_);				\
} while (0)

/* ---- prototypes ---- */

#define VRBT_PROTOTYPE(name, type, field, cmp)				\
	VRBT_PROTOTYPE_INTERNAL(name, type, field, cmp,)
#define VRBT_PROTOTYPE_STATIC(name, type, field, cmp)			\
	VRBT_PROTOTYPE_INTERNAL(name, type, field, cmp, v_unused_ static)
#define VRBT_PROTOTYPE_INTERNAL(name, type, field, cmp, attr)		\
	VRBT_PROTOTYPE_RANK(name, type, attr)				\
	VRBT_PROTOTYPE_INSERT_COLOR(name, type, attr);			\
	VRBT_PROTOTYPE_REMOVE_COLOR(name, type, attr);			\
	VRBT_PROTOTYPE_INSERT_FINISH(name, type, attr);			\
	VRBT_PROTOTYPE_INSERT(name, type, attr);			\
	VRBT_PROTOTYPE_REMOVE(name, type, attr);			\
	VRBT_PROTOTYPE_FIND(name, type, attr);				\
	VRBT_PROTOTYPE_NFIND(name, type, attr);				\
	VRBT_PROTOTYPE_NEXT(name, type, attr);				\
	VRBT_PROTOTYPE_INSERT_NEXT(name, type, attr);			\
	VRBT_PROTOTYPE_PREV(name, type, attr);				\
	VRBT_PROTOTYPE_INSERT_PREV(name, type, attr);			\
	VRBT_PROTOTYPE_MINMAX(name, type, attr);			\
	VRBT_PROTOTYPE_REINSERT(name, type, attr);
#ifdef _VRBT_DIAGNOSTIC
#define VRBT_PROTOTYPE_RANK(name, type, attr)				\
	attr int name##_VRBT_RANK(struct type *);
#else
#define VRBT_PROTOTYPE_RANK(name, type, attr)
#endif
#define VRBT_PROTOTYPE_INSERT_COLOR(name, type, attr)			\
	attr struct type *name##_VRBT_INSERT_COLOR(struct name *,	\
	    struct type *, struct type *)
#define VRBT_PROTOTYPE_REMOVE_COLOR(name, type, attr)			\
	attr struct type *name##_VRBT_REMOVE_COLOR(struct name *,	\
	    struct type *, struct type *)
#define VRBT_PROTOTYPE_REMOVE(name, type, attr)				\
	attr struct type *name##_VRBT_REMOVE(struct name *, struct type *)
#define VRBT_PROTOTYPE_INSERT_FINISH(name, type, attr)			\
	attr struct type *name##_VRBT_INSERT_FINISH(struct name *,	\
	    struct type *, struct type **, struct type *)
#define VRBT_PROTOTYPE_INSERT(name, type, attr)				\
	attr struct type *name##_VRBT_INSERT(struct name *, struct type *)
#define VRBT_PROTOTYPE_FIND(name, type, attr)				\
	attr struct type *name##_VRBT_FIND(const struct name *,		\
	    const struct type *)
#define VRBT_PROTOTYPE_NFIND(name, type, attr)				\
	attr struct type *name##_VRBT_NFIND(const struct name *,	\
	    const struct type *)
#define VRBT_PROTOTYPE_NEXT(name, type, attr)				\
	attr struct type *name##_VRBT_NEXT(struct type *)
#define VRBT_PROTOTYPE_INSERT_NEXT(name, type, attr)			\
	attr struct type *name##_VRBT_INSERT_NEXT(struct name *,	\
	    struct type *, struct type *)
#define VRBT_PROTOTYPE_PREV(name, type, attr)				\
	attr struct type *name##_VRBT_PREV(struct type *)
#define VRBT_PROTOTYPE_INSERT_PREV(name, type, attr)			\
	attr struct type *name##_VRBT_INSERT_PREV(struct name *,	\
	    struct type *, struct type *)
#define VRBT_PROTOTYPE_MINMAX(name, type, attr)				\
	attr struct type *name##_VRBT_MINMAX(const struct name *, int)
#define VRBT_PROTOTYPE_REINSERT(name, type, attr)			\
	attr struct type *name##_VRBT_REINSERT(struct name *, struct type *)

/* ---- generators ---- */

#define VRBT_GENERATE(name, type, field, cmp)				\
	VRBT_GENERATE_INTERNAL(name, type, field, cmp,)
#define VRBT_GENERATE_STATIC(name, type, field, cmp)			\
	VRBT_GENERATE_INTERNAL(name, type, field, cmp, v_unused_ static)
#define VRBT_GENERATE_INTERNAL(name, type, field, cmp, attr)		\
	VRBT_GENERATE_RANK(name, type, field, attr)			\
	VRBT_GENERATE_INSERT_COLOR(name, type, field, attr)		\
	VRBT_GENERATE_REMOVE_COLOR(name, type, field, attr)		\
	VRBT_GENERATE_INSERT_FINISH(name, type, field, attr)		\
	VRBT_GENERATE_INSERT(name, type, field, cmp, attr)		\
	VRBT_GENERATE_REMOVE(name, type, field, attr)			\
	VRBT_GENERATE_FIND(name, type, field, cmp, attr)		\
	VRBT_GENERATE_NFIND(name, type, field, cmp, attr)		\
	VRBT_GENERATE_NEXT(name, type, field, attr)			\
	VRBT_GENERATE_INSERT_NEXT(name, type, field, cmp, attr)		\
	VRBT_GENERATE_PREV(name, type, field, attr)			\
	VRBT_GENERATE_INSERT_PREV(name, type, field, cmp, attr)		\
	VRBT_GENERATE_MINMAX(name, type, field, attr)			\
	VRBT_GENERATE_REINSERT(name, type, field, cmp, attr)

/* RANK (diagnostic builds only): the subtree's black height, or -1 when a red
 * node has a red child, black heights differ or a child's parent link is wrong. */
#ifdef _VRBT_DIAGNOSTIC
#define VRBT_GENERATE_RANK(name, type, field, attr)			\
attr int								\
name##_VRBT_RANK(struct type *elm)					\
{									\
	struct type *l, *r;						\
	int hl, hr;							\
									\
	if (elm == NULL)						\
		return (1);						\
	l = VRBT_LEFT(elm, field);					\
	r = VRBT_RIGHT(elm, field);					\
	if ((l != NULL && VRBT_PARENT(l, field) != elm) ||		\
	    (r != NULL && VRBT_PARENT(r, field) != elm))		\
		return (-1);						\
	if (VRBT_ISRED_(elm, field) &&					\
	    (VRBT_ISRED_(l, field) || VRBT_ISRED_(r, field)))		\
		return (-1);						\
	hl = name##_VRBT_RANK(l);					\
	hr = name##_VRBT_RANK(r);					\
	if (hl < 0 || hl != hr)						\
		return (-1);						\
	return (hl + (VRBT_ISRED_(elm, field) ? 0 : 1));		\
}
#else
#define VRBT_GENERATE_RANK(name, type, field, attr)
#endif

/* Restore the red rules after elm (red) was linked under parent. */
#define VRBT_GENERATE_INSERT_COLOR(name, type, field, attr)		\
attr struct type *							\
name##_VRBT_INSERT_COLOR(struct name *head, struct type *parent,	\
    struct type *elm)							\
{									\
	struct type *gp, *uncle, *t;					\
	int d;								\
									\
	while ((parent = VRBT_PARENT(elm, field)) != NULL &&		\
	    VRBT_ISRED_(parent, field)) {				\
		/* a red node is never the root: gp exists */		\
		gp = VRBT_PARENT(parent, field);			\
		d = (parent == VRBT_LINK_(gp, 1, field)) ? 1 : 2;	\
		uncle = VRBT_LINK_(gp, 3 - d, field);			\
		if (VRBT_ISRED_(uncle, field)) {			\
			/* push the red up two levels and retry there */ \
			VRBT_PAINT_(uncle, 0, field);			\
			VRBT_PAINT_(parent, 0, field);			\
			VRBT_PAINT_(gp, 1, field);			\
			elm = gp;					\
			continue;					\
		}							\
		if (elm == VRBT_LINK_(parent, 3 - d, field)) {		\
			/* elm on the inner side: make it the outer one */ \
			VRBT_ROT_(head, parent, d, type, field);	\
			t = parent; parent = elm; elm = t;		\
		}							\
		VRBT_PAINT_(parent, 0, field);				\
		VRBT_PAINT_(gp, 1, field);				\
		VRBT_ROT_(head, gp, 3 - d, type, field);		\
		break;							\
	}								\
	VRBT_PAINT_(VRBT_ROOT(head), 0, field);				\
	return (NULL);							\
}

/* Restore equal black heights after a black node left the tree: elm (maybe NULL)
 * is one black short, parent is its parent. */
#define VRBT_GENERATE_REMOVE_COLOR(name, type, field, attr)		\
attr struct type *							\
name##_VRBT_REMOVE_COLOR(struct name *head, struct type *parent,	\
    struct type *elm)							\
{									\
	struct type *sib;						\
	int d;								\
									\
	while (elm != VRBT_ROOT(head) && !VRBT_ISRED_(elm, field)) {	\
		/* d: elm's side; sib, on the other, has a black more */ \
		d = (elm == VRBT_LINK_(parent, 1, field)) ? 1 : 2;	\
		sib = VRBT_LINK_(parent, 3 - d, field);			\
		if (VRBT_ISRED_(sib, field)) {				\
			VRBT_PAINT_(sib, 0, field);			\
			VRBT_PAINT_(parent, 1, field);			\
			VRBT_ROT_(head, parent, d, type, field);	\
			sib = VRBT_LINK_(parent, 3 - d, field);		\
		}							\
		if (!VRBT_ISRED_(VRBT_LINK_(sib, 1, field), field) &&	\
		    !VRBT_ISRED_(VRBT_LINK_(sib, 2, field), field)) {	\
			VRBT_PAINT_(sib, 1, field);			\
			elm = parent;					\
			parent = VRBT_PARENT(elm, field);		\
			continue;					\
		}							\
		if (!VRBT_ISRED_(VRBT_LINK_(sib, 3 - d, field), field)) { \
			VRBT_PAINT_(VRBT_LINK_(sib, d, field), 0, field); \
			VRBT_PAINT_(sib, 1, field);			\
			VRBT_ROT_(head, sib, 3 - d, type, field);	\
			sib = VRBT_LINK_(parent, 3 - d, field);		\
		}							\
		VRBT_PAINT_(sib, VRBT_ISRED_(parent, field), field);	\
		VRBT_PAINT_(parent, 0, field);				\
		VRBT_PAINT_(VRBT_LINK_(sib, 3 - d, field), 0, field);	\
		VRBT_ROT_(head, parent, d, type, field);		\
		elm = VRBT_ROOT(head);					\
		break;							\
	}								\
	if (elm != NULL)						\
		VRBT_PAINT_(elm, 0, field);				\
	return (NULL);							\
}

/* Unlink out; a node with two children trades places with its successor first.
 * Returns out. */
#define VRBT_GENERATE_REMOVE(name, type, field, attr)			\
attr struct type *							\
name##_VRBT_REMOVE(struct name *head, struct type *out)			\
{									\
	struct type *child, *parent, *succ;				\
	int was_red;							\
									\
	if (VRBT_LEFT(out, field) == NULL ||				\
	    VRBT_RIGHT(out, field) == NULL) {				\
		child = VRBT_LEFT(out, field) != NULL ?			\
		    VRBT_LEFT(out, field) : VRBT_RIGHT(out, field);	\
		parent = VRBT_PARENT(out, field);			\
		was_red = VRBT_ISRED_(out, field);			\
		if (child != NULL)					\
			VRBT_SETPAR_(child, parent, field);		\
		VRBT_RELINK_(head, parent, out, child, field);		\
	} else {							\
		succ = VRBT_RIGHT(out, field);				\
		while (VRBT_LEFT(succ, field) != NULL)			\
			succ = VRBT_LEFT(succ, field);			\
		child = VRBT_RIGHT(succ, field);			\
		parent = VRBT_PARENT(succ, field);			\
		was_red = VRBT_ISRED_(succ, field);			\
		if (parent == out) {					\
			parent = succ;					\
		} else {						\
			VRBT_LEFT(parent, field) = child;		\
			if (child != NULL)				\
				VRBT_SETPAR_(child, parent, field);	\
			VRBT_RIGHT(succ, field) = VRBT_RIGHT(out, field); \
			VRBT_SETPAR_(VRBT_RIGHT(succ, field), succ, field); \
		}							\
		VRBT_LEFT(succ, field) = VRBT_LEFT(out, field);		\
		VRBT_SETPAR_(VRBT_LEFT(succ, field), succ, field);	\
		/* succ inherits out's parent and color in one word */	\
		VRBT_UPW_(succ, field) = VRBT_UPW_(out, field);		\
		VRBT_RELINK_(head, VRBT_PARENT(out, field), out, succ, field); \
	}								\
	if (!was_red)							\
		(void)name##_VRBT_REMOVE_COLOR(head, parent, child);	\
	VRBT_UPDATE_AUGMENT(parent, field);				\
	return (out);							\
}

/* Link elm into the slot *pptr under parent (NULL: as root) and rebalance. */
#define VRBT_GENERATE_INSERT_FINISH(name, type, field, attr)		\
attr struct type *							\
name##_VRBT_INSERT_FINISH(struct name *head, struct type *parent,	\
    struct type **pptr, struct type *elm)				\
{									\
									\
	VRBT_SET(elm, parent, field);					\
	*pptr = elm;							\
	(void)name##_VRBT_INSERT_COLOR(head, parent, elm);		\
	VRBT_UPDATE_AUGMENT(elm, field);				\
	return (NULL);							\
}

/* NULL when elm went in; the node comparing equal when it did not. */
#define VRBT_GENERATE_INSERT(name, type, field, cmp, attr)		\
attr struct type *							\
name##_VRBT_INSERT(struct name *head, struct type *elm)			\
{									\
	struct type **slot = &VRBT_ROOT(head);				\
	struct type *parent = NULL;					\
	int c;								\
									\
	while (*slot != NULL) {						\
		parent = *slot;						\
		c = (cmp)(elm, parent);					\
		if (c == 0)						\
			return (parent);				\
		slot = c < 0 ? &VRBT_LEFT(parent, field) :		\
		    &VRBT_RIGHT(parent, field);				\
	}								\
	return (name##_VRBT_INSERT_FINISH(head, parent, slot, elm));	\
}

#define VRBT_GENERATE_FIND(name, type, field, cmp, attr)		\
attr struct type *							\
name##_VRBT_FIND(const struct name *head, const struct type *elm)	\
{									\
	struct type *n = VRBT_ROOT(head);				\
	int c;								\
									\
	while (n != NULL) {						\
		c = (cmp)(elm, n);					\
		if (c == 0)						\
			return (n);					\
		n = c < 0 ? VRBT_LEFT(n, field) : VRBT_RIGHT(n, field);	\
	}								\
	return (NULL);							\
}

/* The least node not below elm, or NULL. */
#define VRBT_GENERATE_NFIND(name, type, field, cmp, attr)		\
attr struct type *							\
name##_VRBT_NFIND(const struct name *head, const struct type *elm)	\
{									\
	struct type *n = VRBT_ROOT(head), *best = NULL;			\
	int c;								\
									\
	while (n != NULL) {						\
		c = (cmp)(elm, n);					\
		if (c == 0)						\
			return (n);					\
		if (c < 0) {						\
			best = n;					\
			n = VRBT_LEFT(n, field);			\
		} else {						\
			n = VRBT_RIGHT(n, field);			\
		}							\
	}								\
	return (best);							\
}

/* In-order successor: the right subtree's leftmost node, else the first
 * ancestor reached from its left side. */
#define VRBT_GENERATE_NEXT(name, type, field, attr)			\
attr struct type *							\
name##_VRBT_NEXT(struct type *elm)					\
{									\
	struct type *up;						\
									\
	if (VRBT_RIGHT(elm, field) != NULL) {				\
		elm = VRBT_RIGHT(elm, field);				\
		while (VRBT_LEFT(elm, field) != NULL)			\
			elm = VRBT_LEFT(elm, field);			\
		return (elm);						\
	}								\
	while ((up = VRBT_PARENT(elm, field)) != NULL &&		\
	    VRBT_RIGHT(up, field) == elm)				\
		elm = up;						\
	return (up);							\
}

#define VRBT_GENERATE_PREV(name, type, field, attr)			\
attr struct type *							\
name##_VRBT_PREV(struct type *elm)					\
{									\
	struct type *up;						\
									\
	if (VRBT_LEFT(elm, field) != NULL) {				\
		elm = VRBT_LEFT(elm, field);				\
		while (VRBT_RIGHT(elm, field) != NULL)			\
			elm = VRBT_RIGHT(elm, field);			\
		return (elm);						\
	}								\
	while ((up = VRBT_PARENT(elm, field)) != NULL &&		\
	    VRBT_LEFT(up, field) == elm)				\
		elm = up;						\
	return (up);							\
}

/* Link next right after elm in order; the caller vouches that it sorts there. */
#define VRBT_GENERATE_INSERT_NEXT(name, type, field, cmp, attr)		\
attr struct type *							\
name##_VRBT_INSERT_NEXT(struct name *head, struct type *elm,		\
    struct type *next)							\
{									\
	struct type *at = elm, **slot;					\
									\
	if (VRBT_RIGHT(at, field) == NULL) {				\
		slot = &VRBT_RIGHT(at, field);				\
	} else {							\
		at = VRBT_RIGHT(at, field);				\
		while (VRBT_LEFT(at, field) != NULL)			\
			at = VRBT_LEFT(at, field);			\
		slot = &VRBT_LEFT(at, field);				\
	}								\
	return (name##_VRBT_INSERT_FINISH(head, at, slot, next));	\
}

#define VRBT_GENERATE_INSERT_PREV(name, type, field, cmp, attr)		\
attr struct type *							\
name##_VRBT_INSERT_PREV(struct name *head, struct type *elm,		\
    struct type *prev)							\
{									\
	struct type *at = elm, **slot;					\
									\
	if (VRBT_LEFT(at, field) == NULL) {				\
		slot = &VRBT_LEFT(at, field);				\
	} else {							\
		at = VRBT_LEFT(at, field);				\
		while (VRBT_RIGHT(at, field) != NULL)			\
			at = VRBT_RIGHT(at, field);			\
		slot = &VRBT_RIGHT(at, field);				\
	}								\
	return (name##_VRBT_INSERT_FINISH(head, at, slot, prev));	\
}

/* val < 0: leftmost (least) node; otherwise rightmost. */
#define VRBT_GENERATE_MINMAX(name, type, field, attr)			\
attr struct type *							\
name##_VRBT_MINMAX(const struct name *head, int val)			\
{									\
	struct type *n = VRBT_ROOT(head);				\
									\
	if (n == NULL)							\
		return (NULL);						\
	while ((val < 0 ? VRBT_LEFT(n, field) : VRBT_RIGHT(n, field))	\
	    != NULL)							\
		n = val < 0 ? VRBT_LEFT(n, field) : VRBT_RIGHT(n, field); \
	return (n);							\
}

/* elm's key changed: move it if it no longer sorts between its neighbours.
 * Returns what VRBT_INSERT returns when moved, NULL when it stayed. */
#define VRBT_GENERATE_REINSERT(name, type, field, cmp, attr)		\
attr struct type *							\
name##_VRBT_REINSERT(struct name *head, struct type *elm)		\
{									\
	struct type *nb;						\
	int misplaced = 0;						\
									\
	nb = name##_VRBT_PREV(elm);					\
	if (nb != NULL && (cmp)(nb, elm) >= 0)				\
		misplaced = 1;						\
	nb = name##_VRBT_NEXT(elm);					\
	if (nb != NULL && (cmp)(elm, nb) >= 0)				\
		misplaced = 1;						\
	if (!misplaced)							\
		return (NULL);						\
	(void)name##_VRBT_REMOVE(head, elm);				\
	return (name##_VRBT_INSERT(head, elm));				\
}

/* ---- operations ---- */

#define VRBT_NEGINF	-1
#define VRBT_INF	1

#define VRBT_INSERT(name, x, y)		name##_VRBT_INSERT(x, y)
#define VRBT_INSERT_NEXT(name, x, y, z)	name##_VRBT_INSERT_NEXT(x, y, z)
#define VRBT_INSERT_PREV(name, x, y, z)	name##_VRBT_INSERT_PREV(x, y, z)
#define VRBT_REMOVE(name, x, y)		name##_VRBT_REMOVE(x, y)
#define VRBT_FIND(name, x, y)		name##_VRBT_FIND(x, y)
#define VRBT_NFIND(name, x, y)		name##_VRBT_NFIND(x, y)
#define VRBT_NEXT(name, x, y)		name##_VRBT_NEXT(y)
#define VRBT_PREV(name, x, y)		name##_VRBT_PREV(y)
#define VRBT_MIN(name, x)		name##_VRBT_MINMAX(x, VRBT_NEGINF)
#define VRBT_MAX(name, x)		name##_VRBT_MINMAX(x, VRBT_INF)
#define VRBT_REINSERT(name, x, y)	name##_VRBT_REINSERT(x, y)

#define VRBT_FOREACH(x, name, head)					\
	for ((x) = VRBT_MIN(name, head); (x) != NULL;			\
	    (x) = name##_VRBT_NEXT(x))
/* _FROM and _SAFE: y holds the next node, so x may be removed in the body. */
#define VRBT_FOREACH_FROM(x, name, y)					\
	for ((x) = (y);							\
	    (x) != NULL && (((y) = name##_VRBT_NEXT(x)), 1);		\
	    (x) = (y))
#define VRBT_FOREACH_SAFE(x, name, head, y)				\
	for ((x) = VRBT_MIN(name, head);				\
	    (x) != NULL && (((y) = name##_VRBT_NEXT(x)), 1);		\
	    (x) = (y))
#define VRBT_FOREACH_REVERSE(x, name, head)				\
	for ((x) = VRBT_MAX(name, head); (x) != NULL;			\
	    (x) = name##_VRBT_PREV(x))
#define VRBT_FOREACH_REVERSE_FROM(x, name, y)				\
	for ((x) = (y);							\
	    (x) != NULL && (((y) = name##_VRBT_PREV(x)), 1);		\
	    (x) = (y))
#define VRBT_FOREACH_REVERSE_SAFE(x, name, head, y)			\
	for ((x) = VRBT_MAX(name, head);				\
	    (x) != NULL && (((y) = name##_VRBT_PREV(x)), 1);		\
	    (x) = (y))

#endif /* _VTREE_H_ */
