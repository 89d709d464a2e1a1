/* tbl/req_flags.h -- X-macro table of struct req's one-bit flags (cache/cache.h),
 * then the flags shared with the backend request.
 * REQ_FLAG(lower, VCL readable, VCL writable, doc ""). */

/*lint -save -e525 -e539 */

REQ_FLAG(disable_esi,		0, 0, "")
REQ_FLAG(hash_ignore_busy,	1, 1, "")
REQ_FLAG(hash_ignore_vary,	1, 1, "")
REQ_FLAG(hash_always_miss,	1, 1, "")
REQ_FLAG(is_hit,		0, 0, "")
REQ_FLAG(want100cont,		0, 0, "")
REQ_FLAG(late100cont,		0, 0, "")
REQ_FLAG(req_reset,		0, 0, "")
REQ_FLAG(res_esi,		0, 0, "")
REQ_FLAG(res_pipe,		0, 0, "")

#define REQ_BEREQ_FLAG(lower, vcl_r, vcl_w, doc) REQ_FLAG(lower, vcl_r, vcl_w, doc)
#include "tbl/req_bereq_flags.h"

#undef REQ_FLAG

/*lint -restore */
