/* tbl/acct_fields_bereq.h -- X-macro table of a backend fetch's byte counters
 * (struct acct_bereq in cache/cache.h), ACCT(field). */

/*lint -save -e525 -e539 */

ACCT(bereq_hdrbytes)
ACCT(bereq_bodybytes)
ACCT(beresp_hdrbytes)
ACCT(beresp_bodybytes)

#undef ACCT

/*lint -restore */
