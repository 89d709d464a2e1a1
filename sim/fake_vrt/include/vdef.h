/* vdef.h -- vdisim's copy of Varnish's base definitions: attribute macros, vmin/vmax,
 * pointer alignment, the vtim_* time types, txt. First include of every fake VRT header,
 * used by director C code and the C++ runtime alike; macros and types only, no state. */

#ifndef VDEF_H_INCLUDED
#define VDEF_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

/* Formatted output into a char array whose size the compiler knows. */
#define bprintf(buf, fmt, ...)						\
	do {								\
		int bprintf_n_ = snprintf(buf, sizeof buf, fmt, __VA_ARGS__); \
		assert(bprintf_n_ >= 0 && bprintf_n_ < (int)sizeof buf); \
	} while (0)

#define vbprintf(buf, fmt, ap)						\
	do {								\
		int vbprintf_n_ = vsnprintf(buf, sizeof buf, fmt, ap);	\
		assert(vbprintf_n_ >= 0 && vbprintf_n_ < (int)sizeof buf); \
	} while (0)

#define bstrcpy(dst, src)						\
	do {								\
		assert(strlen(src) + 1 <= sizeof (dst));		\
		strcpy((dst), (src));					\
	} while (0)

/* Close a file descriptor that must be open, and forget it. */
#define closefd(fdp)							\
	do {								\
		assert(*(fdp) >= 0);					\
		AZ(close(*(fdp)));					\
		*(fdp) = -1;						\
	} while (0)

/* ---- compiler attributes (GCC and Clang are the only targets) ---- */

#if !defined(__has_feature)
#  define __has_feature(x)	0
#endif

#ifndef __GNUC_PREREQ__
#  if defined(__GNUC__) && defined(__GNUC_MINOR__)
#    define __GNUC_PREREQ__(maj, min)					\
	(__GNUC__ > (maj) || (__GNUC__ == (maj) && __GNUC_MINOR__ >= (min)))
#  else
#    define __GNUC_PREREQ__(maj, min) 0
#  endif
#endif

#define v_printflike_(f, a)	__attribute__((format(printf, f, a)))
#define v_noreturn_		__attribute__((__noreturn__))
#define v_deprecated_		__attribute__((deprecated))
#define v_unused_		__attribute__((__unused__))
#define v_cold_			__attribute__((cold))
#define v_used_(x)		__attribute__((x, used))
#if defined(__clang__)
#  define v_dont_optimize	__attribute__((optnone))
#else
#  define v_dont_optimize	__attribute__((optimize("O")))
#endif

#if defined(__has_attribute)
#  if __has_attribute(counted_by)
#    define v_counted_by_(field)	__attribute__((counted_by(field)))
#  endif
#endif
#ifndef v_counted_by_
#  define v_counted_by_(field)
#endif

#ifdef __cplusplus
#  define v_static_assert	static_assert
#else
#  define v_static_assert	_Static_assert
#endif

/* Markers for humans and lint; they expand to nothing. */
#define v_matchproto_(typedef_name)
#define v_statevariable_(varname)	varname
#define NEEDLESS(s)		s

#define v_gcov_flush()		do { } while (0)

#define LIKELY(x)		(x)
#define UNLIKELY(x)		(x)

/* ---- numeric limits of VCL INT and REAL (RFC 8941 ranges) ---- */

#define VRT_INTEGER_MAX		999999999999999
#define VRT_INTEGER_MIN		-999999999999999
#define VRT_DECIMAL_MAX		0x1.d1a94a1fffff8p+39
#define VRT_DECIMAL_MIN		-0x1.d1a94a1fffff8p+39

/* ---- pointer alignment ---- */

#define PALGN		(sizeof(void *) - 1)
#define PAOK(p)		(((uintptr_t)(p) & PALGN) == 0)
#define PRNDDN(p)	((uintptr_t)(p) & ~PALGN)
#define PRNDUP(p)	(((uintptr_t)(p) + PALGN) & ~PALGN)

/* Drop const/volatile; use sparingly. */
#define TRUST_ME(ptr)	((void *)(uintptr_t)(ptr))

/* ---- power-of-two rounding ---- */

#define PWR2(x)		((((x) - 1UL) & (x)) == 0)
#define RDN2(x, y)	((x) & (~((uintptr_t)(y) - 1UL)))
#define RUP2(x, y)	(((x) + ((y) - 1)) & (~((uintptr_t)(y) - 1UL)))

/* ---- min/max/clamp evaluating each argument once ----
 * Statement expressions and __typeof__ are GNU C; both compilers accept them
 * in -std=c11 and C++ as long as -pedantic is not given. */

#define VINDIRECT(a, b, c)	a ## b ## c
#define VCOMBINE(a, b, c)	VINDIRECT(a, b, c)
#define VUNIQ_NAME(base)	VCOMBINE(base, __LINE__, __COUNTER__)

#ifdef _lint
#  define typeof(x)		__typeof__(x)
#endif

#define _vtake(op, ta, tb, a, b, va, vb)				\
	({								\
		ta va = (a);						\
		tb vb = (b);						\
		(void)(&va == &vb);	/* types must be compatible */	\
		va op vb ? va : vb;					\
	})

#define opmin	<
#define opmax	>
#define vtake(n, ta, tb, a, b)						\
	_vtake(op ## n, ta, tb, a, b,					\
	    VUNIQ_NAME(v_ ## n ## _a), VUNIQ_NAME(v_ ## n ## _b))

#define vmin(a, b)		vtake(min, __typeof__(a), __typeof__(b), a, b)
#define vmax(a, b)		vtake(max, __typeof__(a), __typeof__(b), a, b)
#define vmin_t(type, a, b)	vtake(min, type, type, a, b)
#define vmax_t(type, a, b)	vtake(max, type, type, a, b)

/* Element count of a true array (never of a pointer). */
#define vcountof(arr)		(sizeof(arr) / sizeof((arr)[0]))

#define vlimit(a, l, u)		vmax((l), vmin((a), (u)))
#define vlimit_t(type, a, l, u)	vmax_t(type, (l), vmin_t(type, (a), (u)))

/* ---- time: seconds as double on three clocks (real, monotonic, duration) ---- */

typedef double vtim_mono;
typedef double vtim_real;
typedef double vtim_dur;

/* ---- a [b, e) character span; Tcheck/Tlen need vas.h for pdiff() ---- */

typedef struct {
	const char	*b;
	const char	*e;
} txt;

#define Tcheck(t)	do { (void)pdiff((t).b, (t).e); } while (0)
#define Tlen(t)		(pdiff((t).b, (t).e))
#define Tstr(s)		((txt){(s), (s) + strlen(s)})
#define Tstrcmp(t, s)	(strncmp((t).b, (s), Tlen(t)))
#define Tforeach(c, t)	for ((c) = (t).b; (c) < (t).e; (c)++)

/* Cast away qualifiers; vqueue.h's VSTAILQ_LAST needs __containerof. */
#ifndef __DEQUALIFY
#  define __DEQUALIFY(type, var)	((type)(uintptr_t)(const volatile void *)(var))
#endif

#ifndef __containerof
#  define __containerof(x, s, m)					\
	({								\
		const volatile __typeof(((s *)0)->m) *vdef_mp_ = (x);	\
		__DEQUALIFY(s *, (const volatile char *)vdef_mp_ -	\
		    offsetof(s, m));					\
	})
#endif

#endif /* VDEF_H_INCLUDED */
