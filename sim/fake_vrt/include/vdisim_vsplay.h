/* vdisim_vsplay.h -- the VSPLAY_* half of vtree.h (Varnish's splay tree macros, same
 * names and arguments, vdisim's bodies). Include vtree.h, not this. Macros only. */

#ifndef VDISIM_VSPLAY_H_INCLUDED
#define VDISIM_VSPLAY_H_INCLUDED

#include <stddef.h>

#include "vdef.h"

/* ==== VSPLAY: self-adjusting binary search tree (top-down splaying) ====
 * Every lookup moves the node closest to the key to the root, so FIND and NEXT
 * take the head and change the tree. */

#define VSPLAY_HEAD(name, type)						\
struct name {								\
	struct type *sph_root;						\
}
#define VSPLAY_INITIALIZER(root)	{ NULL }
#define VSPLAY_INIT(root) do {						\
	(root)->sph_root = NULL;					\
} while (0)
#define VSPLAY_ENTRY(type)						\
struct {								\
	struct type *spe_left;						\
	struct type *spe_right;						\
}

#define VSPLAY_LEFT(elm, field)		(elm)->field.spe_left
#define VSPLAY_RIGHT(elm, field)	(elm)->field.spe_right
#define VSPLAY_ROOT(head)		(head)->sph_root
#define VSPLAY_EMPTY(head)		(VSPLAY_ROOT(head) == NULL)

/* The root's left child (tmp) becomes the root. */
#define VSPLAY_ROTATE_RIGHT(head, tmp, field) do {			\
	VSPLAY_LEFT(VSPLAY_ROOT(head), field) = VSPLAY_RIGHT(tmp, field); \
	VSPLAY_RIGHT(tmp, field) = VSPLAY_ROOT(head);			\
	VSPLAY_ROOT(head) = (tmp);					\
} while (0)
/* The root's right child (tmp) becomes the root. */
#define VSPLAY_ROTATE_LEFT(head, tmp, field) do {			\
	VSPLAY_RIGHT(VSPLAY_ROOT(head), field) = VSPLAY_LEFT(tmp, field); \
	VSPLAY_LEFT(tmp, field) = VSPLAY_ROOT(head);			\
	VSPLAY_ROOT(head) = (tmp);					\
} while (0)
/* Hang the root under tmp (the growing tree of larger keys), go left. */
#define VSPLAY_LINKLEFT(head, tmp, field) do {				\
	VSPLAY_LEFT(tmp, field) = VSPLAY_ROOT(head);			\
	(tmp) = VSPLAY_ROOT(head);					\
	VSPLAY_ROOT(head) = VSPLAY_LEFT(VSPLAY_ROOT(head), field);	\
} while (0)
/* Hang the root under tmp (the growing tree of smaller keys), go right. */
#define VSPLAY_LINKRIGHT(head, tmp, field) do {				\
	VSPLAY_RIGHT(tmp, field) = VSPLAY_ROOT(head);			\
	(tmp) = VSPLAY_ROOT(head);					\
	VSPLAY_ROOT(head) = VSPLAY_RIGHT(VSPLAY_ROOT(head), field);	\
} while (0)
/* Put the side trees collected in node back under the root. */
#define VSPLAY_ASSEMBLE(head, node, left, right, field) do {		\
	VSPLAY_RIGHT(left, field) = VSPLAY_LEFT(VSPLAY_ROOT(head), field); \
	VSPLAY_LEFT(right, field) = VSPLAY_RIGHT(VSPLAY_ROOT(head), field); \
	VSPLAY_LEFT(VSPLAY_ROOT(head), field) = VSPLAY_RIGHT(node, field); \
	VSPLAY_RIGHT(VSPLAY_ROOT(head), field) = VSPLAY_LEFT(node, field); \
} while (0)

