/* tbl/vsl_tags.h -- X-macro table of Varnish 8.0.0's shared-log tags, in 8.0.0's order
 * (the order gives the SLT_* numbers in vapi/vsl_int.h).
 * SLTM(name, flags, short description, long description); vdisim carries no
 * descriptions: both are "". The HTTP tags come from tbl/vsl_tags_http.h, five times. */

/*lint -save -e525 -e539 */

SLTM(Debug,		SLT_F_UNSAFE,	"", "")
SLTM(Error,		0,	"", "")
SLTM(CLI,		0,	"", "")
SLTM(SessOpen,		0,	"", "")
SLTM(SessClose,		0,	"", "")
SLTM(BackendOpen,	0,	"", "")
SLTM(BackendClose,	0,	"", "")
SLTM(HttpGarbage,	SLT_F_UNSAFE,	"", "")
SLTM(Proxy,		0,	"", "")
SLTM(ProxyGarbage,	0,	"", "")
SLTM(Length,		0,	"", "")
SLTM(FetchError,	0,	"", "")

/* The HTTP tags of each side: SLT_F_UNUSED where that kind of line never occurs. */
#define SLTH(tag, ind, req, resp, sdesc, ldesc) \
	SLTM(Req##tag, ((req) ? 0 : SLT_F_UNUSED), "", "")
#include "tbl/vsl_tags_http.h"

#define SLTH(tag, ind, req, resp, sdesc, ldesc) \
	SLTM(Resp##tag, ((resp) ? 0 : SLT_F_UNUSED), "", "")
#include "tbl/vsl_tags_http.h"

#define SLTH(tag, ind, req, resp, sdesc, ldesc) \
	SLTM(Bereq##tag, ((req) ? 0 : SLT_F_UNUSED), "", "")
#include "tbl/vsl_tags_http.h"

#define SLTH(tag, ind, req, resp, sdesc, ldesc) \
	SLTM(Beresp##tag, ((resp) ? 0 : SLT_F_UNUSED), "", "")
#include "tbl/vsl_tags_http.h"

#define SLTH(tag, ind, req, resp, sdesc, ldesc) \
	SLTM(Obj##tag, ((resp) ? 0 : SLT_F_UNUSED), "", "")
#include "tbl/vsl_tags_http.h"

SLTM(BogoHeader,	0,	"", "")
SLTM(LostHeader,	0,	"", "")
SLTM(TTL,		0,	"", "")
SLTM(Fetch_Body,	0,	"", "")
SLTM(VCL_acl,		0,	"", "")
SLTM(VCL_call,		0,	"", "")
SLTM(VCL_trace,		0,	"", "")
SLTM(VCL_return,	0,	"", "")
SLTM(ReqStart,		0,	"", "")
SLTM(Hit,		0,	"", "")
SLTM(HitPass,		0,	"", "")
SLTM(ExpBan,		0,	"", "")
SLTM(ExpKill,		0,	"", "")
SLTM(WorkThread,	0,	"", "")
SLTM(ESI_xmlerror,	0,	"", "")
SLTM(Hash,		SLT_F_UNSAFE,	"", "")
SLTM(Backend_health,	0,	"", "")
SLTM(VCL_Log,		0,	"", "")
SLTM(VCL_Error,		0,	"", "")
SLTM(Gzip,		0,	"", "")
SLTM(Link,		0,	"", "")
SLTM(Begin,		0,	"", "")
SLTM(End,		0,	"", "")
SLTM(VSL,		0,	"", "")
SLTM(Storage,		0,	"", "")
SLTM(Timestamp,		0,	"", "")
SLTM(ReqAcct,		0,	"", "")
SLTM(PipeAcct,		0,	"", "")
SLTM(BereqAcct,		0,	"", "")
SLTM(VfpAcct,		0,	"", "")
SLTM(Witness,		0,	"", "")
SLTM(H2RxHdr,		SLT_F_BINARY,	"", "")
SLTM(H2RxBody,		SLT_F_BINARY,	"", "")
SLTM(H2TxHdr,		SLT_F_BINARY,	"", "")
SLTM(H2TxBody,		SLT_F_BINARY,	"", "")
SLTM(HitMiss,		0,	"", "")
SLTM(Filters,		0,	"", "")
SLTM(SessError,		0,	"", "")
SLTM(VCL_use,		0,	"", "")
SLTM(Notice,		0,	"", "")
SLTM(VdpAcct,		0,	"", "")

#undef SLTM

/*lint -restore */
