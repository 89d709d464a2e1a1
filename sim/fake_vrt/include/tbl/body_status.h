/* tbl/body_status.h -- X-macro table of Varnish 8.0.0's body kinds (struct body_status).
 * BODYSTATUS(UPPER, lower, number, avail, length known); avail < 0 is an error,
 * 0 no body, 1 a body to read, 2 a cached body. Expanded by cache/cache.h. */

/*lint -save -e525 -e539 */

BODYSTATUS(NONE,	none,		0,	0,	1)
BODYSTATUS(ERROR,	error,		1,	-1,	0)
BODYSTATUS(CHUNKED,	chunked,	2,	1,	0)
BODYSTATUS(LENGTH,	length,		3,	1,	1)
BODYSTATUS(EOF,		eof,		4,	1,	0)
BODYSTATUS(TAKEN,	taken,		5,	0,	0)
BODYSTATUS(CACHED,	cached,		6,	2,	1)

#undef BODYSTATUS

/*lint -restore */
