/* vfil.h -- libvarnish's file helpers (Varnish 8.0.0's vfil.h: in-tree vmods call them,
 * vmod_std's std.fileread()). Not installed by Varnish. They work on the real file
 * system and real descriptors, as in varnishd: a scenario that reads a file depends on
 * its content, nothing else. */

#ifndef VFIL_H_INCLUDED
#define VFIL_H_INCLUDED

#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The whole of fn (/pfx/fn when fn is relative and pfx is not NULL), NUL-terminated,
 * in memory the caller free()s; its length in *sz when sz is not NULL. NULL and errno
 * on failure. */
char *VFIL_readfile(const char *pfx, const char *fn, ssize_t *sz);
/* Writes sz bytes of buf to fn (/pfx/fn as above), created or truncated, mode 0660:
 * 0, or -1 and errno. */
int VFIL_writefile(const char *pfx, const char *fn, const char *buf, size_t sz);

/* Points descriptor target at /dev/null. */
void VFIL_null_fd(int target);
/* Sets O_NONBLOCK on fd; fcntl's answer. */
int VFIL_nonblocking(int fd);
/* The file system of fd: its block size, size and space left (any may be NULL).
 * 0, or -1 and errno. */
int VFIL_fsinfo(int fd, unsigned *pbs, uintmax_t *size, uintmax_t *space);
/* Makes fd size bytes long, -1 (ENOSPC) when the file system cannot hold it; with
 * insist, writes the whole file with zeros so that its blocks exist. */
int VFIL_allocate(int fd, uintmax_t size, int insist);

/* A search path: directories separated by ':'. */
struct vfil_path;
/* Sets *pp (made on first use) to the directories of path. */
void VFIL_setpath(struct vfil_path **pp, const char *path);
/* Called with each existing candidate file: <= 0 ends the search there. */
typedef int vfil_path_func_f(void *priv, const char *fn);
/* Calls func on fni (absolute) or on each existing dir/fni in order, until one answers
 * <= 0: that answer, the file's name in *fno (free()d by the caller); -1 when none did.
 * With func NULL the file is read (VFIL_readfile) into *(char **)priv. */
int VFIL_searchpath(const struct vfil_path *vp, vfil_path_func_f *func, void *priv,
    const char *fni, char **fno);

#ifdef __cplusplus
}
#endif

#endif /* VFIL_H_INCLUDED */
