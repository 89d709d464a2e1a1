/* vqueue.h -- vdisim's intrusive lists with Varnish's VSLIST/VSTAILQ/VLIST/VTAILQ names
 * and field layout (the BSD queue(3) family). Director vmods (directors, dynamic,
 * saintmode) keep backends, refs and trouble lists in them. Macros only, no state. */

#ifndef VARNISH_QUEUE_H
#define VARNISH_QUEUE_H

#include <stddef.h>

/* Varnish's debug hooks; empty in every build, kept so code naming them compiles. */
#define TRACEBUF
#define TRACEBUF_INITIALIZER
#define TRASHIT(x)

/* The struct holding a link member, from the link member's address. */
#define VQUEUE_OWNER_(ptr, type, member)				\
	((struct type *)(void *)((char *)(ptr) - offsetof(struct type, member)))

/* ==== VSLIST: singly linked, head points at the first element ==== */

#define VSLIST_HEAD(name, type)						\
struct name {								\
	struct type *vslh_first;					\
}
#define VSLIST_HEAD_INITIALIZER(head)	{ NULL }
#define VSLIST_ENTRY(type)						\
struct {								\
	struct type *vsle_next;						\
}

#define VSLIST_EMPTY(head)	((head)->vslh_first == NULL)
#define VSLIST_FIRST(head)	((head)->vslh_first)
#define VSLIST_NEXT(elm, field)	((elm)->field.vsle_next)

#define VSLIST_FOREACH(var, head, field)				\
	for ((var) = VSLIST_FIRST(head); (var) != NULL;			\
	    (var) = VSLIST_NEXT(var, field))
/* _FROM: start at var, or at the head when var is NULL. */
#define VSLIST_FOREACH_FROM(var, head, field)				\
	for ((var) = ((var) != NULL ? (var) : VSLIST_FIRST(head));	\
	    (var) != NULL; (var) = VSLIST_NEXT(var, field))
/* _SAFE: tvar keeps the successor, so var may be unlinked or freed. */
#define VSLIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = VSLIST_FIRST(head);				\
	    (var) != NULL && (((tvar) = VSLIST_NEXT(var, field)), 1);	\
	    (var) = (tvar))
#define VSLIST_FOREACH_FROM_SAFE(var, head, field, tvar)		\
	for ((var) = ((var) != NULL ? (var) : VSLIST_FIRST(head));	\
	    (var) != NULL && (((tvar) = VSLIST_NEXT(var, field)), 1);	\
	    (var) = (tvar))
/* varp walks the link slots: after the loop it names the slot holding var. */
#define VSLIST_FOREACH_PREVPTR(var, varp, head, field)			\
	for ((varp) = &VSLIST_FIRST(head); ((var) = *(varp)) != NULL;	\
	    (varp) = &VSLIST_NEXT(var, field))

#define VSLIST_INIT(head) do {						\
	VSLIST_FIRST(head) = NULL;					\
} while (0)
#define VSLIST_INSERT_AFTER(slistelm, elm, field) do {			\
	VSLIST_NEXT(elm, field) = VSLIST_NEXT(slistelm, field);		\
	VSLIST_NEXT(slistelm, field) = (elm);				\
} while (0)
#define VSLIST_INSERT_HEAD(head, elm, field) do {			\
	VSLIST_NEXT(elm, field) = VSLIST_FIRST(head);			\
	VSLIST_FIRST(head) = (elm);					\
} while (0)
#define VSLIST_REMOVE_AFTER(elm, field) do {				\
	VSLIST_NEXT(elm, field) =					\
	    VSLIST_NEXT(VSLIST_NEXT(elm, field), field);		\
} while (0)
#define VSLIST_REMOVE_HEAD(head, field) do {				\
	VSLIST_FIRST(head) = VSLIST_NEXT(VSLIST_FIRST(head), field);	\
} while (0)
/* O(n): find the link slot that points at elm, then bypass elm. */
#define VSLIST_REMOVE(head, elm, type, field) do {			\
	struct type **vq_slot_ = &VSLIST_FIRST(head);			\
	while (*vq_slot_ != (elm))					\
		vq_slot_ = &VSLIST_NEXT(*vq_slot_, field);		\
	*vq_slot_ = VSLIST_NEXT(elm, field);				\
} while (0)
#define VSLIST_SWAP(head1, head2, type) do {				\
	struct type *vq_tmp_ = VSLIST_FIRST(head1);			\
	VSLIST_FIRST(head1) = VSLIST_FIRST(head2);			\
	VSLIST_FIRST(head2) = vq_tmp_;					\
} while (0)

