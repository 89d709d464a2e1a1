/* vre.c -- vdisim's VRE_* (vre.h) over libpcre2-8, with Varnish 8.0.0's results.
 * An exported vre_t is one block: the header followed by a byte copy of the
 * pcre2_code (PCRE2 keeps a compiled pattern in one allocation), marked by a
 * sentinel in place of the code pointer. Blocks come from vdisim_malloc, so a
 * vmod may free() an export. No JIT: the same pattern behaves the same in every run. */

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "vdef.h"
#include "vas.h"
#include "miniobj.h"
#include "vsb.h"
#include "vre.h"
#include "vre_pcre2.h"
#include "vdisim_alloc.h"

#define VRE_EXPORTED	((pcre2_code *)(uintptr_t)1)

struct vre {
	unsigned		magic;
#define VRE_MAGIC		0xe83097dc
	pcre2_code		*re;		/* or VRE_EXPORTED */
	pcre2_match_context	*re_ctx;	/* NULL when exported */
};

const int VRE_ERROR_NOMATCH = PCRE2_ERROR_NOMATCH;
const unsigned VRE_CASELESS = PCRE2_CASELESS;

vre_t *
VRE_compile(const char *pattern, unsigned options, int *errptr,
    int *erroffset, unsigned jit)
{
	PCRE2_SIZE off = 0;
	vre_t *v;

	AN(pattern);
	AN(errptr);
	AN(erroffset);
	(void)jit;
	*errptr = 0;
	*erroffset = -1;
	v = vdisim_calloc(1, sizeof *v);
	if (v == NULL) {
		*errptr = PCRE2_ERROR_NOMEMORY;
		return (NULL);
	}
	v->magic = VRE_MAGIC;
	v->re = pcre2_compile((PCRE2_SPTR8)pattern, PCRE2_ZERO_TERMINATED,
	    options, errptr, &off, NULL);
	*erroffset = (int)off;
	if (v->re != NULL) {
		v->re_ctx = pcre2_match_context_create(NULL);
		if (v->re_ctx == NULL)
			*errptr = PCRE2_ERROR_NOMEMORY;
	}
	if (v->re == NULL || v->re_ctx == NULL) {
		VRE_free(&v);
		return (NULL);
	}
	return (v);
}

int
VRE_error(struct vsb *vsb, int err)
{
	char msg[VRE_ERROR_LEN];

	CHECK_OBJ_NOTNULL(vsb, VSB_MAGIC);
	if (pcre2_get_error_message(err, (PCRE2_UCHAR *)msg, sizeof msg) ==
	    PCRE2_ERROR_BADDATA) {
		VSB_printf(vsb, "unknown pcre2 error code (%d)", err);
		return (-1);
	}
	VSB_cat(vsb, msg);
	return (0);
}

pcre2_code *
VRE_unpack(const vre_t *code)
{

	CHECK_OBJ_NOTNULL(code, VRE_MAGIC);
	if (code->re != VRE_EXPORTED)
		return (code->re);
	AZ(code->re_ctx);
	return ((pcre2_code *)(uintptr_t)(code + 1));
}

vre_t *
VRE_export(const vre_t *code, size_t *sz)
{
	pcre2_code *re;
	size_t len;
	vre_t *x;

	AN(sz);
	re = VRE_unpack(code);
	AZ(pcre2_pattern_info(re, PCRE2_INFO_SIZE, &len));
	x = vdisim_malloc(sizeof *x + len);
	if (x == NULL)
		return (NULL);
	x->magic = VRE_MAGIC;
	x->re = VRE_EXPORTED;
	x->re_ctx = NULL;
	memcpy(x + 1, re, len);
	*sz = sizeof *x + len;
	return (x);
}

/* Match limits live in the pattern's own match context. */
static void
vre_limits(const vre_t *code, const volatile struct vre_limits *lim)
{

	if (lim == NULL)
		return;
	assert(code->re != VRE_EXPORTED);
	AN(code->re_ctx);
	AZ(pcre2_set_match_limit(code->re_ctx, lim->match));
	AZ(pcre2_set_depth_limit(code->re_ctx, lim->depth));
}

/* One pcre2_match from offset. With groups, fills up to *count of them and
 * sets *count to how many were filled (unset groups read as ""). */
