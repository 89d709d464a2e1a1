/* tbl/sess_attr.h -- X-macro table of the attributes a session stores on its
 * workspace (SES_Get_* / SES_Set_* in cache/cache.h).
 * SESS_ATTR(UPPER, lower, C type, stored length; 0 = variable). */

/*lint -save -e525 -e539 */

SESS_ATTR(TRANSPORT,	transport,	void,		 0)
SESS_ATTR(REMOTE_ADDR,	remote_addr,	struct suckaddr, vsa_suckaddr_len)
SESS_ATTR(LOCAL_ADDR,	local_addr,	struct suckaddr, vsa_suckaddr_len)
SESS_ATTR(CLIENT_ADDR,	client_addr,	struct suckaddr, vsa_suckaddr_len)
SESS_ATTR(SERVER_ADDR,	server_addr,	struct suckaddr, vsa_suckaddr_len)
SESS_ATTR(CLIENT_IP,	client_ip,	char,		 0)
SESS_ATTR(CLIENT_PORT,	client_port,	char,		 0)
SESS_ATTR(PROXY_TLV,	proxy_tlv,	uintptr_t,	 sizeof(uintptr_t))
SESS_ATTR(PROTO_PRIV,	proto_priv,	uintptr_t,	 sizeof(uintptr_t))

#undef SESS_ATTR

/*lint -restore */
