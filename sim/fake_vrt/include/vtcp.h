/* vtcp.h -- Varnish's VTCP_* TCP helpers as vdisim provides them. libvmod-dynamic
 * formats backend addresses with VTCP_name. A run has no real sockets and must never
 * block, so in vdisim:
 *  - VTCP_name works (numeric, no lookups); VTCP_myname/VTCP_hisname work on a real
 *    socket and write "<none>" otherwise; VTCP_Check is Varnish's errno filter.
 *  - every call that would open, connect, bind, listen, read or set options returns
 *    -1 with errno = EOPNOTSUPP (and *err / *errp set to a message); VTCP_my_suckaddr
 *    returns NULL when the fd is no socket; VTCP_blocking, VTCP_nonblocking and
 *    VTCP_set_read_timeout do nothing; VTCP_close only sets *s = -1. */

#ifndef VTCP_H_INCLUDED
#define VTCP_H_INCLUDED

#include <sys/types.h>

#include "vdef.h"
#include "vas.h"

#ifdef __cplusplus
extern "C" {
#endif

struct suckaddr;

/* Room for a numeric host and port. */
#define VTCP_ADDRBUFSIZE		64
#define VTCP_PORTBUFSIZE		16

int VTCP_Check(ssize_t a);
#define VTCP_Assert(a) assert(VTCP_Check(a))

struct suckaddr *VTCP_my_suckaddr(int sock);
void VTCP_myname(int sock, char *abuf, unsigned alen,
    char *pbuf, unsigned plen);
void VTCP_hisname(int sock, char *abuf, unsigned alen,
    char *pbuf, unsigned plen);
int VTCP_filter_http(int sock);
int VTCP_fastopen(int sock, int depth);
void VTCP_blocking(int sock);
void VTCP_nonblocking(int sock);
int VTCP_linger(int sock, int linger);
int VTCP_check_hup(int sock);

void VTCP_name(const struct suckaddr *addr, char *abuf, unsigned alen,
    char *pbuf, unsigned plen);
int VTCP_connected(int s);
int VTCP_connect(const struct suckaddr *name, int msec);
int VTCP_open(const char *addr, const char *def_port, vtim_dur timeout,
    const char **err);
void VTCP_close(int *s);
int VTCP_bind(const struct suckaddr *addr, const char **errp);
int VTCP_listen(const struct suckaddr *addr, int depth, const char **errp);
int VTCP_listen_on(const char *addr, const char *def_port, int depth,
    const char **errp);
void VTCP_set_read_timeout(int s, vtim_dur seconds);
int VTCP_read(int fd, void *ptr, size_t len, vtim_dur tmo);

#ifdef __cplusplus
}
#endif

#endif /* VTCP_H_INCLUDED */
