/* vsa.h -- vdisim's socket address box (struct suckaddr) with Varnish's VSA_* API:
 * an opaque, magic-checked copy of an IPv4 or IPv6 sockaddr. libvmod-dynamic builds
 * them from resolver answers and compares them; VCL_IP points at one. */

#ifndef VSA_H_INCLUDED
#define VSA_H_INCLUDED

#include <stddef.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

struct suckaddr;
extern const size_t vsa_suckaddr_len;
/* 0.0.0.0 port 0 and :: port 0 (valid before VSA_Init() too, in vdisim). */
extern const struct suckaddr *bogo_ip;
extern const struct suckaddr *bogo_ip6;

void VSA_Init(void);
int VSA_Sane(const struct suckaddr *);
unsigned VSA_Port(const struct suckaddr *);
int VSA_Compare(const struct suckaddr *, const struct suckaddr *);
int VSA_Compare_IP(const struct suckaddr *, const struct suckaddr *);
const struct suckaddr *VSA_Clone(const struct suckaddr *sua);
const struct suckaddr *VSA_getsockname(int, void *, size_t);
const struct suckaddr *VSA_getpeername(int, void *, size_t);
void VSA_free(const struct suckaddr **);

const void *VSA_Get_Sockaddr(const struct suckaddr *, socklen_t *sl);
int VSA_Get_Proto(const struct suckaddr *);

/* From a sockaddr s of length sal; the result is malloc'ed (free() or VSA_free). */
const struct suckaddr *VSA_Malloc(const void *s, unsigned  sal);

/* Like VSA_Malloc, but into d (vsa_suckaddr_len bytes) unless d is NULL. */
const struct suckaddr *VSA_Build(void *d, const void *s, unsigned sal);

/* From family, address bytes (a, al) and network-order port (p, pl) into d;
 * NULL or empty parts stay zero, a wrong length gives NULL with errno EINVAL. */
const struct suckaddr * VSA_BuildFAP(void *d, sa_family_t fam,
    const void *a, unsigned al, const void *p, unsigned pl);

/* Address family, with *dst at the raw address bytes (for ACL matching). */
int VSA_GetPtr(const struct suckaddr *sua, const unsigned char ** dst);

#ifdef __cplusplus
}
#endif

#endif
