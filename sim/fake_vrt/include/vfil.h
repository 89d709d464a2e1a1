/* vfil.h -- libvarnish's file helpers, the part in-tree vmods call (vmod_std's
 * std.fileread()). Not installed by Varnish. Files are read from the real file system:
 * a scenario that reads a file depends on its content, nothing else. */

#ifndef VFIL_H_INCLUDED
#define VFIL_H_INCLUDED

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The whole of fn (under pfx when fn is relative and pfx is not NULL), NUL-terminated,
 * in memory the caller free()s; its length in *sz when sz is not NULL. NULL and errno
 * on failure. */
char *VFIL_readfile(const char *pfx, const char *fn, ssize_t *sz);

#ifdef __cplusplus
}
#endif

#endif /* VFIL_H_INCLUDED */
