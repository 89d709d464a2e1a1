/* headers_vlib_compile.c -- compile-only check of the vlib headers (vqueue.h, vtree.h,
 * vsa.h, vtcp.h, vend.h, vsha256.h, vnum.h, vav.h, vbh.h, vcs.h, vmod_abi.h, vte.h,
 * vre.h, vre_pcre2.h, vss.h, vfil.h; vdisim_vsplay.h through vtree.h) under strict C11 with -Werror: every macro expands once, every
 * function is named once with its declared type. Never linked or run. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "vdef.h"
#include "vas.h"
#include "vqueue.h"
#include "vtree.h"
#include "vsa.h"
#include "vtcp.h"
#include "vend.h"
#include "vsha256.h"
#include "vnum.h"
#include "vav.h"
#include "vbh.h"
#include "vcs.h"
#include "vmod_abi.h"
#include "vte.h"
#include "vsb.h"
#include "vre.h"
#include "vre_pcre2.h"
#include "vss.h"
#include "vfil.h"

/* ---- vqueue.h ---- */

struct hq_s {
	VSLIST_ENTRY(hq_s)	sl;
	int			v;
};
VSLIST_HEAD(hq_slh, hq_s);
struct hq_st {
	VSTAILQ_ENTRY(hq_st)	st;
	int			v;
};
VSTAILQ_HEAD(hq_sth, hq_st);
struct hq_l {
	VLIST_ENTRY(hq_l)	l;
	int			v;
};
VLIST_HEAD(hq_lh, hq_l);
struct hq_t {
	VTAILQ_ENTRY(hq_t)	t;
	int			v;
};
VTAILQ_HEAD(hq_th, hq_t);

void hq_slist(void);
void hq_stailq(void);
void hq_list(void);
void hq_tailq(void);

void
hq_slist(void)
{
	struct hq_slh h = VSLIST_HEAD_INITIALIZER(h), h2;
	struct hq_s a, b, *v, *tv, **vp;

	TRASHIT(a);
	VSLIST_INIT(&h2);
	VSLIST_INSERT_HEAD(&h, &a, sl);
	VSLIST_INSERT_AFTER(&a, &b, sl);
	VSLIST_FOREACH(v, &h, sl)
		v->v = 0;
	v = NULL;
	VSLIST_FOREACH_FROM(v, &h, sl)
		v->v++;
	VSLIST_FOREACH_SAFE(v, &h, sl, tv)
		v->v++;
	v = VSLIST_FIRST(&h);
	VSLIST_FOREACH_FROM_SAFE(v, &h, sl, tv)
		v->v++;
	VSLIST_FOREACH_PREVPTR(v, vp, &h, sl)
		v->v++;
	if (!VSLIST_EMPTY(&h) && VSLIST_NEXT(&a, sl) == &b)
		VSLIST_REMOVE_AFTER(&a, sl);
	VSLIST_REMOVE(&h, &a, hq_s, sl);
	VSLIST_SWAP(&h, &h2, hq_s);
	VSLIST_REMOVE_HEAD(&h2, sl);
}

void
hq_stailq(void)
{
	struct hq_sth h = VSTAILQ_HEAD_INITIALIZER(h), h2;
	struct hq_st a, b, c, *v, *tv;

	VSTAILQ_INIT(&h2);
	VSTAILQ_INSERT_HEAD(&h, &a, st);
	VSTAILQ_INSERT_TAIL(&h, &c, st);
	VSTAILQ_INSERT_AFTER(&h, &a, &b, st);
	VSTAILQ_FOREACH(v, &h, st)
		v->v = 0;
	v = NULL;
	VSTAILQ_FOREACH_FROM(v, &h, st)
		v->v++;
	VSTAILQ_FOREACH_SAFE(v, &h, st, tv)
		v->v++;
	v = VSTAILQ_FIRST(&h);
	VSTAILQ_FOREACH_FROM_SAFE(v, &h, st, tv)
		v->v++;
	if (VSTAILQ_LAST(&h, hq_st, st) == &c && !VSTAILQ_EMPTY(&h) &&
	    VSTAILQ_NEXT(&a, st) == &b)
		VSTAILQ_REMOVE_AFTER(&h, &a, st);
	VSTAILQ_REMOVE(&h, &c, hq_st, st);
	VSTAILQ_CONCAT(&h2, &h);
	VSTAILQ_SWAP(&h, &h2, hq_st);
	VSTAILQ_REMOVE_HEAD(&h, st);
}

