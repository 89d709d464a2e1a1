/* tbl/req_bereq_flags.h -- the flags a client request and its backend request share.
 * Included by tbl/req_flags.h and tbl/bereq_flags.h, which map REQ_BEREQ_FLAG onto
 * their own macro. REQ_BEREQ_FLAG(lower, VCL readable, VCL writable, doc ""). */

/*lint -save -e525 -e539 */

REQ_BEREQ_FLAG(is_hitmiss,	1, 0, "")
REQ_BEREQ_FLAG(is_hitpass,	1, 0, "")
REQ_BEREQ_FLAG(trace,		1, 0, "")

#undef REQ_BEREQ_FLAG

/*lint -restore */
