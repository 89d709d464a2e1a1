/* tbl/sess_close.h -- X-macro table of Varnish 8.0.0's reasons a session or stream
 * closes (stream_close_t, the sc_* counters).
 * SESS_CLOSE(UPPER, lower, is an error, description); descriptions are vdisim's. */

/*lint -save -e525 -e539 */

SESS_CLOSE(REM_CLOSE,	  rem_close,	0, "client closed")
SESS_CLOSE(REQ_CLOSE,	  req_close,	0, "client asked to close")
SESS_CLOSE(REQ_HTTP10,	  req_http10,	1, "protocol below HTTP/1.1")
SESS_CLOSE(RX_BAD,	  rx_bad,	1, "bad request or response")
SESS_CLOSE(RX_BODY,	  rx_body,	1, "body receive failed")
SESS_CLOSE(RX_JUNK,	  rx_junk,	1, "junk received")
SESS_CLOSE(RX_OVERFLOW,	  rx_overflow,	1, "receive buffer overflow")
SESS_CLOSE(RX_TIMEOUT,	  rx_timeout,	1, "receive timed out")
SESS_CLOSE(RX_CLOSE_IDLE, rx_close_idle, 0, "idle timeout")
SESS_CLOSE(TX_PIPE,	  tx_pipe,	0, "pipe done")
SESS_CLOSE(TX_ERROR,	  tx_error,	1, "error response")
SESS_CLOSE(TX_EOF,	  tx_eof,	0, "sent until EOF")
SESS_CLOSE(RESP_CLOSE,	  resp_close,	0, "backend or VCL closed")
SESS_CLOSE(OVERLOAD,	  overload,	1, "out of a resource")
SESS_CLOSE(PIPE_OVERFLOW, pipe_overflow, 1, "pipe overflow")
SESS_CLOSE(RANGE_SHORT,	  range_short,	1, "range body too short")
SESS_CLOSE(REQ_HTTP20,	  req_http20,	1, "HTTP/2 refused")
SESS_CLOSE(VCL_FAILURE,	  vcl_failure,	1, "VCL failed")
SESS_CLOSE(RAPID_RESET,	  rapid_reset,	1, "HTTP/2 rapid reset")
SESS_CLOSE(BANKRUPT,	  bankrupt,	1, "HTTP/2 credit exhausted")

#undef SESS_CLOSE

/*lint -restore */
