/* vfil.c -- vdisim's VFIL_readfile (vfil.h): a real read of a real file, into memory
 * from vdisim_malloc so that the vmod's free() (vdisim_free) accepts it. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vdef.h"
#include "vas.h"
#include "vfil.h"
#include "vdisim_alloc.h"

/* A file larger than this is refused (EFBIG): vmods read small files in vcl_init. */
#define VFIL_READ_MAX	((off_t)1 << 30)

static char *
vfil_read_fd(int fd, ssize_t *sz)
{
	struct stat st;
	char *buf;
	ssize_t got = 0, n;

	if (fstat(fd, &st) != 0)
		return (NULL);
	if (st.st_size > VFIL_READ_MAX) {
		errno = EFBIG;
		return (NULL);
	}
	buf = vdisim_malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		errno = ENOMEM;
		return (NULL);
	}
	/* Bounded by the size fstat gave: a file that grows meanwhile is cut there. */
	while (got < st.st_size) {
		n = read(fd, buf + got, (size_t)(st.st_size - got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vdisim_free(buf);
			return (NULL);
		}
		if (n == 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	if (sz != NULL)
		*sz = got;
	return (buf);
}

char *
VFIL_readfile(const char *pfx, const char *fn, ssize_t *sz)
{
	char path[4096];
	char *buf;
	int fd, e;

	AN(fn);
	if (fn[0] != '/' && pfx != NULL) {
		if (snprintf(path, sizeof path, "%s/%s", pfx, fn) >=
		    (int)sizeof path) {
			errno = ENAMETOOLONG;
			return (NULL);
		}
		fn = path;
	}
	fd = open(fn, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (NULL);
	buf = vfil_read_fd(fd, sz);
	e = errno;
	(void)close(fd);
	if (buf == NULL)
		errno = e;
	return (buf);
}
