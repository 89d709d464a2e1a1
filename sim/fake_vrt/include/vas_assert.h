/*
 * vas.h's assert(): the check behind it is VAS_ASSERT_ (vas.h). Included by vas.h and
 * again before each file of a unity batch (the top CMakeLists): an <assert.h> included in
 * between redefines assert(), to nothing under NDEBUG, and with it the checks in
 * Varnish-style code. No include guard, as <assert.h> has none: each inclusion sets
 * assert() again, and only once vas.h has been seen.
 */
#ifdef VAS_H_INCLUDED
#undef assert
#define assert(e)	VAS_ASSERT_(e)
#endif
