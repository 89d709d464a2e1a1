/* vas.h -- Varnish assertions (assert, AN, AZ, WRONG, PTOK...) for director C code and
 * the fake VRT C parts. Failures call the runtime's VAS_Fail(), which throws a C++
 * exception: C that includes this must be built with -fexceptions. NDEBUG has no effect. */

#ifndef VAS_H_INCLUDED
#define VAS_H_INCLUDED

/* errno.h: Varnish's vas.h includes it, and vmods (vmod_blob, vmod_vtc) use errno and
 * E* codes with no include of their own. */
#include <errno.h>
#include <stddef.h>

#include "vdef.h"

#ifdef __cplusplus
extern "C" {
#endif

enum vas_e {
	VAS_WRONG,
	VAS_MISSING,
	VAS_ASSERT,
	VAS_INCOMPLETE,
	VAS_VCL,
};

typedef void vas_f(const char *func, const char *file, int line,
    const char *cond, enum vas_e kind);

/* Runtime-provided; never returns (throws a C++ exception). */
void VAS_Fail(const char *func, const char *file, int line,
    const char *cond, enum vas_e kind) v_noreturn_;

/* varnishd's hook for failed asserts (its panic handler). vdisim defines it, NULL, and
 * its VAS_Fail never calls it: a failed assert is always a reported failure. */
extern vas_f *VAS_Fail_Func;

/* strerror(e), never NULL. */
const char *VAS_errtxt(int e);

#ifdef __cplusplus
}
#endif

/* The check behind assert(), AN(), AZ(): a name of its own, so that an <assert.h>
 * included later (it redefines assert() each time, to nothing under NDEBUG) cannot
 * switch AN() and AZ() off. */
#define VAS_ASSERT_(e)							\
	do {								\
		if (!(e))						\
			VAS_Fail(__func__, __FILE__, __LINE__, #e,	\
			    VAS_ASSERT);				\
	} while (0)

/* Whoever included <assert.h> before us gets our assert() from here on. */
#include "vas_assert.h"

/* A condition the code should handle but does not yet (e.g. malloc failure). */
#define xxxassert(e)							\
	do {								\
		if (!(e))						\
			VAS_Fail(__func__, __FILE__, __LINE__, #e,	\
			    VAS_MISSING);				\
	} while (0)

#define AZ(foo)		do { VAS_ASSERT_((foo) == 0); } while (0)
#define AN(foo)		do { VAS_ASSERT_((foo) != 0); } while (0)
#define XXXAZ(foo)	do { xxxassert((foo) == 0); } while (0)
#define XXXAN(foo)	do { xxxassert((foo) != 0); } while (0)

/* Expensive checks; kept on in the simulator. */
#define diagnostic(foo)	VAS_ASSERT_(foo)

#define WRONG(expl)							\
	do {								\
		VAS_Fail(__func__, __FILE__, __LINE__, expl, VAS_WRONG); \
	} while (0)

#define INCOMPL()							\
	do {								\
		VAS_Fail(__func__, __FILE__, __LINE__, "",		\
		    VAS_INCOMPLETE);					\
	} while (0)

/* pthread_* calls return 0 or an error number; anything but 0 is a bug. */
#define PTOK(call)	AZ(call)

/* Byte distance from b to e; both non-NULL and b <= e. */
static inline size_t
pdiff(const void *b, const void *e)
{

	AN(b);
	AN(e);
	assert(b <= e);
	return ((size_t)((const char *)e - (const char *)b));
}

#endif /* VAS_H_INCLUDED */
