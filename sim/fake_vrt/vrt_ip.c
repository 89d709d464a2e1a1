/* vrt_ip.c -- the VRT functions on VCL_IP and endpoints (address bytes, comparison,
 * text form, PROXY protocol headers, ACL matching, endpoint clones) as Varnish 8.0.0
 * has them, on vdisim's VSA_/VTCP_ (vlib). Pure functions; no sockets are opened. */

#include <sys/socket.h>
#include <netinet/in.h>

#include "cache/cache.h"
#include "proxy/cache_proxy.h"
#include "vend.h"
#include "vsa.h"
#include "vtcp.h"

int
VRT_VSA_GetPtr(VRT_CTX, VCL_IP sua, const unsigned char **dst)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(dst);
	if (sua == NULL) {
		VRT_fail(ctx, "%s: Illegal IP", __func__);
		*dst = NULL;
		return (-1);
	}
	return (VSA_GetPtr(sua, dst));
}

/* VSA_Compare_IP: 0 (false) when the addresses, ports aside, are equal. */
VCL_BOOL
VRT_ipcmp(VRT_CTX, VCL_IP sua1, VCL_IP sua2)
{
	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (sua1 == NULL || sua2 == NULL) {
		VRT_fail(ctx, "%s: Illegal IP", __func__);
		return (1);
	}
	return ((VCL_BOOL)VSA_Compare_IP(sua1, sua2));
}

VCL_STRING
VRT_IP_string(VRT_CTX, VCL_IP ip)
{
	char buf[VTCP_ADDRBUFSIZE];

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (ip == NULL) {
		VRT_fail(ctx, "%s: Illegal IP", __func__);
		return (NULL);
	}
	VTCP_name(ip, buf, sizeof buf, NULL, 0);
	return (WS_Copy(ctx->ws, buf, -1));
}

/* ---- PROXY protocol header (what a backend with .proxy_header sends first) ---- */

static void
proxy_addr(struct vsb *vsb, int proto, VCL_IP ip)
{
	const struct sockaddr_in6 *s6;
	const struct sockaddr_in *s4;
	socklen_t sl;

	if (proto == PF_INET6) {
		s6 = VSA_Get_Sockaddr(ip, &sl);
		AN(s6);
		VSB_bcat(vsb, &s6->sin6_addr, sizeof s6->sin6_addr);
	} else {
		s4 = VSA_Get_Sockaddr(ip, &sl);
		AN(s4);
		VSB_bcat(vsb, &s4->sin_addr, sizeof s4->sin_addr);
	}
}

static void
proxy_be16(struct vsb *vsb, unsigned v)
{
	uint8_t b[2];

	vbe16enc(b, (uint16_t)v);
	VSB_bcat(vsb, b, sizeof b);
}

/* Version 1: text line; version 2: binary, with the authority as a TLV. */
void
VRT_Format_Proxy(struct vsb *vsb, VCL_INT version, VCL_IP sac, VCL_IP sas,
    VCL_STRING auth)
{
	static const char v2sig[12] = { '\r', '\n', '\r', '\n', '\0', '\r',
	    '\n', 'Q', 'U', 'I', 'T', '\n' };
	char ca[VTCP_ADDRBUFSIZE], cp[VTCP_PORTBUFSIZE];
	char sa[VTCP_ADDRBUFSIZE], sp[VTCP_PORTBUFSIZE];
	size_t la = 0;
	int proto;

	AN(vsb);
	AN(sac);
	AN(sas);
	assert(version == 1 || version == 2);
	proto = VSA_Get_Proto(sas);
	assert(proto == VSA_Get_Proto(sac));
	assert(proto == PF_INET || proto == PF_INET6);
	if (version == 1) {
		VTCP_name(sac, ca, sizeof ca, cp, sizeof cp);
		VTCP_name(sas, sa, sizeof sa, sp, sizeof sp);
		VSB_printf(vsb, "PROXY %s %s %s %s %s\r\n",
		    proto == PF_INET6 ? "TCP6" : "TCP4", ca, sa, cp, sp);
		AZ(VSB_finish(vsb));
		return;
	}
	if (auth != NULL && *auth != '\0') {
		la = strlen(auth);
		assert(la + 3 <= UINT16_MAX);
	}
	VSB_bcat(vsb, v2sig, sizeof v2sig);
	VSB_putc(vsb, 0x21);			/* version 2, PROXY command */
	VSB_putc(vsb, proto == PF_INET6 ? 0x21 : 0x11);	/* TCP over v6/v4 */
	proxy_be16(vsb, (proto == PF_INET6 ? 36U : 12U) +
	    (la > 0 ? (unsigned)la + 3U : 0U));
	proxy_addr(vsb, proto, sac);
	proxy_addr(vsb, proto, sas);
	proxy_be16(vsb, VSA_Port(sac));
	proxy_be16(vsb, VSA_Port(sas));
	if (la > 0) {
		VSB_putc(vsb, 0x02);		/* PP2_TYPE_AUTHORITY */
		proxy_be16(vsb, (unsigned)la);
		VSB_cat(vsb, auth);
	}
	AZ(VSB_finish(vsb));
}

