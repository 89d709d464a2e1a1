/* tbl/acct_fields_req.h -- X-macro table of a client request's byte counters
 * (struct acct_req in cache/cache.h), ACCT(field). */

/*lint -save -e525 -e539 */

ACCT(req_hdrbytes)
ACCT(req_bodybytes)
ACCT(resp_hdrbytes)
ACCT(resp_bodybytes)

#undef ACCT

/*lint -restore */
