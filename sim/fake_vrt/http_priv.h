/* http_priv.h -- helpers shared by http.c, http_edit.c and http_parse.c (the struct http
 * implementation). Private to sim/fake_vrt; VMODs never see these names. */

#ifndef VDISIM_HTTP_PRIV_H
#define VDISIM_HTTP_PRIV_H

/* A row of tbl/http_headers.h: the header and the HTTPH_* filters that drop it. */
struct http_hdrflag {
	hdr_t		*hdr;
	unsigned	flag;
};

/* The row for the header name [b, e) (no colon), or NULL. */
const struct http_hdrflag *vhttp_flags_of(const char *b, const char *e);

static inline int
vhttp_issp(int c)
{
	return (c == ' ' || c == '\t');
}

/* Log hd[n] under the tag for slot n (what == HTTP_HDR_UNSET: as removed). */
void vhttp_log(const struct http *hp, unsigned n, unsigned what);
/* Out of workspace or hd[] slots: mark the overflow, log lost (may be NULL). */
void vhttp_fail(const struct http *hp, const char *lost);
/* http_SetH on a workspace copy of s. */
void vhttp_put_field(struct http *to, unsigned n, const char *s);
/* Slot of the first header named name[0..l) (no colon), 0 if none. */
unsigned vhttp_find(const struct http *hp, const char *name, unsigned l);
/* Decimal digits at b (up to e, or NUL when e is NULL): -1 none, -2 overflow. */
ssize_t vhttp_uint(const char *b, const char *e, const char **p);

#endif /* VDISIM_HTTP_PRIV_H */
