/* tbl/bereq_flags.h -- X-macro table of struct busyobj's backend request flags
 * (cache/cache.h), then the flags shared with the client request.
 * BEREQ_FLAG(lower, VCL readable, VCL writable, doc ""). */

/*lint -save -e525 -e539 */

BEREQ_FLAG(uncacheable,	0, 0, "")
BEREQ_FLAG(is_bgfetch,	1, 0, "")

#define REQ_BEREQ_FLAG(lower, vcl_r, vcl_w, doc) BEREQ_FLAG(lower, vcl_r, vcl_w, doc)
#include "tbl/req_bereq_flags.h"

#undef BEREQ_FLAG

/*lint -restore */
