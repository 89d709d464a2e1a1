/* tbl/h2_stream.h -- X-macro table (Varnish 8.0.0): the HTTP/2 stream states.
 * H2_STREAM(UPPER, short name, description); descriptions are "". */

H2_STREAM(IDLE, "idle", "")
H2_STREAM(RESV_LOC, "r-loc", "")
H2_STREAM(RESV_REM, "r-rem", "")
H2_STREAM(OPEN, "open", "")
H2_STREAM(CLOS_LOC, "c-loc", "")
H2_STREAM(CLOS_REM, "c-rem", "")
H2_STREAM(CLOSED, "closed", "")
#undef H2_STREAM