/* ==== VSTAILQ: singly linked with a tail slot for O(1) append ==== */

#define VSTAILQ_HEAD(name, type)					\
struct name {								\
	struct type *vstqh_first;					\
	struct type **vstqh_last;	/* the last element's next slot */	\
}
#define VSTAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).vstqh_first }
#define VSTAILQ_ENTRY(type)						\
struct {								\
	struct type *vstqe_next;					\
}

#define VSTAILQ_EMPTY(head)	((head)->vstqh_first == NULL)
#define VSTAILQ_FIRST(head)	((head)->vstqh_first)
#define VSTAILQ_NEXT(elm, field)	((elm)->field.vstqe_next)
/* The tail slot lives inside the last element (or in the head when empty). */
#define VSTAILQ_LAST(head, type, field)					\
	(VSTAILQ_EMPTY(head) ? NULL :					\
	    VQUEUE_OWNER_((head)->vstqh_last, type, field.vstqe_next))

#define VSTAILQ_FOREACH(var, head, field)				\
	for ((var) = VSTAILQ_FIRST(head); (var) != NULL;		\
	    (var) = VSTAILQ_NEXT(var, field))
#define VSTAILQ_FOREACH_FROM(var, head, field)				\
	for ((var) = ((var) != NULL ? (var) : VSTAILQ_FIRST(head));	\
	    (var) != NULL; (var) = VSTAILQ_NEXT(var, field))
#define VSTAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = VSTAILQ_FIRST(head);				\
	    (var) != NULL && (((tvar) = VSTAILQ_NEXT(var, field)), 1);	\
	    (var) = (tvar))
#define VSTAILQ_FOREACH_FROM_SAFE(var, head, field, tvar)		\
	for ((var) = ((var) != NULL ? (var) : VSTAILQ_FIRST(head));	\
	    (var) != NULL && (((tvar) = VSTAILQ_NEXT(var, field)), 1);	\
	    (var) = (tvar))

#define VSTAILQ_INIT(head) do {						\
	VSTAILQ_FIRST(head) = NULL;					\
	(head)->vstqh_last = &VSTAILQ_FIRST(head);			\
} while (0)
#define VSTAILQ_CONCAT(head1, head2) do {				\
	if (VSTAILQ_FIRST(head2) != NULL) {				\
		*(head1)->vstqh_last = VSTAILQ_FIRST(head2);		\
		(head1)->vstqh_last = (head2)->vstqh_last;		\
		VSTAILQ_INIT(head2);					\
	}								\
} while (0)
#define VSTAILQ_INSERT_AFTER(head, tqelm, elm, field) do {		\
	VSTAILQ_NEXT(elm, field) = VSTAILQ_NEXT(tqelm, field);		\
	if (VSTAILQ_NEXT(elm, field) == NULL)				\
		(head)->vstqh_last = &VSTAILQ_NEXT(elm, field);		\
	VSTAILQ_NEXT(tqelm, field) = (elm);				\
} while (0)
#define VSTAILQ_INSERT_HEAD(head, elm, field) do {			\
	VSTAILQ_NEXT(elm, field) = VSTAILQ_FIRST(head);			\
	if (VSTAILQ_NEXT(elm, field) == NULL)				\
		(head)->vstqh_last = &VSTAILQ_NEXT(elm, field);		\
	VSTAILQ_FIRST(head) = (elm);					\
} while (0)
#define VSTAILQ_INSERT_TAIL(head, elm, field) do {			\
	VSTAILQ_NEXT(elm, field) = NULL;				\
	*(head)->vstqh_last = (elm);					\
	(head)->vstqh_last = &VSTAILQ_NEXT(elm, field);			\
} while (0)
#define VSTAILQ_REMOVE_AFTER(head, elm, field) do {			\
	VSTAILQ_NEXT(elm, field) =					\
	    VSTAILQ_NEXT(VSTAILQ_NEXT(elm, field), field);		\
	if (VSTAILQ_NEXT(elm, field) == NULL)				\
		(head)->vstqh_last = &VSTAILQ_NEXT(elm, field);		\
} while (0)
#define VSTAILQ_REMOVE_HEAD(head, field) do {				\
	VSTAILQ_FIRST(head) = VSTAILQ_NEXT(VSTAILQ_FIRST(head), field);	\
	if (VSTAILQ_FIRST(head) == NULL)				\
		(head)->vstqh_last = &VSTAILQ_FIRST(head);		\
} while (0)
/* O(n) like VSLIST_REMOVE; the tail slot follows when the last goes. */
#define VSTAILQ_REMOVE(head, elm, type, field) do {			\
	struct type **vq_slot_ = &VSTAILQ_FIRST(head);			\
	while (*vq_slot_ != (elm))					\
		vq_slot_ = &VSTAILQ_NEXT(*vq_slot_, field);		\
	*vq_slot_ = VSTAILQ_NEXT(elm, field);				\
	if (*vq_slot_ == NULL)						\
		(head)->vstqh_last = vq_slot_;				\
} while (0)
/* An empty list's tail slot must point into its own head, not the other's. */
#define VSTAILQ_SWAP(head1, head2, type) do {				\
	struct type *vq_first_ = VSTAILQ_FIRST(head1);			\
	struct type **vq_last_ = (head1)->vstqh_last;			\
	VSTAILQ_FIRST(head1) = VSTAILQ_FIRST(head2);			\
	(head1)->vstqh_last = (head2)->vstqh_last;			\
	VSTAILQ_FIRST(head2) = vq_first_;				\
	(head2)->vstqh_last = vq_last_;					\
	if (VSTAILQ_FIRST(head1) == NULL)				\
		(head1)->vstqh_last = &VSTAILQ_FIRST(head1);		\
	if (VSTAILQ_FIRST(head2) == NULL)				\
		(head2)->vstqh_last = &VSTAILQ_FIRST(head2);		\
} while (0)