void
hq_list(void)
{
	struct hq_lh h = VLIST_HEAD_INITIALIZER(h), h2;
	struct hq_l a, b, c, *v, *tv;

	VLIST_INIT(&h2);
	VLIST_INSERT_HEAD(&h, &b, l);
	VLIST_INSERT_BEFORE(&b, &a, l);
	VLIST_INSERT_AFTER(&b, &c, l);
	VLIST_FOREACH(v, &h, l)
		v->v = 0;
	v = NULL;
	VLIST_FOREACH_FROM(v, &h, l)
		v->v++;
	VLIST_FOREACH_SAFE(v, &h, l, tv)
		v->v++;
	v = VLIST_FIRST(&h);
	VLIST_FOREACH_FROM_SAFE(v, &h, l, tv)
		v->v++;
	if (!VLIST_EMPTY(&h) && VLIST_PREV(&b, &h, hq_l, l) == &a &&
	    VLIST_NEXT(&b, l) == &c)
		VLIST_REMOVE(&b, l);
	VLIST_SWAP(&h, &h2, hq_l, l);
}

void
hq_tailq(void)
{
	struct hq_th h = VTAILQ_HEAD_INITIALIZER(h), h2;
	struct hq_t a, b, c, d, *v, *tv;

	VTAILQ_INIT(&h2);
	VTAILQ_INSERT_HEAD(&h, &b, t);
	VTAILQ_INSERT_TAIL(&h, &d, t);
	VTAILQ_INSERT_BEFORE(&b, &a, t);
	VTAILQ_INSERT_AFTER(&h, &b, &c, t);
	VTAILQ_FOREACH(v, &h, t)
		v->v = 0;
	v = NULL;
	VTAILQ_FOREACH_FROM(v, &h, t)
		v->v++;
	VTAILQ_FOREACH_SAFE(v, &h, t, tv)
		v->v++;
	v = VTAILQ_FIRST(&h);
	VTAILQ_FOREACH_FROM_SAFE(v, &h, t, tv)
		v->v++;
	VTAILQ_FOREACH_REVERSE(v, &h, hq_th, t)
		v->v++;
	v = NULL;
	VTAILQ_FOREACH_REVERSE_FROM(v, &h, hq_th, t)
		v->v++;
	VTAILQ_FOREACH_REVERSE_SAFE(v, &h, hq_th, t, tv)
		v->v++;
	v = VTAILQ_LAST(&h, hq_th);
	VTAILQ_FOREACH_REVERSE_FROM_SAFE(v, &h, hq_th, t, tv)
		v->v++;
	if (!VTAILQ_EMPTY(&h) && VTAILQ_PREV(&c, hq_th, t) == &b &&
	    VTAILQ_NEXT(&c, t) == &d)
		VTAILQ_REMOVE(&h, &c, t);
	VTAILQ_CONCAT(&h2, &h, t);
	VTAILQ_SWAP(&h, &h2, hq_t, t);
}

/* ---- vtree.h ---- */

struct ht_n {
	VRBT_ENTRY(ht_n)	e;
	int			k;
};
static int
ht_cmp(const struct ht_n *a, const struct ht_n *b)
{

	return (a->k - b->k);
}
VRBT_HEAD(ht_t, ht_n);
VRBT_PROTOTYPE_STATIC(ht_t, ht_n, e, ht_cmp)
VRBT_GENERATE_STATIC(ht_t, ht_n, e, ht_cmp)
VRBT_HEAD(ht_u, ht_n);
VRBT_PROTOTYPE(ht_u, ht_n, e, ht_cmp)
VRBT_GENERATE(ht_u, ht_n, e, ht_cmp)

void hq_tree(void);

