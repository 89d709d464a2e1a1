/* vss.h -- libvarnish's address resolver (VSS_*), as in-tree vmods call it (vmod_std's
 * std.ip()). Not installed by Varnish, but built into varnishd; here names are resolved
 * by vdisim_getaddrinfo, i.e. from the scenario's dns: section on virtual time. */

#ifndef VSS_H_INCLUDED
#define VSS_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

struct suckaddr;

typedef int vss_resolved_f(void *priv, const struct suckaddr *);
int VSS_resolver(const char *addr, const char *def_port, vss_resolved_f *func,
   void *priv, const char **err);
int VSS_resolver_socktype(const char *addr, const char *def_port,
    vss_resolved_f *func, void *priv, const char **err, int socktype);
/* VSS_resolver for each port of a range "host:LO-HI" (1 <= LO <= HI <= 65535), in
 * order, until func answers non-zero; without a range, VSS_resolver of addr. */
int VSS_resolver_range(const char *addr, const char *def_port,
    vss_resolved_f *func, void *priv, const char **errp);
const struct suckaddr *VSS_ResolveOne(void *dst,
    const char *addr, const char *port,
    int family, int socktype, int flags);
const struct suckaddr *VSS_ResolveFirst(void *dst,
    const char *addr, const char *port,
    int family, int socktype, int flags);

#ifdef __cplusplus
}
#endif

#endif /* VSS_H_INCLUDED */