/* ==== VLIST: doubly linked, each element knows the slot pointing at it ==== */

#define VLIST_HEAD(name, type)						\
struct name {								\
	struct type *vlh_first;						\
}
#define VLIST_HEAD_INITIALIZER(head)	{ NULL }
#define VLIST_ENTRY(type)						\
struct {								\
	struct type *vle_next;						\
	struct type **vle_prev;		/* the slot that points here */	\
}

#define VLIST_EMPTY(head)	((head)->vlh_first == NULL)
#define VLIST_FIRST(head)	((head)->vlh_first)
#define VLIST_NEXT(elm, field)	((elm)->field.vle_next)
/* The previous element owns the slot elm's vle_prev names, unless that is the head. */
#define VLIST_PREV(elm, head, type, field)				\
	((elm)->field.vle_prev == &VLIST_FIRST(head) ? NULL :		\
	    VQUEUE_OWNER_((elm)->field.vle_prev, type, field.vle_next))

#define VLIST_FOREACH(var, head, field)					\
	for ((var) = VLIST_FIRST(head); (var) != NULL;			\
	    (var) = VLIST_NEXT(var, field))
#define VLIST_FOREACH_FROM(var, head, field)				\
	for ((var) = ((var) != NULL ? (var) : VLIST_FIRST(head));	\
	    (var) != NULL; (var) = VLIST_NEXT(var, field))
#define VLIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = VLIST_FIRST(head);					\
	    (var) != NULL && (((tvar) = VLIST_NEXT(var, field)), 1);	\
	    (var) = (tvar))
#define VLIST_FOREACH_FROM_SAFE(var, head, field, tvar)			\
	for ((var) = ((var) != NULL ? (var) : VLIST_FIRST(head));	\
	    (var) != NULL && (((tvar) = VLIST_NEXT(var, field)), 1);	\
	    (var) = (tvar))

#define VLIST_INIT(head) do {						\
	VLIST_FIRST(head) = NULL;					\
} while (0)
#define VLIST_INSERT_AFTER(listelm, elm, field) do {			\
	VLIST_NEXT(elm, field) = VLIST_NEXT(listelm, field);		\
	if (VLIST_NEXT(elm, field) != NULL)				\
		VLIST_NEXT(elm, field)->field.vle_prev =		\
		    &VLIST_NEXT(elm, field);				\
	VLIST_NEXT(listelm, field) = (elm);				\
	(elm)->field.vle_prev = &VLIST_NEXT(listelm, field);		\
} while (0)
#define VLIST_INSERT_BEFORE(listelm, elm, field) do {			\
	(elm)->field.vle_prev = (listelm)->field.vle_prev;		\
	VLIST_NEXT(elm, field) = (listelm);				\
	*(listelm)->field.vle_prev = (elm);				\
	(listelm)->field.vle_prev = &VLIST_NEXT(elm, field);		\
} while (0)
#define VLIST_INSERT_HEAD(head, elm, field) do {			\
	VLIST_NEXT(elm, field) = VLIST_FIRST(head);			\
	if (VLIST_NEXT(elm, field) != NULL)				\
		VLIST_FIRST(head)->field.vle_prev =			\
		    &VLIST_NEXT(elm, field);				\
	VLIST_FIRST(head) = (elm);					\
	(elm)->field.vle_prev = &VLIST_FIRST(head);			\
} while (0)
#define VLIST_REMOVE(elm, field) do {					\
	if (VLIST_NEXT(elm, field) != NULL)				\
		VLIST_NEXT(elm, field)->field.vle_prev =		\
		    (elm)->field.vle_prev;				\
	*(elm)->field.vle_prev = VLIST_NEXT(elm, field);		\
} while (0)
#define VLIST_SWAP(head1, head2, type, field) do {			\
	struct type *vq_tmp_ = VLIST_FIRST(head1);			\
	VLIST_FIRST(head1) = VLIST_FIRST(head2);			\
	VLIST_FIRST(head2) = vq_tmp_;					\
	if (VLIST_FIRST(head1) != NULL)					\
		VLIST_FIRST(head1)->field.vle_prev =			\
		    &VLIST_FIRST(head1);				\
	if (VLIST_FIRST(head2) != NULL)					\
		VLIST_FIRST(head2)->field.vle_prev =			\
		    &VLIST_FIRST(head2);				\
} while (0)