void
hq_tree(void)
{
	struct ht_t h = VRBT_INITIALIZER(&h);
	struct ht_n a, b, c, *x, *y;

	VRBT_INIT(&h);
	a.k = 1;
	b.k = 2;
	c.k = 3;
	AZ(VRBT_INSERT(ht_t, &h, &b));
	AZ(VRBT_INSERT_NEXT(ht_t, &h, &b, &c));
	AZ(VRBT_INSERT_PREV(ht_t, &h, &b, &a));
	AN(VRBT_FIND(ht_t, &h, &a));
	AN(VRBT_NFIND(ht_t, &h, &a));
	AN(VRBT_NEXT(ht_t, &h, &a));
	AN(VRBT_PREV(ht_t, &h, &c));
	AN(VRBT_MIN(ht_t, &h));
	AN(VRBT_MAX(ht_t, &h));
	AZ(VRBT_REINSERT(ht_t, &h, &a));
	assert(VRBT_LEFT(VRBT_ROOT(&h), e) == &a);
	assert(VRBT_RIGHT(VRBT_ROOT(&h), e) == &c);
	assert(VRBT_PARENT(&a, e) == &b);
	assert(!VRBT_EMPTY(&h));
	assert(VRBT_NEGINF < VRBT_INF);
	VRBT_FOREACH(x, ht_t, &h)
		x->k++;
	VRBT_FOREACH_REVERSE(x, ht_t, &h)
		x->k--;
	y = &a;
	VRBT_FOREACH_FROM(x, ht_t, y)
		x->k++;
	y = &c;
	VRBT_FOREACH_REVERSE_FROM(x, ht_t, y)
		x->k--;
	VRBT_FOREACH_REVERSE_SAFE(x, ht_t, &h, y)
		x->k++;
	VRBT_FOREACH_SAFE(x, ht_t, &h, y)
		(void)VRBT_REMOVE(ht_t, &h, x);
	VRBT_UPDATE_AUGMENT(&a, e);
	assert(!VRBT_AUGMENT_CHECK(&a));
	x = &b;
	VRBT_SET_PARENT(&a, x, e);
	VRBT_SWAP_CHILD(&h, x, &a, &c, e);
	VRBT_SET(&a, x, e);
	(void)VRBT_STRICT_HST;
}

struct hs_n {
	VSPLAY_ENTRY(hs_n)	e;
	int			k;
};
static int
hs_cmp(const struct hs_n *a, const struct hs_n *b)
{

	return (a->k - b->k);
}
VSPLAY_HEAD(hs_t, hs_n);
VSPLAY_PROTOTYPE(hs_t, hs_n, e, hs_cmp)
VSPLAY_GENERATE(hs_t, hs_n, e, hs_cmp)

void hq_splay(void);

void
hq_splay(void)
{
	struct hs_t h = VSPLAY_INITIALIZER(&h);
	struct hs_n a, b, *x, *t;

	VSPLAY_INIT(&h);
	a.k = 1;
	b.k = 2;
	AZ(VSPLAY_INSERT(hs_t, &h, &a));
	AZ(VSPLAY_INSERT(hs_t, &h, &b));
	AN(VSPLAY_FIND(hs_t, &h, &a));
	assert(VSPLAY_NEXT(hs_t, &h, &a) == &b);
	assert(VSPLAY_MIN(hs_t, &h) == &a && VSPLAY_MAX(hs_t, &h) == &b);
	assert(VSPLAY_NEGINF < VSPLAY_INF);
	VSPLAY_FOREACH(x, hs_t, &h)
		x->k++;
	assert(VSPLAY_ROOT(&h) != NULL && !VSPLAY_EMPTY(&h));
	if (VSPLAY_LEFT(VSPLAY_ROOT(&h), e) != NULL) {
		t = VSPLAY_LEFT(VSPLAY_ROOT(&h), e);
		VSPLAY_ROTATE_RIGHT(&h, t, e);
	} else if (VSPLAY_RIGHT(VSPLAY_ROOT(&h), e) != NULL) {
		t = VSPLAY_RIGHT(VSPLAY_ROOT(&h), e);
		VSPLAY_ROTATE_LEFT(&h, t, e);
	}
	AN(VSPLAY_REMOVE(hs_t, &h, &a));
	(void)VSPLAY_REMOVE(hs_t, &h, &b);
}

/* ---- functions: every declaration, by address with its type ---- */

struct hq_fn {
	void (*vsa_init)(void);
	int (*vsa_sane)(const struct suckaddr *);
	unsigned (*vsa_port)(const struct suckaddr *);
	int (*vsa_cmp)(const struct suckaddr *, const struct suckaddr *);
	int (*vsa_cmp_ip)(const struct suckaddr *, const struct suckaddr *);
	const struct suckaddr *(*vsa_clone)(const struct suckaddr *);
	const struct suckaddr *(*vsa_gsn)(int, void *, size_t);
	const struct suckaddr *(*vsa_gpn)(int, void *, size_t);
	void (*vsa_free)(const struct suckaddr **);
	const void *(*vsa_gs)(const struct suckaddr *, socklen_t *);
	int (*vsa_gp)(const struct suckaddr *);
	const struct suckaddr *(*vsa_malloc)(const void *, unsigned);
	const struct suckaddr *(*vsa_build)(void *, const void *, unsigned);
	const struct suckaddr *(*vsa_fap)(void *, sa_family_t, const void *,
	    unsigned, const void *, unsigned);
	int (*vsa_getptr)(const struct suckaddr *, const unsigned char **);

