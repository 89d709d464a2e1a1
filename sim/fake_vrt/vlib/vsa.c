/* vsa.c -- vdisim's struct suckaddr (vsa.h): a magic number and a zeroed union of
 * sockaddr_in / sockaddr_in6. Only AF_INET and AF_INET6 are boxed; anything else is
 * refused with NULL. Heap copies come from vdisim_malloc so that director code may
 * release them with free() (cache.h maps it to vdisim_free). */

#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "vdef.h"
#include "vas.h"
#include "miniobj.h"
#include "vsa.h"
#include "vdisim_alloc.h"

struct suckaddr {
	unsigned			magic;
#define SUCKADDR_MAGIC			0x4b1e9335
	union {
		struct sockaddr		sa;
		struct sockaddr_in	sa4;
		struct sockaddr_in6	sa6;
	} u;
};

const size_t vsa_suckaddr_len = sizeof(struct suckaddr);

/* Valid from the start (Varnish fills them in VSA_Init at startup; a simulated
 * run has no startup a vmod could miss). */
static struct suckaddr vsa_bogo4 = {
	.magic = SUCKADDR_MAGIC, .u.sa4 = { .sin_family = AF_INET }
};
static struct suckaddr vsa_bogo6 = {
	.magic = SUCKADDR_MAGIC, .u.sa6 = { .sin6_family = AF_INET6 }
};
const struct suckaddr *bogo_ip = &vsa_bogo4;
const struct suckaddr *bogo_ip6 = &vsa_bogo6;

/* The sockaddr length a family needs, 0 for families we do not box. */
static unsigned
vsa_family_len(int fam)
{

	if (fam == AF_INET)
		return (sizeof(struct sockaddr_in));
	if (fam == AF_INET6)
		return (sizeof(struct sockaddr_in6));
	return (0);
}

void
VSA_Init(void)
{

	AN(VSA_BuildFAP(&vsa_bogo4, AF_INET, NULL, 0, NULL, 0));
	AN(VSA_BuildFAP(&vsa_bogo6, AF_INET6, NULL, 0, NULL, 0));
}

const struct suckaddr *
VSA_Build(void *d, const void *s, unsigned sal)
{
	const struct sockaddr *sa = s;
	struct suckaddr *sua;
	unsigned need;

	AN(s);
	need = vsa_family_len(sa->sa_family);
	if (need == 0 || need != sal) {
		errno = need == 0 ? EAFNOSUPPORT : EINVAL;
		return (NULL);
	}
	sua = d != NULL ? d : vdisim_malloc(sizeof *sua);
	AN(sua);
	/* zero first: Compare and Clone may look at every byte */
	memset(sua, 0, sizeof *sua);
	sua->magic = SUCKADDR_MAGIC;
	memcpy(&sua->u, s, sal);
	return (sua);
}

const struct suckaddr *
VSA_Malloc(const void *s, unsigned sal)
{

	return (VSA_Build(NULL, s, sal));
}

/* Copy an optional field: absent is fine, present must have the exact size. */
static int
vsa_put(void *dst, size_t want, const void *src, unsigned len)
{

	if (src == NULL || len == 0)
		return (0);
	if (len != want)
		return (-1);
	memcpy(dst, src, len);
	return (0);
}

const struct suckaddr *
VSA_BuildFAP(void *d, sa_family_t fam, const void *a, unsigned al,
    const void *p, unsigned pl)
{
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;

	if (fam == AF_INET) {
		memset(&s4, 0, sizeof s4);
		s4.sin_family = AF_INET;
		if (vsa_put(&s4.sin_addr, sizeof s4.sin_addr, a, al) ||
		    vsa_put(&s4.sin_port, sizeof s4.sin_port, p, pl)) {
			errno = EINVAL;
			return (NULL);
		}
		return (VSA_Build(d, &s4, sizeof s4));
	}
	if (fam == AF_INET6) {
		memset(&s6, 0, sizeof s6);
		s6.sin6_family = AF_INET6;
		if (vsa_put(&s6.sin6_addr, sizeof s6.sin6_addr, a, al) ||
		    vsa_put(&s6.sin6_port, sizeof s6.sin6_port, p, pl)) {
			errno = EINVAL;
			return (NULL);
		}
		return (VSA_Build(d, &s6, sizeof s6));
	}
	errno = EAFNOSUPPORT;
	return (NULL);
}

int
VSA_GetPtr(const struct suckaddr *sua, const unsigned char **dst)
{

	AN(dst);
	*dst = NULL;
	if (sua == NULL)
		return (-1);
	CHECK_OBJ_NOTNULL(sua, SUCKADDR_MAGIC);
	if (sua->u.sa.sa_family == AF_INET) {
		*dst = (const unsigned char *)&sua->u.sa4.sin_addr;
		return (AF_INET);
	}
	if (sua->u.sa.sa_family == AF_INET6) {
		*dst = (const unsigned char *)&sua->u.sa6.sin6_addr;
		return (AF_INET6);
	}
	return (-1);
}