/* ==== VTAILQ: doubly linked with a tail slot ====
 * The head and the entry begin with the same two pointers, so a vtqe_prev or
 * vtqh_last slot can be read as a head struct to step backwards (LAST, PREV). */

#define VTAILQ_HEAD(name, type)						\
struct name {								\
	struct type *vtqh_first;					\
	struct type **vtqh_last;	/* the last element's next slot */	\
	TRACEBUF							\
}
#define VTAILQ_HEAD_INITIALIZER(head)					\
	{ NULL, &(head).vtqh_first, TRACEBUF_INITIALIZER }
#define VTAILQ_ENTRY(type)						\
struct {								\
	struct type *vtqe_next;						\
	struct type **vtqe_prev;	/* the slot that points here */	\
	TRACEBUF							\
}

#define VTAILQ_EMPTY(head)	((head)->vtqh_first == NULL)
#define VTAILQ_FIRST(head)	((head)->vtqh_first)
#define VTAILQ_NEXT(elm, field)	((elm)->field.vtqe_next)
#define VTAILQ_LAST(head, headname)					\
	(*(((struct headname *)(void *)((head)->vtqh_last))->vtqh_last))
#define VTAILQ_PREV(elm, headname, field)				\
	(*(((struct headname *)(void *)((elm)->field.vtqe_prev))->vtqh_last))

#define VTAILQ_FOREACH(var, head, field)				\
	for ((var) = VTAILQ_FIRST(head); (var) != NULL;			\
	    (var) = VTAILQ_NEXT(var, field))
#define VTAILQ_FOREACH_FROM(var, head, field)				\
	for ((var) = ((var) != NULL ? (var) : VTAILQ_FIRST(head));	\
	    (var) != NULL; (var) = VTAILQ_NEXT(var, field))
#define VTAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = VTAILQ_FIRST(head);				\
	    (var) != NULL && (((tvar) = VTAILQ_NEXT(var, field)), 1);	\
	    (var) = (tvar))
#define VTAILQ_FOREACH_FROM_SAFE(var, head, field, tvar)		\
	for ((var) = ((var) != NULL ? (var) : VTAILQ_FIRST(head));	\
	    (var) != NULL && (((tvar) = VTAILQ_NEXT(var, field)), 1);	\
	    (var) = (tvar))
#define VTAILQ_FOREACH_REVERSE(var, head, headname, field)		\
	for ((var) = VTAILQ_LAST(head, headname); (var) != NULL;	\
	    (var) = VTAILQ_PREV(var, headname, field))
#define VTAILQ_FOREACH_REVERSE_FROM(var, head, headname, field)		\
	for ((var) = ((var) != NULL ? (var) : VTAILQ_LAST(head, headname)); \
	    (var) != NULL; (var) = VTAILQ_PREV(var, headname, field))
#define VTAILQ_FOREACH_REVERSE_SAFE(var, head, headname, field, tvar)	\
	for ((var) = VTAILQ_LAST(head, headname);			\
	    (var) != NULL &&						\
	    (((tvar) = VTAILQ_PREV(var, headname, field)), 1);		\
	    (var) = (tvar))
#define VTAILQ_FOREACH_REVERSE_FROM_SAFE(var, head, headname, field, tvar) \
	for ((var) = ((var) != NULL ? (var) : VTAILQ_LAST(head, headname)); \
	    (var) != NULL &&						\
	    (((tvar) = VTAILQ_PREV(var, headname, field)), 1);		\
	    (var) = (tvar))