/* ---- ACLs: VCC compiles each into a match function (vcc_interface.h) ---- */

typedef int vdisim_acl_match_f(VRT_CTX, const VCL_IP);

/* Layout of Varnish's struct vrt_acl, which VMOD headers leave opaque. */
struct vdisim_vrt_acl {
	unsigned		magic;
#define VDISIM_VRT_ACL_MAGIC	0x78329d96
	vdisim_acl_match_f	*match;
	const char		*name;
};

int
VRT_acl_match(VRT_CTX, VCL_ACL acl, VCL_IP ip)
{
	const struct vdisim_vrt_acl *a;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (acl == NULL || ip == NULL) {
		VRT_fail(ctx, "Cannot match a null %s",
		    acl == NULL ? "ACL" : "IP address");
		return (0);
	}
	a = (const void *)acl;
	CHECK_OBJ(a, VDISIM_VRT_ACL_MAGIC);
	assert(VSA_Sane(ip));
	AN(a->match);
	return (a->match(ctx, ip));
}

/* ---- endpoints: one malloc holding the struct and everything it points to ---- */

struct vrt_endpoint *
VRT_Endpoint_Clone(const struct vrt_endpoint *vep)
{
	struct vrt_endpoint *n;
	struct vrt_blob *pre;
	size_t sz, lu = 0, lp = 0;
	char *p, *e;

	CHECK_OBJ_NOTNULL(vep, VRT_ENDPOINT_MAGIC);
	sz = sizeof *n;
	if (vep->ipv4 != NULL)
		sz += vsa_suckaddr_len;
	if (vep->ipv6 != NULL)
		sz += vsa_suckaddr_len;
	if (vep->preamble != NULL && vep->preamble->len > 0) {
		lp = vep->preamble->len;
		sz += sizeof *pre + lp;
	}
	if (vep->uds_path != NULL) {
		lu = strlen(vep->uds_path) + 1;
		sz += lu;
	}
	p = calloc(1, sz);
	AN(p);
	e = p + sz;
	n = (void *)p;
	INIT_OBJ(n, VRT_ENDPOINT_MAGIC);
	p += sizeof *n;
	if (vep->ipv4 != NULL) {
		memcpy(p, vep->ipv4, vsa_suckaddr_len);
		n->ipv4 = (const void *)p;
		p += vsa_suckaddr_len;
	}
	if (vep->ipv6 != NULL) {
		memcpy(p, vep->ipv6, vsa_suckaddr_len);
		n->ipv6 = (const void *)p;
		p += vsa_suckaddr_len;
	}
	if (lp > 0) {
		/* Still pointer-aligned here; the path may end unaligned. */
		pre = (void *)p;
		INIT_OBJ(pre, VRT_BLOB_MAGIC);
		p += sizeof *pre;
		memcpy(p, vep->preamble->blob, lp);
		pre->type = 0x70ea5b1e;
		pre->len = lp;
		pre->blob = p;
		n->preamble = pre;
		p += lp;
	}
	if (lu > 0) {
		memcpy(p, vep->uds_path, lu);
		n->uds_path = p;
		p += lu;
	}
	assert(p == e);
	return (n);
}

/* A session's PROXY protocol TLVs. No simulated client sends a PROXY header, so there
 * are none, which is varnishd's answer for a session without one: -1, *dst NULL. */
int
VPX_tlv(const struct req *req, int tlv, const void **dst, int *len)
{

	CHECK_OBJ_NOTNULL(req, REQ_MAGIC);
	CHECK_OBJ_NOTNULL(req->sp, SESS_MAGIC);
	AN(dst);
	AN(len);
	(void)tlv;
	*dst = NULL;
	*len = 0;
	return (-1);
}

void
VPX_Format_Proxy(struct vsb *vsb, int version, const struct suckaddr *sac,
    const struct suckaddr *sas, const char *auth)
{

	VRT_Format_Proxy(vsb, version, sac, sas, auth);
}