	int (*tcp_check)(ssize_t);
	struct suckaddr *(*tcp_mysa)(int);
	void (*tcp_myname)(int, char *, unsigned, char *, unsigned);
	void (*tcp_hisname)(int, char *, unsigned, char *, unsigned);
	int (*tcp_filter)(int);
	int (*tcp_fastopen)(int, int);
	void (*tcp_blocking)(int);
	void (*tcp_nonblocking)(int);
	int (*tcp_linger)(int, int);
	int (*tcp_hup)(int);
	void (*tcp_name)(const struct suckaddr *, char *, unsigned, char *,
	    unsigned);
	int (*tcp_connected)(int);
	int (*tcp_connect)(const struct suckaddr *, int);
	int (*tcp_open)(const char *, const char *, vtim_dur, const char **);
	void (*tcp_close)(int *);
	int (*tcp_bind)(const struct suckaddr *, const char **);
	int (*tcp_listen)(const struct suckaddr *, int, const char **);
	int (*tcp_listen_on)(const char *, const char *, int, const char **);
	void (*tcp_srt)(int, vtim_dur);
	int (*tcp_read)(int, void *, size_t, vtim_dur);

	void (*sha_init)(VSHA256_CTX *);
	void (*sha_update)(VSHA256_CTX *, const void *, size_t);
	void (*sha_final)(unsigned char [VSHA256_LEN], VSHA256_CTX *);
	void (*sha_test)(void);

	double (*vnum)(const char *);
	vtim_dur (*vnum_du)(vtim_dur, const char *, const char *);
	vtim_dur (*vnum_d)(const char *);
	int64_t (*vnum_bu)(double, const char *, const char *, uintmax_t,
	    const char **);
	const char *(*vnum_2b)(const char *, uintmax_t *, uintmax_t);
	ssize_t (*vnum_uint)(const char *, const char *, const char **);
	ssize_t (*vnum_hex)(const char *, const char *, const char **);
	int64_t (*sf_int)(const char **, const char **);
	double (*sf_dec)(const char **, int, const char **);
	double (*sf_num)(const char **, int, const char **);

	void (*vav_free)(char **);
	char **(*vav_ptxt)(const char *, const char *, int *, int);
	char **(*vav_parse)(const char *, int *, int);
	char *(*vav_bsd)(const char *, const char *);
	int (*vav_bs)(const char *, char *);

	struct vbh *(*vbh_new)(void *, vbh_cmp_t *, vbh_update_t *);
	void (*vbh_destroy)(struct vbh **);
	void (*vbh_insert)(struct vbh *, void *);
	void (*vbh_reorder)(const struct vbh *, unsigned);
	void (*vbh_delete)(struct vbh *, unsigned);
	void *(*vbh_root)(const struct vbh *);

	void (*vcs_msg)(const char *);
	const char *(*vcs_str)(const char *);

	struct vte *(*vte_new)(int, int);
	int (*vte_putc)(struct vte *, char);
	int (*vte_cat)(struct vte *, const char *);
	int (*vte_printf)(struct vte *, const char *, ...);
	int (*vte_finish)(struct vte *);
	int (*vte_format)(const struct vte *, VTE_format_f *, void *);
	int (*vte_dump)(const struct vte *, VTE_format_f *, void *);
	void (*vte_destroy)(struct vte **);

	vre_t *(*vre_compile)(const char *, unsigned, int *, int *, unsigned);
	vre_t *(*vre_export)(const vre_t *, size_t *);
	int (*vre_error)(struct vsb *, int);
	int (*vre_match)(const vre_t *, const char *, size_t, int,
	    const volatile struct vre_limits *);
	int (*vre_capture)(const vre_t *, const char *, size_t, int, txt *,
	    size_t, const volatile struct vre_limits *);
	int (*vre_sub)(const vre_t *, const char *, const char *, struct vsb *,
	    const volatile struct vre_limits *, int);
	void (*vre_free)(vre_t **);
	void (*vre_quote)(struct vsb *, const char *);
	pcre2_code *(*vre_unpack)(const vre_t *);