#define VTAILQ_INIT(head) do {						\
	VTAILQ_FIRST(head) = NULL;					\
	(head)->vtqh_last = &VTAILQ_FIRST(head);			\
} while (0)
#define VTAILQ_CONCAT(head1, head2, field) do {				\
	if (VTAILQ_FIRST(head2) != NULL) {				\
		*(head1)->vtqh_last = VTAILQ_FIRST(head2);		\
		VTAILQ_FIRST(head2)->field.vtqe_prev =			\
		    (head1)->vtqh_last;					\
		(head1)->vtqh_last = (head2)->vtqh_last;		\
		VTAILQ_INIT(head2);					\
	}								\
} while (0)
#define VTAILQ_INSERT_AFTER(head, listelm, elm, field) do {		\
	VTAILQ_NEXT(elm, field) = VTAILQ_NEXT(listelm, field);		\
	if (VTAILQ_NEXT(elm, field) != NULL)				\
		VTAILQ_NEXT(elm, field)->field.vtqe_prev =		\
		    &VTAILQ_NEXT(elm, field);				\
	else								\
		(head)->vtqh_last = &VTAILQ_NEXT(elm, field);		\
	VTAILQ_NEXT(listelm, field) = (elm);				\
	(elm)->field.vtqe_prev = &VTAILQ_NEXT(listelm, field);		\
} while (0)
#define VTAILQ_INSERT_BEFORE(listelm, elm, field) do {			\
	(elm)->field.vtqe_prev = (listelm)->field.vtqe_prev;		\
	VTAILQ_NEXT(elm, field) = (listelm);				\
	*(listelm)->field.vtqe_prev = (elm);				\
	(listelm)->field.vtqe_prev = &VTAILQ_NEXT(elm, field);		\
} while (0)
#define VTAILQ_INSERT_HEAD(head, elm, field) do {			\
	VTAILQ_NEXT(elm, field) = VTAILQ_FIRST(head);			\
	if (VTAILQ_NEXT(elm, field) != NULL)				\
		VTAILQ_FIRST(head)->field.vtqe_prev =			\
		    &VTAILQ_NEXT(elm, field);				\
	else								\
		(head)->vtqh_last = &VTAILQ_NEXT(elm, field);		\
	VTAILQ_FIRST(head) = (elm);					\
	(elm)->field.vtqe_prev = &VTAILQ_FIRST(head);			\
} while (0)
#define VTAILQ_INSERT_TAIL(head, elm, field) do {			\
	VTAILQ_NEXT(elm, field) = NULL;					\
	(elm)->field.vtqe_prev = (head)->vtqh_last;			\
	*(head)->vtqh_last = (elm);					\
	(head)->vtqh_last = &VTAILQ_NEXT(elm, field);			\
} while (0)
#define VTAILQ_REMOVE(head, elm, field) do {				\
	if (VTAILQ_NEXT(elm, field) != NULL)				\
		VTAILQ_NEXT(elm, field)->field.vtqe_prev =		\
		    (elm)->field.vtqe_prev;				\
	else								\
		(head)->vtqh_last = (elm)->field.vtqe_prev;		\
	*(elm)->field.vtqe_prev = VTAILQ_NEXT(elm, field);		\
} while (0)
/* Exchange contents; the first elements' back slots move to their new heads. */
#define VTAILQ_SWAP(head1, head2, type, field) do {			\
	struct type *vq_first_ = VTAILQ_FIRST(head1);			\
	struct type **vq_last_ = (head1)->vtqh_last;			\
	VTAILQ_FIRST(head1) = VTAILQ_FIRST(head2);			\
	(head1)->vtqh_last = (head2)->vtqh_last;			\
	VTAILQ_FIRST(head2) = vq_first_;				\
	(head2)->vtqh_last = vq_last_;					\
	if (VTAILQ_FIRST(head1) != NULL)				\
		VTAILQ_FIRST(head1)->field.vtqe_prev =			\
		    &VTAILQ_FIRST(head1);				\
	else								\
		(head1)->vtqh_last = &VTAILQ_FIRST(head1);		\
	if (VTAILQ_FIRST(head2) != NULL)				\
		VTAILQ_FIRST(head2)->field.vtqe_prev =			\
		    &VTAILQ_FIRST(head2);				\
	else								\
		(head2)->vtqh_last = &VTAILQ_FIRST(head2);		\
} while (0)

#endif /* VARNISH_QUEUE_H */
