/* vtcp.c -- vdisim's VTCP_* (vtcp.h). Address formatting is real (inet_ntop, no
 * name service); everything that would do socket I/O is refused with EOPNOTSUPP,
 * because a simulated run has no sockets and must not block its OS thread. */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "vdef.h"
#include "vas.h"
#include "vsa.h"
#include "vtcp.h"
#include "vdisim_alloc.h"

static const char vtcp_nosock[] = "vdisim: no real sockets (EOPNOTSUPP)";

static int
vtcp_refuse(void)
{

	errno = EOPNOTSUPP;
	return (-1);
}

/* Errors a peer can cause; Varnish treats them as normal connection ends. */
int
VTCP_Check(ssize_t a)
{

	if (a >= 0)
		return (1);
	switch (errno) {
	case ECONNRESET: case ENOTCONN: case EPIPE: case ETIMEDOUT:
	case EAGAIN:
#if EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
	case ENETDOWN: case ENETUNREACH: case ENETRESET: case ECONNABORTED:
	case EHOSTUNREACH: case EHOSTDOWN:
		return (1);
	default:
		return (0);
	}
}

static void
vtcp_put(char *buf, unsigned len, const char *s)
{

	if (buf != NULL)
		(void)snprintf(buf, len, "%s", s);
}

/* Numeric form; an IPv4-mapped IPv6 address prints as plain IPv4, as Varnish does. */
void
VTCP_name(const struct suckaddr *addr, char *abuf, unsigned alen,
    char *pbuf, unsigned plen)
{
	const struct sockaddr_in6 *s6;
	const struct sockaddr *sa;
	char tmp[INET6_ADDRSTRLEN];
	const void *raw;
	socklen_t sl;
	int fam;

	assert(abuf == NULL || alen > 0);
	assert(pbuf == NULL || plen > 0);
	sa = VSA_Get_Sockaddr(addr, &sl);
	AN(sa);
	fam = sa->sa_family;
	if (fam == AF_INET) {
		raw = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	} else {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		raw = &s6->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			fam = AF_INET;
			raw = s6->sin6_addr.s6_addr + 12;
		}
	}
	if (inet_ntop(fam, raw, tmp, sizeof tmp) == NULL) {
		vtcp_put(abuf, alen, "Conversion");
		vtcp_put(pbuf, plen, "Failed");
		return;
	}
	vtcp_put(abuf, alen, tmp);
	if (pbuf != NULL)
		(void)snprintf(pbuf, plen, "%u", VSA_Port(addr));
}

struct suckaddr *
VTCP_my_suckaddr(int sock)
{
	void *buf = vdisim_malloc(vsa_suckaddr_len);

	AN(buf);
	if (VSA_getsockname(sock, buf, vsa_suckaddr_len) == NULL) {
		vdisim_free(buf);
		return (NULL);
	}
	return (buf);
}

static void
vtcp_sockname(int sock, int peer, char *abuf, unsigned alen,
    char *pbuf, unsigned plen)
{
	/* aligned room for a struct suckaddr, whose size only vsa.c knows */
	_Alignas(max_align_t) char buf[256];
	const struct suckaddr *sua;

	assert(vsa_suckaddr_len <= sizeof buf);
	sua = peer ? VSA_getpeername(sock, buf, vsa_suckaddr_len) :
	    VSA_getsockname(sock, buf, vsa_suckaddr_len);
	if (sua != NULL && VSA_Sane(sua)) {
		VTCP_name(sua, abuf, alen, pbuf, plen);
		return;
	}
	vtcp_put(abuf, alen, "<none>");
	vtcp_put(pbuf, plen, "<none>");
}

void
VTCP_myname(int sock, char *abuf, unsigned alen, char *pbuf, unsigned plen)
{

	vtcp_sockname(sock, 0, abuf, alen, pbuf, plen);
}

void
VTCP_hisname(int sock, char *abuf, unsigned alen, char *pbuf, unsigned plen)
{

	vtcp_sockname(sock, 1, abuf, alen, pbuf, plen);
}

int
VTCP_filter_http(int sock)
{

	(void)sock;
	return (vtcp_refuse());
}

int
VTCP_fastopen(int sock, int depth)
{

	(void)sock;
	(void)depth;
	return (vtcp_refuse());
}

void
VTCP_blocking(int sock)
{

	(void)sock;
}

void
VTCP_nonblocking(int sock)
{

	(void)sock;
}

int
VTCP_linger(int sock, int linger)
{

	(void)sock;
	(void)linger;
	return (vtcp_refuse());
}

int
VTCP_check_hup(int sock)
{

	(void)sock;
	return (vtcp_refuse());
}

int
VTCP_connected(int s)
{

	(void)s;
	return (vtcp_refuse());
}

int
VTCP_connect(const struct suckaddr *name, int msec)
{

	(void)name;
	(void)msec;
	return (vtcp_refuse());
}

int
VTCP_open(const char *addr, const char *def_port, vtim_dur timeout,
    const char **err)
{

	(void)addr;
	(void)def_port;
	(void)timeout;
	if (err != NULL)
		*err = vtcp_nosock;
	return (vtcp_refuse());
}

void
VTCP_close(int *s)
{

	AN(s);
	*s = -1;
}

int
VTCP_bind(const struct suckaddr *addr, const char **errp)
{

	(void)addr;
	if (errp != NULL)
		*errp = vtcp_nosock;
	return (vtcp_refuse());
}

int
VTCP_listen(const struct suckaddr *addr, int depth, const char **errp)
{

	(void)addr;
	(void)depth;
	if (errp != NULL)
		*errp = vtcp_nosock;
	return (vtcp_refuse());
}

int
VTCP_listen_on(const char *addr, const char *def_port, int depth,
    const char **errp)
{

	(void)addr;
	(void)def_port;
	(void)depth;
	if (errp != NULL)
		*errp = vtcp_nosock;
	return (vtcp_refuse());
}

void
VTCP_set_read_timeout(int s, vtim_dur seconds)
{

	(void)s;
	(void)seconds;
}

int
VTCP_read(int fd, void *ptr, size_t len, vtim_dur tmo)
{

	(void)fd;
	(void)ptr;
	(void)len;
	(void)tmo;
	return (vtcp_refuse());
}
