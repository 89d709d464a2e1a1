/* proxy/cache_proxy.h -- varnishd's PROXY protocol side as in-tree vmods include it
 * (8.0.0's vmod_proxy): the TLV type numbers and VPX_tlv(). vdisim's clients connect
 * without the PROXY protocol, so no session has TLVs and VPX_tlv() answers "none" (-1),
 * as varnishd does for such a session (vrt_ip.c). */

#ifndef VDISIM_CACHE_PROXY_H_INCLUDED
#define VDISIM_CACHE_PROXY_H_INCLUDED

#define PP2_TYPE_ALPN           0x01
#define PP2_TYPE_AUTHORITY      0x02
#define PP2_TYPE_CRC32C         0x03
#define PP2_TYPE_NOOP           0x04
#define PP2_TYPE_SSL            0x20
#define PP2_SUBTYPE_SSL_VERSION 0x21
#define PP2_SUBTYPE_SSL_CN      0x22
#define PP2_SUBTYPE_SSL_CIPHER  0x23
#define PP2_SUBTYPE_SSL_SIG_ALG 0x24
#define PP2_SUBTYPE_SSL_KEY_ALG 0x25
#define PP2_SUBTYPE_SSL_MAX     0x25

#ifdef __cplusplus
extern "C" {
#endif

struct req;
struct suckaddr;
struct vsb;

int VPX_tlv(const struct req *req, int tlv, const void **dst, int *len);
void VPX_Format_Proxy(struct vsb *, int, const struct suckaddr *,
    const struct suckaddr *, const char *);

#ifdef __cplusplus
}
#endif

#endif /* VDISIM_CACHE_PROXY_H_INCLUDED */
