/* tbl/vsl_tags_http.h -- X-macro table of the HTTP line kinds Varnish 8.0.0 logs
 * (request line parts, headers). tbl/vsl_tags.h expands it once per side; cache.h
 * uses the HTTP_HDR_* index column.
 * SLTH(tag, hdr index, on requests, on responses, short name, description ""). */

/*lint -save -e525 -e539 -e835 */

SLTH(Method,	HTTP_HDR_METHOD,	1, 0, "method",		"")
SLTH(URL,	HTTP_HDR_URL,		1, 0, "URL",		"")
SLTH(Protocol,	HTTP_HDR_PROTO,		1, 1, "protocol",	"")
SLTH(Status,	HTTP_HDR_STATUS,	0, 1, "status",		"")
SLTH(Reason,	HTTP_HDR_REASON,	0, 1, "reason",		"")
SLTH(Header,	HTTP_HDR_FIRST,		1, 1, "header",		"")
SLTH(Unset,	HTTP_HDR_UNSET,		1, 1, "unset header",	"")
SLTH(Lost,	HTTP_HDR_LOST,		0, 0, "lost header",	"")

#undef SLTH

/*lint -restore */
