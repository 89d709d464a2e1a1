/* tbl/beresp_flags.h -- X-macro table of struct busyobj's backend response flags
 * (cache/cache.h). BERESP_FLAG(lower, VCL readable, VCL writable, sets the default
 * beresp.filters, doc ""). */

/*lint -save -e525 -e539 */

BERESP_FLAG(do_esi,	1, 1, 1, "")
BERESP_FLAG(do_gzip,	1, 1, 1, "")
BERESP_FLAG(do_gunzip,	1, 1, 1, "")
BERESP_FLAG(do_stream,	1, 1, 0, "")
BERESP_FLAG(was_304,	1, 0, 0, "")

#undef BERESP_FLAG

/*lint -restore */
