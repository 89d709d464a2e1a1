/* miniobj.h -- Varnish's magic-numbered mini objects: allocate, check at every boundary,
 * poison on free (magic zeroed first). Used by director C code, the fake VRT C parts
 * and the C++ runtime; macros only. */

#ifndef MINIOBJ_H_INCLUDED
#define MINIOBJ_H_INCLUDED

#include <stdlib.h>
#include <string.h>

#include "vdef.h"
#include "vas.h"

/* C converts void * implicitly (and warns on dropped const); C++ needs a cast. */
#ifdef __cplusplus
#  define MINIOBJ_CONV_(to, v)	((__typeof__(to))(v))
#else
#  define MINIOBJ_CONV_(to, v)	(v)
#endif

/* Zero memory through a volatile function pointer so the store is not elided. */
#define ZERO_OBJ(to, sz)						\
	do {								\
		void *(*volatile zero_obj_fn_)(void *, int, size_t) = memset; \
		(void)zero_obj_fn_(to, 0, sz);				\
	} while (0)

#define INIT_OBJ(to, type_magic)					\
	do {								\
		(void)memset(to, 0, sizeof *(to));			\
		(to)->magic = (type_magic);				\
	} while (0)

/* Invalidate an object that lives in memory we do not free. */
#define FINI_OBJ(to)							\
	do {								\
		ZERO_OBJ(&(to)->magic, sizeof (to)->magic);		\
		(to) = NULL;						\
	} while (0)

#define ALLOC_OBJ(to, type_magic)					\
	do {								\
		(to) = MINIOBJ_CONV_(to, calloc(1, sizeof *(to)));		\
		if ((to) != NULL)					\
			(to)->magic = (type_magic);			\
	} while (0)

/* An object followed by extra_size bytes of trailing storage. */
#define ALLOC_OBJ_EXTRA(to, extra_size, type_magic)			\
	do {								\
		(to) = MINIOBJ_CONV_(to, calloc(1,			\
		    sizeof *(to) + (extra_size)));			\
		if ((to) != NULL)					\
			(to)->magic = (type_magic);			\
	} while (0)

/* Size of an object whose last member fld is a flexible array of len items. */
#define SIZEOF_FLEX_OBJ(to, fld, len)					\
	(offsetof(__typeof__(*(to)), fld) + (len) * sizeof *((to)->fld))

#define ALLOC_FLEX_OBJ(to, fld, len, type_magic)			\
	do {								\
		(to) = MINIOBJ_CONV_(to, calloc(1,			\
		    SIZEOF_FLEX_OBJ(to, fld, len)));			\
		if ((to) != NULL)					\
			(to)->magic = (type_magic);			\
	} while (0)

/* Older spelling for a trailing zero-length array member. */
#define ALLOC_OBJ_ARRAY(to, len, fld, type_magic)			\
	do {								\
		v_static_assert(					\
		    sizeof *(to) == offsetof(__typeof__(*(to)), fld),	\
		    "last member must be a zero-length array");		\
		(to) = MINIOBJ_CONV_(to, calloc(1,			\
		    sizeof *(to) + (len) * sizeof *((to)->fld)));	\
		if ((to) != NULL)					\
			(to)->magic = (type_magic);			\
	} while (0)

/* Poison first, then free: a later CHECK_OBJ on a stale pointer fails. */
#define FREE_OBJ(to)							\
	do {								\
		ZERO_OBJ(&(to)->magic, sizeof (to)->magic);		\
		free(to);						\
		(to) = NULL;						\
	} while (0)

/* A failed magic check: the runtime tells a use after free (A8: the pointer is into
 * memory freed during the run) from any other wrong pointer (an assertion). */
#ifdef __cplusplus
extern "C"
#endif
void vdisim_obj_fail(const void *ptr, const char *func, const char *file, int line,
    const char *cond) v_noreturn_;

#define MINIOBJ_MAGIC_IS_(ptr, type_magic)				\
	do {								\
		if ((ptr)->magic != (type_magic))			\
			vdisim_obj_fail((ptr), __func__, __FILE__,	\
			    __LINE__, "(" #ptr ")->magic == " #type_magic); \
	} while (0)

#define VALID_OBJ(ptr, type_magic)					\
	((ptr) != NULL && (ptr)->magic == (type_magic))

#define CHECK_OBJ(ptr, type_magic)					\
	MINIOBJ_MAGIC_IS_(ptr, type_magic)

#define CHECK_OBJ_NOTNULL(ptr, type_magic)				\
	do {								\
		VAS_ASSERT_((ptr) != NULL);				\
		MINIOBJ_MAGIC_IS_(ptr, type_magic);			\
	} while (0)

#define CHECK_OBJ_ORNULL(ptr, type_magic)				\
	do {								\
		if ((ptr) != NULL)					\
			MINIOBJ_MAGIC_IS_(ptr, type_magic);		\
	} while (0)

#define CAST_OBJ(to, from, type_magic)					\
	do {								\
		(to) = MINIOBJ_CONV_(to, from);				\
		if ((to) != NULL)					\
			CHECK_OBJ((to), (type_magic));			\
	} while (0)

#define CAST_OBJ_NOTNULL(to, from, type_magic)				\
	do {								\
		(to) = MINIOBJ_CONV_(to, from);				\
		AN((to));						\
		CHECK_OBJ((to), (type_magic));				\
	} while (0)

/* Move ownership out of *pfrom (which is cleared) into to. */
#define TAKE_OBJ_NOTNULL(to, pfrom, type_magic)				\
	do {								\
		AN((pfrom));						\
		(to) = *(pfrom);					\
		*(pfrom) = NULL;					\
		CHECK_OBJ_NOTNULL((to), (type_magic));			\
	} while (0)

/* Replace a malloc'ed string with a copy of val (or NULL). */
#define REPLACE(ptr, val)						\
	do {								\
		const char *replace_val_ = (val);			\
		free(ptr);						\
		if (replace_val_ != NULL) {				\
			(ptr) = strdup(replace_val_);			\
			AN((ptr));					\
		} else {						\
			(ptr) = NULL;					\
		}							\
	} while (0)

#endif /* MINIOBJ_H_INCLUDED */