const void *
VSA_Get_Sockaddr(const struct suckaddr *sua, socklen_t *sl)
{
	unsigned len;

	CHECK_OBJ_NOTNULL(sua, SUCKADDR_MAGIC);
	AN(sl);
	len = vsa_family_len(sua->u.sa.sa_family);
	if (len == 0)
		return (NULL);
	*sl = (socklen_t)len;
	return (&sua->u.sa);
}

int
VSA_Get_Proto(const struct suckaddr *sua)
{

	CHECK_OBJ_NOTNULL(sua, SUCKADDR_MAGIC);
	return (sua->u.sa.sa_family);
}

int
VSA_Sane(const struct suckaddr *sua)
{

	return (sua != NULL && sua->magic == SUCKADDR_MAGIC &&
	    vsa_family_len(sua->u.sa.sa_family) != 0);
}

static int
vsa_bytecmp(const void *a, const void *b, size_t n)
{
	int c = memcmp(a, b, n);

	return (c < 0 ? -1 : c > 0);
}

/* Total order: family, then the boxed sockaddr's bytes (all zeroed on build). */
int
VSA_Compare(const struct suckaddr *sua1, const struct suckaddr *sua2)
{

	CHECK_OBJ_NOTNULL(sua1, SUCKADDR_MAGIC);
	CHECK_OBJ_NOTNULL(sua2, SUCKADDR_MAGIC);
	if (sua1->u.sa.sa_family != sua2->u.sa.sa_family)
		return (sua1->u.sa.sa_family < sua2->u.sa.sa_family ? -1 : 1);
	return (vsa_bytecmp(&sua1->u, &sua2->u, sizeof sua1->u));
}

/* Address only (ports ignored); different families are simply unequal (-1). */
int
VSA_Compare_IP(const struct suckaddr *sua1, const struct suckaddr *sua2)
{

	assert(VSA_Sane(sua1));
	assert(VSA_Sane(sua2));
	if (sua1->u.sa.sa_family != sua2->u.sa.sa_family)
		return (-1);
	if (sua1->u.sa.sa_family == AF_INET)
		return (vsa_bytecmp(&sua1->u.sa4.sin_addr,
		    &sua2->u.sa4.sin_addr, sizeof(struct in_addr)));
	return (vsa_bytecmp(&sua1->u.sa6.sin6_addr,
	    &sua2->u.sa6.sin6_addr, sizeof(struct in6_addr)));
}

const struct suckaddr *
VSA_Clone(const struct suckaddr *sua)
{
	struct suckaddr *copy;

	assert(VSA_Sane(sua));
	copy = vdisim_malloc(sizeof *copy);
	AN(copy);
	memcpy(copy, sua, sizeof *copy);
	return (copy);
}

unsigned
VSA_Port(const struct suckaddr *sua)
{
	const uint8_t *p;

	CHECK_OBJ_NOTNULL(sua, SUCKADDR_MAGIC);
	if (sua->u.sa.sa_family == AF_INET)
		p = (const uint8_t *)&sua->u.sa4.sin_port;
	else if (sua->u.sa.sa_family == AF_INET6)
		p = (const uint8_t *)&sua->u.sa6.sin6_port;
	else
		return (0);
	return (((unsigned)p[0] << 8) | p[1]);	/* network order */
}

/* getsockname(2)/getpeername(2) never block; in a run there are no sockets,
 * so these normally fail (EBADF/ENOTSOCK) and return NULL. */
static const struct suckaddr *
vsa_getname(int fd, void *d, size_t l, int peer)
{
	struct suckaddr *sua = d;
	socklen_t sl;
	int r;

	AN(d);
	if (l != vsa_suckaddr_len) {
		errno = EINVAL;
		return (NULL);
	}
	memset(sua, 0, sizeof *sua);
	sua->magic = SUCKADDR_MAGIC;
	sl = sizeof sua->u;
	r = peer ? getpeername(fd, &sua->u.sa, &sl) :
	    getsockname(fd, &sua->u.sa, &sl);
	return (r == 0 ? sua : NULL);
}

const struct suckaddr *
VSA_getsockname(int fd, void *d, size_t l)
{

	return (vsa_getname(fd, d, l, 0));
}

const struct suckaddr *
VSA_getpeername(int fd, void *d, size_t l)
{

	return (vsa_getname(fd, d, l, 1));
}

void
VSA_free(const struct suckaddr **vsap)
{
	const struct suckaddr *sua;

	AN(vsap);
	sua = *vsap;
	*vsap = NULL;
	CHECK_OBJ_NOTNULL(sua, SUCKADDR_MAGIC);
	/* poison before release so a stale VCL_IP fails its magic check */
	((struct suckaddr *)(uintptr_t)sua)->magic = 0;
	vdisim_free((void *)(uintptr_t)sua);
}