#define VSPLAY_PROTOTYPE(name, type, field, cmp)			\
void name##_VSPLAY(struct name *, struct type *);			\
void name##_VSPLAY_MINMAX(struct name *, int);				\
struct type *name##_VSPLAY_INSERT(struct name *, struct type *);	\
struct type *name##_VSPLAY_REMOVE(struct name *, struct type *);	\
									\
static v_unused_ __inline struct type *					\
name##_VSPLAY_FIND(struct name *head, struct type *elm)			\
{									\
									\
	if (VSPLAY_EMPTY(head))						\
		return (NULL);						\
	name##_VSPLAY(head, elm);					\
	return ((cmp)(elm, VSPLAY_ROOT(head)) == 0 ?			\
	    VSPLAY_ROOT(head) : NULL);					\
}									\
									\
/* elm must be in the tree: splaying it makes it the root. */		\
static v_unused_ __inline struct type *					\
name##_VSPLAY_NEXT(struct name *head, struct type *elm)			\
{									\
									\
	name##_VSPLAY(head, elm);					\
	elm = VSPLAY_RIGHT(elm, field);					\
	while (elm != NULL && VSPLAY_LEFT(elm, field) != NULL)		\
		elm = VSPLAY_LEFT(elm, field);				\
	return (elm);							\
}									\
									\
static v_unused_ __inline struct type *					\
name##_VSPLAY_MIN_MAX(struct name *head, int val)			\
{									\
									\
	name##_VSPLAY_MINMAX(head, val);				\
	return (VSPLAY_ROOT(head));					\
}

#define VSPLAY_GENERATE(name, type, field, cmp)				\
/* NULL when elm went in, else the node with elm's key. */		\
struct type *								\
name##_VSPLAY_INSERT(struct name *head, struct type *elm)		\
{									\
	struct type *r;							\
	int c;								\
									\
	if (VSPLAY_EMPTY(head)) {					\
		VSPLAY_LEFT(elm, field) = VSPLAY_RIGHT(elm, field) = NULL; \
	} else {							\
		/* elm's links are untouched until its key is known new */ \
		name##_VSPLAY(head, elm);				\
		r = VSPLAY_ROOT(head);					\
		c = (cmp)(elm, r);					\
		if (c == 0)						\
			return (r);					\
		if (c < 0) {						\
			VSPLAY_LEFT(elm, field) = VSPLAY_LEFT(r, field); \
			VSPLAY_RIGHT(elm, field) = r;			\
			VSPLAY_LEFT(r, field) = NULL;			\
		} else {						\
			VSPLAY_RIGHT(elm, field) = VSPLAY_RIGHT(r, field); \
			VSPLAY_LEFT(elm, field) = r;			\
			VSPLAY_RIGHT(r, field) = NULL;			\
		}							\
	}								\
	VSPLAY_ROOT(head) = elm;					\
	return (NULL);							\
}									\
									\
/* elm when its key was found (and unlinked), else NULL. */		\
struct type *								\
name##_VSPLAY_REMOVE(struct name *head, struct type *elm)		\
{									\
	struct type *rest;						\
									\
	if (VSPLAY_EMPTY(head))						\
		return (NULL);						\
	name##_VSPLAY(head, elm);					\
	if ((cmp)(elm, VSPLAY_ROOT(head)) != 0)				\
		return (NULL);						\
	rest = VSPLAY_RIGHT(VSPLAY_ROOT(head), field);			\
	if (VSPLAY_LEFT(VSPLAY_ROOT(head), field) == NULL) {		\
		VSPLAY_ROOT(head) = rest;				\
	} else {							\
		/* the left side's largest comes up, with no right child */ \
		VSPLAY_ROOT(head) = VSPLAY_LEFT(VSPLAY_ROOT(head), field); \
		name##_VSPLAY(head, elm);				\
		VSPLAY_RIGHT(VSPLAY_ROOT(head), field) = rest;		\
	}								\
	return (elm);							\
}									\
									\