static int
vre_run(const vre_t *code, const char *subject, size_t length, size_t offset,
    uint32_t options, txt *groups, size_t *count)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	size_t g, n;
	int r;

	md = pcre2_match_data_create_from_pattern(VRE_unpack(code), NULL);
	AN(md);
	ov = pcre2_get_ovector_pointer(md);
	n = pcre2_get_ovector_count(md);
	for (g = 0; g < 2 * n; g++)
		ov[g] = PCRE2_UNSET;
	r = pcre2_match(VRE_unpack(code), (PCRE2_SPTR)subject, length, offset,
	    options, md, code->re_ctx);
	if (groups != NULL) {
		AN(count);
		AN(*count);
		n = vmin_t(size_t, n, *count);
		for (g = 0; g < n; g++) {
			if (ov[2 * g] == PCRE2_UNSET) {
				groups[g].b = groups[g].e = "";
			} else {
				groups[g].b = subject + ov[2 * g];
				groups[g].e = subject + ov[2 * g + 1];
			}
		}
		*count = n;
	}
	pcre2_match_data_free(md);
	return (r);
}

int
VRE_match(const vre_t *code, const char *subject, size_t length,
    int options, const volatile struct vre_limits *lim)
{

	CHECK_OBJ_NOTNULL(code, VRE_MAGIC);
	AN(subject);
	vre_limits(code, lim);
	return (vre_run(code, subject,
	    length == 0 ? PCRE2_ZERO_TERMINATED : length, 0,
	    (uint32_t)options, NULL, NULL));
}

int
VRE_capture(const vre_t *code, const char *subject, size_t length,
    int options, txt *groups, size_t count,
    const volatile struct vre_limits *lim)
{
	int r;

	CHECK_OBJ_NOTNULL(code, VRE_MAGIC);
	AN(subject);
	AN(groups);
	AN(count);
	vre_limits(code, lim);
	r = vre_run(code, subject,
	    length == 0 ? PCRE2_ZERO_TERMINATED : length, 0,
	    (uint32_t)options, groups, &count);
	return (r <= 0 ? r : (int)count);
}

/* Append replacement with \0..\9 expanded; a backslash before anything else
 * is dropped and the character kept; a final lone backslash stays. */
static void
vre_expand(struct vsb *vsb, const char *rep, const txt *groups, size_t count)
{
	const char *run = rep, *p;
	unsigned n;

	for (p = rep; *p != '\0'; p++) {
		if (*p != '\\' || p[1] == '\0')
			continue;
		VSB_bcat(vsb, run, p - run);
		p++;
		run = p;
		if (!isdigit((unsigned char)*p))
			continue;	/* the escaped char starts the next run */
		run = p + 1;
		n = (unsigned)(*p - '0');
		if (n < count)
			VSB_bcat(vsb, groups[n].b, Tlen(groups[n]));
	}
	VSB_bcat(vsb, run, p - run);
}

int
VRE_sub(const vre_t *code, const char *subject, const char *replacement,
    struct vsb *vsb, const volatile struct vre_limits *lim, int all)
{
	txt groups[10];
	size_t count = 10, done = 0;
	int r;

	CHECK_OBJ_NOTNULL(code, VRE_MAGIC);
	CHECK_OBJ_NOTNULL(vsb, VSB_MAGIC);
	AN(subject);
	AN(replacement);
	vre_limits(code, lim);
	r = vre_run(code, subject, PCRE2_ZERO_TERMINATED, 0, 0, groups, &count);
	if (r <= VRE_ERROR_NOMATCH)
		return (r);
	for (;;) {
		AN(count);
		VSB_bcat(vsb, subject + done, groups[0].b - (subject + done));
		vre_expand(vsb, replacement, groups, count);
		done = (size_t)(groups[0].e - subject);
		if (!all)
			break;
		/* later matches may not be empty, else an empty match repeats forever */
		count = 10;
		r = vre_run(code, subject, PCRE2_ZERO_TERMINATED, done,
		    PCRE2_NOTEMPTY, groups, &count);
		if (r == VRE_ERROR_NOMATCH)
			break;
		if (r < VRE_ERROR_NOMATCH)
			return (r);
	}
	VSB_cat(vsb, subject + done);
	return (1);
}

void
VRE_free(vre_t **vv)
{
	vre_t *v;

	TAKE_OBJ_NOTNULL(v, vv, VRE_MAGIC);
	if (v->re != VRE_EXPORTED) {
		if (v->re_ctx != NULL)
			pcre2_match_context_free(v->re_ctx);
		if (v->re != NULL)
			pcre2_code_free(v->re);
	}
	v->magic = 0;
	vdisim_free(v);
}

/* \Q...\E around the text; a "\E" inside is split out as an escaped "\\E". */
void
VRE_quote(struct vsb *vsb, const char *src)
{
	const char *e;

	CHECK_OBJ_NOTNULL(vsb, VSB_MAGIC);
	if (src == NULL)
		return;
	while ((e = strstr(src, "\\E")) != NULL) {
		VSB_printf(vsb, "\\Q%.*s\\\\EE", (int)(e - src), src);
		src = e + 2;
	}
	if (*src != '\0')
		VSB_printf(vsb, "\\Q%s\\E", src);
}
