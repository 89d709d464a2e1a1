/* vss.c -- vdisim's VSS_* (vss.h): "host", "host:port", "host port", "[v6]:port" and a
 * bare IPv6 address are split here, and the host is looked up with vdisim_getaddrinfo,
 * so std.ip() and any vmod resolving through VSS see the scenario's dns: answers (and a
 * numeric address without any dns: section). */

#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vdef.h"
#include "vas.h"
#include "vsa.h"
#include "vss.h"
#include "vdisim_alloc.h"
#include "vdisim_os.h"

/* Longest address text accepted; a longer one is refused, not truncated. */
#define VSS_ADDR_MAX	512

/* Splits buf (a copy of the address text) in place into *host and *port; either may
 * come out NULL (":80" has no host, "web1" no port). Returns an error text or NULL. */
static const char *
vss_split(char *buf, char **host, char **port)
{
	char *sep;

	*host = buf;
	*port = NULL;
	if (buf[0] == '[') {
		*host = buf + 1;
		sep = strchr(buf, ']');
		if (sep == NULL)
			return ("IPv6 address lacks ']'");
		*sep++ = '\0';
		if (*sep == '\0')
			return (NULL);
		if (*sep != ':' && *sep != ' ')
			return ("IPv6 address has wrong port separator");
		*port = sep + 1;
		return (NULL);
	}
	sep = strchr(buf, ' ');
	if (sep == NULL) {
		sep = strchr(buf, ':');
		/* A second colon: an IPv6 address without brackets, and no port. */
		if (sep != NULL && strchr(sep + 1, ':') != NULL)
			return (NULL);
	}
	if (sep == NULL)
		return (NULL);
	if (sep == buf)
		*host = NULL;
	*sep = '\0';
	*port = sep + 1;
	return (NULL);
}

/* addr copied into buf (VSS_ADDR_MAX bytes) and split there: 0, or -1 and *err. */
static int
vss_copy_split(const char *addr, char *buf, char **host, char **port, const char **err)
{
	*err = NULL;
	if (strlen(addr) >= VSS_ADDR_MAX) {
		*err = "address too long";
		return (-1);
	}
	strcpy(buf, addr);
	*err = vss_split(buf, host, port);
	return (*err != NULL ? -1 : 0);
}

/* getaddrinfo on the split address; *res is the list (0) or *err says why not (-1). */
static int
vss_lookup(const char *addr, const char *def_port, int family, int socktype,
    int flags, struct addrinfo **res, const char **err)
{
	char buf[VSS_ADDR_MAX];
	char *host, *port;
	struct addrinfo hints;
	int rc;

	AN(addr);
	AN(res);
	AN(err);
	*res = NULL;
	if (vss_copy_split(addr, buf, &host, &port, err) != 0)
		return (-1);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = socktype;
	hints.ai_flags = flags;
	rc = vdisim_getaddrinfo(host, port != NULL ? port : def_port, &hints, res);
	if (rc != 0) {
		*err = vdisim_gai_strerror(rc);
		*res = NULL;
		return (-1);
	}
	AN(*res);
	return (0);
}

int
VSS_resolver_socktype(const char *addr, const char *def_port,
    vss_resolved_f *func, void *priv, const char **err, int socktype)
{
	struct addrinfo *list, *ai;
	const struct suckaddr *sa;
	int rc = 0;

	AN(func);
	if (vss_lookup(addr, def_port, AF_UNSPEC, socktype, AI_PASSIVE, &list,
	    err) != 0)
		return (-1);
	for (ai = list; ai != NULL && rc == 0; ai = ai->ai_next) {
		sa = VSA_Malloc(ai->ai_addr, ai->ai_addrlen);
		if (sa == NULL)
			continue;
		rc = func(priv, sa);
		VSA_free(&sa);
	}
	vdisim_freeaddrinfo(list);
	return (rc);
}

int
VSS_resolver(const char *addr, const char *def_port, vss_resolved_f *func,
    void *priv, const char **err)
{
	return (VSS_resolver_socktype(addr, def_port, func, priv, err,
	    SOCK_STREAM));
}

/* A port range "LO-HI" in port: 1 with *lo and *hi, 0 when port is no range (a name,
 * a single port, anything else resolves as it is), -1 with *err for a bad range. */
static int
vss_port_range(const char *port, unsigned long *lo, unsigned long *hi,
    const char **err)
{
	char *end;

	if (port == NULL || *port == '-')
		return (0);
	*lo = strtoul(port, &end, 10);
	if (end[0] != '-' || end[1] == '\0' || strchr(end + 1, '-') != NULL)
		return (0);
	*hi = strtoul(end + 1, &end, 10);
	if (*end != '\0')
		return (0);
	if (*lo == 0)
		*err = "Range start cannot be 0";
	else if (*hi < *lo)
		*err = "Range start higher than range end";
	else if (*hi > 65535)
		*err = "Range end higher than 65535";
	return (*err != NULL ? -1 : 1);
}

int
VSS_resolver_range(const char *addr, const char *def_port, vss_resolved_f *func,
    void *priv, const char **errp)
{
	char buf[VSS_ADDR_MAX], one[VSS_ADDR_MAX];
	char *host, *port;
	unsigned long lo = 0, hi = 0, p;
	size_t at;
	int rc = 0;

	AN(addr);
	AN(func);
	AN(errp);
	if (vss_copy_split(addr, buf, &host, &port, errp) != 0)
		return (-1);
	switch (vss_port_range(port, &lo, &hi, errp)) {
	case -1:
		return (-1);
	case 0:
		return (VSS_resolver(addr, def_port, func, priv, errp));
	default:
		break;
	}
	/* Each port of the range in place of the range, the rest of addr as it was. */
	at = (size_t)(port - buf);
	for (p = lo; p <= hi && rc == 0; p++) {
		(void)snprintf(one, sizeof one, "%.*s%lu", (int)at, addr, p);
		rc = VSS_resolver(one, def_port, func, priv, errp);
	}
	return (rc);
}

/* The first answer (or the only one, with only_one) as a suckaddr in dst, or on the
 * heap when dst is NULL; NULL when there is none (or more than one, with only_one). */
static const struct suckaddr *
vss_resolve_into(void *dst, const char *addr, const char *port, int family,
    int socktype, int flags, int only_one)
{
	struct addrinfo *list;
	const struct suckaddr *sa = NULL;
	const char *err;

	if (vss_lookup(addr, port, family, socktype, flags, &list, &err) != 0)
		return (NULL);
	if (!only_one || list->ai_next == NULL) {
		if (dst == NULL)
			sa = VSA_Malloc(list->ai_addr, list->ai_addrlen);
		else
			sa = VSA_Build(dst, list->ai_addr, list->ai_addrlen);
	}
	vdisim_freeaddrinfo(list);
	return (sa);
}

const struct suckaddr *
VSS_ResolveOne(void *dst, const char *addr, const char *port, int family,
    int socktype, int flags)
{
	return (vss_resolve_into(dst, addr, port, family, socktype, flags, 1));
}

const struct suckaddr *
VSS_ResolveFirst(void *dst, const char *addr, const char *port, int family,
    int socktype, int flags)
{
	return (vss_resolve_into(dst, addr, port, family, socktype, flags, 0));
}