/* Top-down splay toward elm's key; the tree must not be empty. */	\
void									\
name##_VSPLAY(struct name *head, struct type *elm)			\
{									\
	struct type side, *l = &side, *r = &side, *t;			\
	int c;								\
									\
	VSPLAY_LEFT(&side, field) = VSPLAY_RIGHT(&side, field) = NULL;	\
	while ((c = (cmp)(elm, VSPLAY_ROOT(head))) != 0) {		\
		if (c < 0) {						\
			t = VSPLAY_LEFT(VSPLAY_ROOT(head), field);	\
			if (t == NULL)					\
				break;					\
			if ((cmp)(elm, t) < 0) {			\
				VSPLAY_ROTATE_RIGHT(head, t, field);	\
				if (VSPLAY_LEFT(VSPLAY_ROOT(head), field) == NULL) \
					break;				\
			}						\
			VSPLAY_LINKLEFT(head, r, field);		\
		} else {						\
			t = VSPLAY_RIGHT(VSPLAY_ROOT(head), field);	\
			if (t == NULL)					\
				break;					\
			if ((cmp)(elm, t) > 0) {			\
				VSPLAY_ROTATE_LEFT(head, t, field);	\
				if (VSPLAY_RIGHT(VSPLAY_ROOT(head), field) == NULL) \
					break;				\
			}						\
			VSPLAY_LINKRIGHT(head, l, field);		\
		}							\
	}								\
	VSPLAY_ASSEMBLE(head, &side, l, r, field);			\
}									\
									\
/* Splay the least (val < 0) or greatest node to the root. */		\
void									\
name##_VSPLAY_MINMAX(struct name *head, int val)			\
{									\
	struct type side, *l = &side, *r = &side, *t;			\
									\
	VSPLAY_LEFT(&side, field) = VSPLAY_RIGHT(&side, field) = NULL;	\
	for (;;) {							\
		if (val < 0) {						\
			t = VSPLAY_LEFT(VSPLAY_ROOT(head), field);	\
			if (t == NULL)					\
				break;					\
			VSPLAY_ROTATE_RIGHT(head, t, field);		\
			if (VSPLAY_LEFT(VSPLAY_ROOT(head), field) == NULL) \
				break;					\
			VSPLAY_LINKLEFT(head, r, field);		\
		} else {						\
			t = VSPLAY_RIGHT(VSPLAY_ROOT(head), field);	\
			if (t == NULL)					\
				break;					\
			VSPLAY_ROTATE_LEFT(head, t, field);		\
			if (VSPLAY_RIGHT(VSPLAY_ROOT(head), field) == NULL) \
				break;					\
			VSPLAY_LINKRIGHT(head, l, field);		\
		}							\
	}								\
	VSPLAY_ASSEMBLE(head, &side, l, r, field);			\
}

#define VSPLAY_NEGINF	-1
#define VSPLAY_INF	1

#define VSPLAY_INSERT(name, x, y)	name##_VSPLAY_INSERT(x, y)
#define VSPLAY_REMOVE(name, x, y)	name##_VSPLAY_REMOVE(x, y)
#define VSPLAY_FIND(name, x, y)		name##_VSPLAY_FIND(x, y)
#define VSPLAY_NEXT(name, x, y)		name##_VSPLAY_NEXT(x, y)
#define VSPLAY_MIN(name, x)						\
	(VSPLAY_EMPTY(x) ? NULL : name##_VSPLAY_MIN_MAX(x, VSPLAY_NEGINF))
#define VSPLAY_MAX(name, x)						\
	(VSPLAY_EMPTY(x) ? NULL : name##_VSPLAY_MIN_MAX(x, VSPLAY_INF))
#define VSPLAY_FOREACH(x, name, head)					\
	for ((x) = VSPLAY_MIN(name, head); (x) != NULL;			\
	    (x) = VSPLAY_NEXT(name, head, x))

#endif /* VDISIM_VSPLAY_H_INCLUDED */