	int (*vss_resolver)(const char *, const char *, vss_resolved_f *, void *,
	    const char **);
	int (*vss_resolver_st)(const char *, const char *, vss_resolved_f *,
	    void *, const char **, int);
	const struct suckaddr *(*vss_one)(void *, const char *, const char *, int,
	    int, int);
	const struct suckaddr *(*vss_first)(void *, const char *, const char *,
	    int, int, int);

	char *(*vfil_readfile)(const char *, const char *, ssize_t *);
};

const struct hq_fn hq_fn = {
	VSA_Init, VSA_Sane, VSA_Port, VSA_Compare, VSA_Compare_IP, VSA_Clone,
	VSA_getsockname, VSA_getpeername, VSA_free, VSA_Get_Sockaddr,
	VSA_Get_Proto, VSA_Malloc, VSA_Build, VSA_BuildFAP, VSA_GetPtr,

	VTCP_Check, VTCP_my_suckaddr, VTCP_myname, VTCP_hisname,
	VTCP_filter_http, VTCP_fastopen, VTCP_blocking, VTCP_nonblocking,
	VTCP_linger, VTCP_check_hup, VTCP_name, VTCP_connected, VTCP_connect,
	VTCP_open, VTCP_close, VTCP_bind, VTCP_listen, VTCP_listen_on,
	VTCP_set_read_timeout, VTCP_read,

	SHA256_Init, SHA256_Update, SHA256_Final, SHA256_Test,

	VNUM, VNUM_duration_unit, VNUM_duration, VNUM_bytes_unit, VNUM_2bytes,
	VNUM_uint, VNUM_hex, SF_Parse_Integer, SF_Parse_Decimal,
	SF_Parse_Number,

	VAV_Free, VAV_ParseTxt, VAV_Parse, VAV_BackSlashDecode, VAV_BackSlash,

	VBH_new, VBH_destroy, VBH_insert, VBH_reorder, VBH_delete, VBH_root,

	VCS_Message, VCS_String,

	VTE_new, VTE_putc, VTE_cat, VTE_printf, VTE_finish, VTE_format,
	VTE_dump, VTE_destroy,

	VRE_compile, VRE_export, VRE_error, VRE_match, VRE_capture, VRE_sub,
	VRE_free, VRE_quote, VRE_unpack,

	VSS_resolver, VSS_resolver_socktype, VSS_ResolveOne, VSS_ResolveFirst,

	VFIL_readfile,
};

/* ---- the rest: inline functions, constants, types ---- */

void hq_misc(void);

void
hq_misc(void)
{
	unsigned char b[8];
	char addr[VTCP_ADDRBUFSIZE], port[VTCP_PORTBUFSIZE];
	struct SHA256Context sc;
	SHA256_CTX *scp = &sc;
	struct vre_limits lim = { 1000, 100 };
	const struct suckaddr *ips[2] = { bogo_ip, bogo_ip6 };
	uint8_t d[SHA256_LEN + SHA256_DIGEST_LENGTH + VSHA256_DIGEST_LENGTH];
	int flags = ARGV_COMMENT | ARGV_COMMA | ARGV_NOESC;

	vbe16enc(b, 1);
	vbe32enc(b, vbe16dec(b));
	vbe64enc(b, vbe32dec(b));
	vle16enc(b, (uint16_t)vbe64dec(b));
	vle32enc(b, vle32dec(b));
	VTCP_Assert(1);
	(void)snprintf(addr, sizeof addr, "%s", VMOD_ABI_Version);
	(void)snprintf(port, sizeof port, "%zu", vsa_suckaddr_len);
	(void)scp;
	(void)d;
	(void)flags;
	(void)ips;
	(void)lim;
	(void)VNUM_EPSILON;
	(void)VNUM_LEGAL_DURATION;
	(void)VRE_ERROR_LEN;
	(void)VRE_ERROR_NOMATCH;
	(void)VRE_CASELESS;
	(void)VBH_NOIDX;
	(void)PCRE2_CODE_UNIT_WIDTH;
}

/* ---- vas.h brings <errno.h>, as Varnish's does: vmod_blob and vmod_vtc use errno and
 * E* codes with no include of their own (nothing above includes <errno.h>). ---- */

int hq_errno(int e);

int
hq_errno(int e)
{
	errno = e;
	return (errno == EINVAL || errno == ENOMEM || errno == EAGAIN);
}
