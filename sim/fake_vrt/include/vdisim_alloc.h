/* vdisim_alloc.h -- routes director C code's malloc/calloc/realloc/free/strdup through
 * the runtime, which poisons freed blocks and keeps them until the run ends, so a use
 * after free fails its magic check every time instead of by luck. Included last by
 * cache/cache.h; only active for C (the C++ runtime keeps the libc functions). */
#ifndef VDISIM_ALLOC_H_INCLUDED
#define VDISIM_ALLOC_H_INCLUDED

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif
void *vdisim_malloc(size_t n);
void *vdisim_calloc(size_t n, size_t m);
void *vdisim_realloc(void *p, size_t n);
void vdisim_free(void *p);
char *vdisim_strdup(const char *s);
#ifdef __cplusplus
}
#endif

#ifndef __cplusplus
/* <stdlib.h> before the macros, so that its declarations stay libc's. Not <string.h>:
 * the prelude is force-included by varnishapi's Cflags, and autoconf's AC_CHECK_DECLS
 * needs `strchr` undeclared in a file that includes nothing. A later <string.h> declares
 * strdup through the macro: the same prototype as vdisim_strdup's. */
#include <stdlib.h>
#define malloc(n)	vdisim_malloc(n)
#define calloc(n, m)	vdisim_calloc(n, m)
#define realloc(p, n)	vdisim_realloc(p, n)
#define free(p)		vdisim_free(p)
#define strdup(s)	vdisim_strdup(s)
#endif

#endif /* VDISIM_ALLOC_H_INCLUDED */
