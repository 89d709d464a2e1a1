/* vfil.c -- vdisim's VFIL_* (vfil.h): real reads and writes of real files and
 * descriptors, as libvarnish's. What a vmod may free() (a file's content, a found
 * file's name) comes from vdisim_malloc, so that its free() (vdisim_free) accepts it. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "vdef.h"
#include "vas.h"
#include "miniobj.h"
#include "vfil.h"
#include "vsb.h"
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

/* fn, or /pfx/fn for a relative fn with a prefix (as libvarnish joins them) in buf. */
static const char *
vfil_path_of(const char *pfx, const char *fn, char *buf, size_t len)
{

	AN(fn);
	if (fn[0] == '/' || pfx == NULL)
		return (fn);
	if (snprintf(buf, len, "/%s/%s", pfx, fn) >= (int)len) {
		errno = ENAMETOOLONG;
		return (NULL);
	}
	return (buf);
}

char *
VFIL_readfile(const char *pfx, const char *fn, ssize_t *sz)
{
	char path[4096];
	char *buf;
	int fd, e;

	fn = vfil_path_of(pfx, fn, path, sizeof path);
	if (fn == NULL)
		return (NULL);
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

int
VFIL_writefile(const char *pfx, const char *fn, const char *buf, size_t sz)
{
	char path[4096];
	ssize_t n;
	int fd, e, r = 0;

	fn = vfil_path_of(pfx, fn, path, sizeof path);
	if (fn == NULL)
		return (-1);
	fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
	if (fd < 0)
		return (-1);
	while (sz > 0) {
		n = write(fd, buf, sz);
		if (n <= 0) {
			r = -1;
			break;
		}
		buf += n;
		sz -= (size_t)n;
	}
	e = errno;
	(void)close(fd);
	errno = e;
	return (r);
}

void
VFIL_null_fd(int target)
{
	int fd;

	assert(target >= 0);
	fd = open("/dev/null", O_RDWR);
	assert(fd >= 0);
	assert(dup2(fd, target) == target);
	if (fd != target)
		AZ(close(fd));
}

int
VFIL_nonblocking(int fd)
{
	int fl;

	fl = fcntl(fd, F_GETFL);
	assert(fl != -1);
	fl = fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	assert(fl != -1);
	return (fl);
}

int
VFIL_fsinfo(int fd, unsigned *pbs, uintmax_t *size, uintmax_t *space)
{
	struct statvfs st;

	if (fstatvfs(fd, &st) != 0)
		return (-1);
	if (pbs != NULL)
		*pbs = (unsigned)st.f_frsize;
	if (size != NULL)
		*size = (uintmax_t)st.f_blocks * st.f_frsize;
	if (space != NULL)
		*space = (uintmax_t)st.f_bavail * st.f_frsize;
	return (0);
}

/* Without fallocate(2): with insist the zeros are written, as libvarnish does on file
 * systems other than ext4. */
int
VFIL_allocate(int fd, uintmax_t size, int insist)
{
	static const char zeros[65536];
	struct stat st;
	uintmax_t space, done;
	size_t chunk;
	int r = 0;

	if (ftruncate(fd, (off_t)size) != 0 || fstat(fd, &st) != 0)
		return (-1);
	if (VFIL_fsinfo(fd, NULL, NULL, &space) != 0)
		return (-1);
	if ((uintmax_t)st.st_blocks * 512 + space < size) {
		errno = ENOSPC;
		return (-1);
	}
	if (!insist)
		return (0);
	assert(lseek(fd, 0, SEEK_SET) == 0);
	for (done = 0; done < size; done += chunk) {
		chunk = size - done < sizeof zeros ? (size_t)(size - done) : sizeof zeros;
		if (write(fd, zeros, chunk) != (ssize_t)chunk) {
			r = -1;
			break;
		}
	}
	assert(lseek(fd, 0, SEEK_SET) == 0);
	return (r);
}

/* The directories of a search path, in order: the pointers point into str. */
struct vfil_path {
	unsigned		magic;
#define VFIL_PATH_MAGIC		0x92dbcc31
	char			*str;
	unsigned		ndirs;
	const char		**dirs;
};

void
VFIL_setpath(struct vfil_path **pp, const char *path)
{
	struct vfil_path *vp;
	const char *c;
	char *p, *q;
	unsigned n = 1;

	AN(pp);
	AN(path);
	vp = *pp;
	if (vp == NULL) {
		vp = vdisim_calloc(1, sizeof *vp);
		AN(vp);
		vp->magic = VFIL_PATH_MAGIC;
		*pp = vp;
	}
	CHECK_OBJ(vp, VFIL_PATH_MAGIC);
	for (c = path; *c != '\0'; c++)
		n += (*c == ':');
	vdisim_free(vp->str);
	vdisim_free(vp->dirs);
	vp->str = vdisim_strdup(path);
	vp->dirs = vdisim_calloc(n, sizeof *vp->dirs);
	AN(vp->str);
	AN(vp->dirs);
	vp->ndirs = 0;
	for (p = vp->str; p != NULL; p = q) {
		assert(vp->ndirs < n);
		vp->dirs[vp->ndirs++] = p;
		q = strchr(p, ':');
		if (q != NULL)
			*q++ = '\0';
	}
	assert(vp->ndirs == n);
}

/* The default search: the file's content into *(char **)priv; 1 (go on) if unreadable. */
static int
vfil_read_into(void *priv, const char *fn)
{
	char *buf;

	AN(priv);
	buf = VFIL_readfile(NULL, fn, NULL);
	if (buf == NULL)
		return (1);
	*(char **)priv = buf;
	return (0);
}

int
VFIL_searchpath(const struct vfil_path *vp, vfil_path_func_f *func, void *priv,
    const char *fni, char **fno)
{
	struct vsb *vsb;
	unsigned u;
	int r, e;

	CHECK_OBJ_NOTNULL(vp, VFIL_PATH_MAGIC);
	AN(fno);
	*fno = NULL;
	if (func == NULL) {
		AN(priv);
		func = vfil_read_into;
	}
	if (fni[0] == '/') {
		r = func(priv, fni);
		if (r <= 0) {
			*fno = vdisim_strdup(fni);
			AN(*fno);
		}
		return (r);
	}
	vsb = VSB_new_auto();
	AN(vsb);
	for (u = 0; u < vp->ndirs; u++) {
		VSB_clear(vsb);
		VSB_printf(vsb, "%s/%s", vp->dirs[u], fni);
		AZ(VSB_finish(vsb));
		if (access(VSB_data(vsb), F_OK) != 0)
			continue;
		r = func(priv, VSB_data(vsb));
		if (r <= 0) {
			e = errno;
			*fno = vdisim_strdup(VSB_data(vsb));
			AN(*fno);
			VSB_destroy(&vsb);
			errno = e;
			return (r);
		}
	}
	VSB_destroy(&vsb);
	return (-1);
}
