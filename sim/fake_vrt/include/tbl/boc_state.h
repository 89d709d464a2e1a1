/* tbl/boc_state.h -- X-macro table of the states of a busy object's fetch
 * (enum boc_state_e in cache/cache.h), BOC_STATE(UPPER, lower), in order. */

/*lint -save -e525 -e539 */

BOC_STATE(INVALID,	invalid)
BOC_STATE(REQ_DONE,	req_done)
BOC_STATE(STREAM,	stream)
BOC_STATE(FINISHED,	finished)
BOC_STATE(FAILED,	failed)

#undef BOC_STATE

/*lint -restore */
