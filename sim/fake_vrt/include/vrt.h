/* vrt.h -- Varnish 8.0.0's VRT API (22.0) as VMODs see it: VCL types, vrt_ctx, the
 * director/backend/probe structs and every VRT_* declaration. VMODs include it via
 * cache/cache.h; the runtime defines each function (vrt_*.c, *.cpp). Never reorder fields.
 * Unlike Varnish it tolerates being included twice or after cache.h (vdisim code does). */

#ifndef VRT_H_INCLUDED
#define VRT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#include "vdef.h"

#define VRT_MAJOR_VERSION	22U
#define VRT_MINOR_VERSION	0U

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque here; cache/cache.h defines some of them. */
struct busyobj;
struct director;
struct gethdr_s;
struct http;
struct lock;
struct req;
struct sess;
struct stevedore;
struct stream_close;
struct suckaddr;
struct vcl;
struct vcldir;
struct VCL_conf;
struct vcl_sub;
struct vmod;
struct vmod_priv;
struct vre;
struct vrt_acl;
struct vsb;
struct VSC_main;
struct vsc_seg;
struct vsl_log;
struct vsmw_cluster;
struct wrk_vpi;
struct ws;

typedef const struct stream_close *stream_close_t;

/* ---- STRANDS: n string pieces (any may be NULL), read-only during the call ---- */

struct strands {
	unsigned	magic;
#define STRANDS_MAGIC		0x5d5ab196
	int		n;
	const char	**p;
};

/* A VCL_STRANDS return value is never NULL; this is the empty one. */
extern const struct strands *const vrt_null_strands;

/* C only: compound literals with a C lifetime (the enclosing block). */
#define TOSTRAND(s)							\
	(&(struct strands){ .magic = STRANDS_MAGIC, .n = 1,		\
	    .p = (const char *[1]){ (s) } })
#define TOSTRANDS(x, ...)						\
	(&(struct strands){ .magic = STRANDS_MAGIC, .n = (x),		\
	    .p = (const char *[x]){ __VA_ARGS__ } })

/* ---- BLOB: immutable bytes; type is the creator's tag ---- */

struct vrt_blob {
	unsigned	magic;
#define VRT_BLOB_MAGIC		0xe114db9e
	unsigned	type;
	size_t		len;
	const void	*blob;
};

#define VRT_NULL_BLOB_TYPE	0xfade4fa0
extern const struct vrt_blob *const vrt_null_blob;

/* ---- VCL type -> C type (alphabetical, as in Varnish) ---- */

typedef const struct vrt_acl *			VCL_ACL;
typedef const struct director *			VCL_BACKEND;
typedef const struct vrt_blob *			VCL_BLOB;
typedef const void *				VCL_BODY;
typedef unsigned				VCL_BOOL;
typedef int64_t					VCL_BYTES;
typedef vtim_dur				VCL_DURATION;
typedef const char *				VCL_ENUM;
typedef const struct gethdr_s *			VCL_HEADER;
typedef struct http *				VCL_HTTP;
typedef void					VCL_INSTANCE;
typedef int64_t					VCL_INT;
typedef const struct suckaddr *			VCL_IP;
typedef const struct vrt_backend_probe *	VCL_PROBE;
typedef double					VCL_REAL;
typedef const struct vre *			VCL_REGEX;
typedef const struct stevedore *		VCL_STEVEDORE;
typedef const struct strands *			VCL_STRANDS;
typedef const char *				VCL_STRING;
typedef const struct vcl_sub *			VCL_SUB;
typedef vtim_real				VCL_TIME;
typedef struct vcl *				VCL_VCL;
typedef void					VCL_VOID;

/* ---- the context every VCL, VRT and VMOD call receives ---- */

struct vrt_ctx {
	unsigned			magic;
#define VRT_CTX_MAGIC			0x6bb8f0db

	unsigned			syntax;
	unsigned			vclver;
	unsigned			method;	/* VCL_MET_* bit, 0 outside VCL */

	struct wrk_vpi			*vpi;

	/* error text sink, only during VCL_EVENT_LOAD and VCL_EVENT_WARM */
	struct vsb			*msg;
	struct vsl_log			*vsl;
	VCL_VCL				vcl;
	struct ws			*ws;

	struct sess			*sp;

	struct req			*req;
	VCL_HTTP			http_req;
	VCL_HTTP			http_req_top;
	VCL_HTTP			http_resp;

	struct busyobj			*bo;
	VCL_HTTP			http_bereq;
	VCL_HTTP			http_beresp;

	vtim_real			now;

	/* method specific: hash context (vcl_hash), vsb (synth, error) */
	void				*specific;
	/* bitmap of called subs, if tracked */
	void				*called;
};

#define VRT_CTX		const struct vrt_ctx *ctx
void VRT_CTX_Assert(VRT_CTX);

/* How a VCL sub is called, and why a call was refused. */
enum vcl_func_call_e {
	VSUB_STATIC,
	VSUB_DYNAMIC,
	VSUB_CHECK
};

enum vcl_func_fail_e {
	VSUB_E_OK,
	VSUB_E_RECURSE,
	VSUB_E_METHOD
};

typedef void vcl_func_f(VRT_CTX, enum vcl_func_call_e, enum vcl_func_fail_e *);

/* What vmodtool emits per VMOD (Vmod_<name>_Data); the version fields lead. */
struct vmod_data {
	unsigned			vrt_major;
	unsigned			vrt_minor;
	const char			*file_id;

	const char			*name;
	const char			*func_name;
	const void			*func;
	int				func_len;
	const char			*proto;
	const char			*json;
	const char			*abi;
	const char			*vcs;
	const char			*version;
};

/* ---- VCL events: to VMODs (vmod_event_f) and to directors (vdi_event_f) ---- */

enum vcl_event_e {
	VCL_EVENT_LOAD,
	VCL_EVENT_WARM,
	VCL_EVENT_COLD,
	VCL_EVENT_DISCARD,
	VDI_EVENT_SICK,		/* directors only, VRT 20.1+ (spec C4, D5, D6) */
};

typedef int vmod_event_f(VRT_CTX, struct vmod_priv *, enum vcl_event_e);

/* ---- utility functions on VCL types (see vrt_types.c) ---- */

int VRT_acl_match(VRT_CTX, VCL_ACL, VCL_IP);

VCL_BACKEND VRT_DirectorResolve(VRT_CTX, VCL_BACKEND);

VCL_BLOB VRT_blob(VRT_CTX, const char *err, const void *src, size_t len,
    unsigned type);

int VRT_INT_is_valid(VCL_INT);

int VRT_VSA_GetPtr(VRT_CTX, VCL_IP sua, const unsigned char ** dst);
VCL_BOOL VRT_ipcmp(VRT_CTX, VCL_IP, VCL_IP);
void VRT_Format_Proxy(struct vsb *, VCL_INT, VCL_IP, VCL_IP, VCL_STRING);

int VRT_REAL_is_valid(VCL_REAL);

VCL_BOOL VRT_re_match(VRT_CTX, VCL_STRING, VCL_REGEX);
VCL_STRING VRT_regsub(VRT_CTX, int all, VCL_STRING, VCL_REGEX, VCL_STRING);

VCL_STEVEDORE VRT_stevedore(const char *nm);

struct strands *VRT_AllocStrandsWS(struct ws *, int n);
int VRT_CompareStrands(VCL_STRANDS a, VCL_STRANDS b);
VCL_BOOL VRT_Strands2Bool(VCL_STRANDS);
uint32_t VRT_HashStrands32(VCL_STRANDS);
char *VRT_Strands(char *buf, size_t bufl, VCL_STRANDS);
VCL_STRING VRT_StrandsWS(struct ws *, const char *prefix, VCL_STRANDS);
VCL_STRING VRT_UpperLowerStrands(VRT_CTX, VCL_STRANDS s, int up);

VCL_STRING VRT_check_call(VRT_CTX, VCL_SUB);
VCL_VOID VRT_call(VRT_CTX, VCL_SUB);

/* Canonical string forms of the VCL types. */
VCL_STRING VRT_BACKEND_string(VCL_BACKEND);
VCL_STRING VRT_BOOL_string(VCL_BOOL);
VCL_STRING VRT_BLOB_string(VRT_CTX, VCL_BLOB);
VCL_STRING VRT_INT_string(VRT_CTX, VCL_INT);
VCL_STRING VRT_IP_string(VRT_CTX, VCL_IP);
VCL_STRING VRT_REAL_string(VRT_CTX, VCL_REAL);
VCL_STRING VRT_STEVEDORE_string(VCL_STEVEDORE);
VCL_STRING VRT_STRANDS_string(VRT_CTX, VCL_STRANDS);
VCL_STRING VRT_TIME_string(VRT_CTX, VCL_TIME);

/* Kept from older VRT versions. */
int VRT_strcmp(const char *s1, const char *s2);
void VRT_memmove(void *dst, const void *src, unsigned len);

/* ---- backends: endpoint + fields + probe, cloned by VRT_new_backend ---- */

struct vrt_endpoint {
	unsigned			magic;
#define VRT_ENDPOINT_MAGIC		0xcc419347
	VCL_IP				ipv4;
	VCL_IP				ipv6;
	const char			*uds_path;
	const struct vrt_blob		*preamble;
};

/* Field list shared by the const (VCC) and owned (runtime copy) layouts. */
#define VRT_BACKEND_FIELDS(rigid)					\
	rigid char			*vcl_name;			\
	rigid char			*hosthdr;			\
	rigid char			*authority;			\
	vtim_dur			connect_timeout;		\
	vtim_dur			first_byte_timeout;		\
	vtim_dur			between_bytes_timeout;		\
	vtim_dur			backend_wait_timeout;		\
	unsigned			max_connections;		\
	unsigned			proxy_header;			\
	unsigned			backend_wait_limit;

/* Timeouts start negative = "unset, use the parameter" (VRT 19+). */
#define VRT_BACKEND_INIT(be)						\
	do {								\
		INIT_OBJ(be, VRT_BACKEND_MAGIC);			\
		(be)->connect_timeout = -1.0;				\
		(be)->first_byte_timeout = -1.0;			\
		(be)->between_bytes_timeout = -1.0;			\
		(be)->backend_wait_timeout = -1.0;			\
	} while (0)

/* Visit every field: DA(name) for strings, DN(name) for numbers. */
#define VRT_BACKEND_HANDLE()						\
	do {								\
		DA(vcl_name);						\
		DA(hosthdr);						\
		DA(authority);						\
		DN(connect_timeout);					\
		DN(first_byte_timeout);					\
		DN(between_bytes_timeout);				\
		DN(backend_wait_timeout);				\
		DN(max_connections);					\
		DN(proxy_header);					\
		DN(backend_wait_limit);					\
	} while (0)

struct vrt_backend {
	unsigned			magic;
#define VRT_BACKEND_MAGIC		0x4799ce6c
	const struct vrt_endpoint	*endpoint;
	VRT_BACKEND_FIELDS(const)
	VCL_PROBE			probe;
};

#define VRT_BACKEND_PROBE_FIELDS(rigid)					\
	vtim_dur			timeout;			\
	vtim_dur			interval;			\
	unsigned			exp_status;			\
	unsigned			window;				\
	unsigned			threshold;			\
	unsigned			initial;			\
	unsigned			exp_close;

#define VRT_BACKEND_PROBE_HANDLE()					\
	do {								\
		DN(timeout);						\
		DN(interval);						\
		DN(exp_status);						\
		DN(window);						\
		DN(threshold);						\
		DN(initial);						\
		DN(exp_close);						\
	} while (0)

struct vrt_backend_probe {
	unsigned			magic;
#define VRT_BACKEND_PROBE_MAGIC		0x84998490
	const char			*url;
	const char			*request;
	VRT_BACKEND_PROBE_FIELDS(const)
};

VCL_BACKEND VRT_new_backend(VRT_CTX, const struct vrt_backend *,
    VCL_BACKEND via);
VCL_BACKEND VRT_new_backend_clustered(VRT_CTX, struct vsmw_cluster *,
    const struct vrt_backend *, VCL_BACKEND via);
size_t VRT_backend_vsm_need(VRT_CTX);
void VRT_delete_backend(VRT_CTX, VCL_BACKEND *);
struct vrt_endpoint *VRT_Endpoint_Clone(const struct vrt_endpoint *vep);

/* ---- the struct http of a task, and its headers (see vrt_http.c) ---- */

enum gethdr_e {
	HDR_REQ,
	HDR_REQ_TOP,
	HDR_RESP,
	HDR_OBJ,
	HDR_BEREQ,
	HDR_BERESP,
	HDR_OBJ_STALE
};

/* A header name with its colon, prefixed by its length (colon included). */
#ifdef __cplusplus
/* C++ wants a tag: an unnamed type has no linkage (the C type stays unnamed). */
#  define VDISIM_HDR_TAG_	vdisim_hdr_s
#else
#  define VDISIM_HDR_TAG_
#endif
typedef const struct VDISIM_HDR_TAG_ {
	unsigned char	len;
	const char	str[];
} *hdr_t;

#define HDR(name)							\
	((hdr_t)&(const struct {					\
		unsigned char hdr_len_;					\
		char hdr_str_[sizeof(name ":")];			\
	}){ sizeof(name), name ":" })

#define CHECK_HDR(hdr)							\
	do {								\
		AN(hdr);						\
		assert((hdr)->len > 0);					\
		assert((hdr)->len == strlen((hdr)->str));		\
		assert((hdr)->str[(hdr)->len - 1] == ':');		\
	} while (0)

#define CAST_HDR(hdr, str)						\
	do {								\
		(hdr) = (hdr_t)(str);					\
		CHECK_HDR(hdr);						\
	} while (0)

struct gethdr_s {
	enum gethdr_e	where;
	hdr_t		what;
};

VCL_HTTP VRT_selecthttp(VRT_CTX, enum gethdr_e);
VCL_STRING VRT_GetHdr(VRT_CTX, VCL_HEADER);

/* ---- client request actions; vdisim simulates only the header ones ---- */

enum lbody_e {
	LBODY_SET_STRING,
	LBODY_ADD_STRING,
	LBODY_SET_BLOB,
	LBODY_ADD_BLOB,
};

#define LBODY_SET	LBODY_SET_STRING
#define LBODY_ADD	LBODY_ADD_STRING

VCL_BYTES VRT_CacheReqBody(VRT_CTX, VCL_BYTES maxsize);

VCL_STRING VRT_ban_string(VRT_CTX, VCL_STRING);
VCL_INT VRT_purge(VRT_CTX, VCL_DURATION, VCL_DURATION, VCL_DURATION);
VCL_VOID VRT_synth(VRT_CTX, VCL_INT, VCL_STRING);
VCL_VOID VRT_hit_for_pass(VRT_CTX, VCL_DURATION);

VCL_BOOL VRT_ValidHdr(VRT_CTX, VCL_STRANDS);
VCL_VOID VRT_UnsetHdr(VRT_CTX, VCL_HEADER);
VCL_VOID VRT_SetHdr(VRT_CTX, VCL_HEADER, const char *pfx, VCL_STRANDS);
VCL_VOID VRT_handling(VRT_CTX, unsigned hand);
unsigned VRT_handled(VRT_CTX);
VCL_VOID VRT_trace(VRT_CTX, VCL_BOOL);
VCL_VOID VRT_fail(VRT_CTX, const char *fmt, ...) v_printflike_(2, 3) v_cold_;
VCL_VOID VRT_hashdata(VRT_CTX, VCL_STRANDS);

VCL_VOID VRT_Rollback(VRT_CTX, VCL_HTTP);

VCL_VOID VRT_synth_strands(VRT_CTX, VCL_STRANDS);
VCL_VOID VRT_synth_blob(VRT_CTX, VCL_BLOB);

/* ---- VDI: the director API ---- */

typedef VCL_BOOL vdi_healthy_f(VRT_CTX, VCL_BACKEND, VCL_TIME *changed);
typedef VCL_BACKEND vdi_resolve_f(VRT_CTX, VCL_BACKEND);
typedef int vdi_gethdrs_f(VRT_CTX, VCL_BACKEND);
typedef VCL_IP vdi_getip_f(VRT_CTX, VCL_BACKEND);
typedef void vdi_finish_f(VRT_CTX, VCL_BACKEND);
typedef stream_close_t vdi_http1pipe_f(VRT_CTX, VCL_BACKEND);
typedef void vdi_event_f(VCL_BACKEND, enum vcl_event_e);
typedef void vdi_release_f(VCL_BACKEND);
typedef void vdi_destroy_f(VCL_BACKEND);
typedef void vdi_panic_f(VCL_BACKEND, struct vsb *);
typedef void vdi_list_f(VRT_CTX, VCL_BACKEND, struct vsb *, int pflag,
    int jflag);

struct vdi_methods {
	unsigned			magic;
#define VDI_METHODS_MAGIC		0x4ec0c4bb
	const char			*type;
	vdi_http1pipe_f			*http1pipe;
	vdi_healthy_f			*healthy;
	vdi_resolve_f			*resolve;
	vdi_gethdrs_f			*gethdrs;
	vdi_getip_f			*getip;
	vdi_finish_f			*finish;
	vdi_event_f			*event;
	vdi_release_f			*release;	/* from VRT_DelDirector (B1, B2) */
	vdi_destroy_f			*destroy;	/* at refcount 0 (A8) */
	vdi_panic_f			*panic;
	vdi_list_f			*list;
};

struct director {
	unsigned			magic;
#define DIRECTOR_MAGIC			0x3336351d
	void				*priv;
	char				*vcl_name;	/* points into vcldir.cli_name */
	struct vcldir			*vdir;
	struct lock			*mtx;
};

VCL_BOOL VRT_Healthy(VRT_CTX, VCL_BACKEND, VCL_TIME *changed);
VCL_VOID VRT_SetChanged(VCL_BACKEND, VCL_TIME);
VCL_BACKEND VRT_AddDirector(VRT_CTX, const struct vdi_methods *,
    void *priv, const char *fmt, ...) v_printflike_(4, 5);
void VRT_DisableDirector(VCL_BACKEND);
void VRT_StaticDirector(VCL_BACKEND);
VCL_BACKEND VRT_LookupDirector(VRT_CTX, VCL_STRING);
void VRT_DelDirector(VCL_BACKEND *);
void VRT_Assign_Backend(VCL_BACKEND *dst, VCL_BACKEND src);

/* ---- per-task / per-VCL private state of VMODs ---- */

typedef void vmod_priv_fini_f(VRT_CTX, void *);

struct vmod_priv_methods {
	unsigned			magic;
#define VMOD_PRIV_METHODS_MAGIC		0xcea5ff99
	const char			*type;
	vmod_priv_fini_f		*fini;
};

struct vmod_priv {
	void				*priv;
	long				len;
	const struct vmod_priv_methods	*methods;
};

void VRT_priv_fini(VRT_CTX, const struct vmod_priv *p);
struct vmod_priv *VRT_priv_task(VRT_CTX, const void *vmod_id);
struct vmod_priv *VRT_priv_task_get(VRT_CTX, const void *vmod_id);
struct vmod_priv *VRT_priv_top(VRT_CTX, const void *vmod_id);
struct vmod_priv *VRT_priv_top_get(VRT_CTX, const void *vmod_id);

/* ---- shared memory segments and counters (not simulated: none exist) ---- */

struct vsmw_cluster *VRT_VSM_Cluster_New(VRT_CTX, size_t);
void VRT_VSM_Cluster_Destroy(VRT_CTX, struct vsmw_cluster **);

#ifdef va_start	/* only where <stdarg.h> was included, as in Varnish */
void *VRT_VSC_Allocv(struct vsmw_cluster *, struct vsc_seg **,
    const char *, size_t, const unsigned char *, size_t, const char *, va_list);
void *VRT_VSC_Alloc(struct vsmw_cluster *, struct vsc_seg **,
    const char *, size_t, const unsigned char *, size_t, const char *, ...);
#endif
void VRT_VSC_Destroy(const char *, struct vsc_seg *);
void VRT_VSC_Hide(const struct vsc_seg *);
void VRT_VSC_Reveal(const struct vsc_seg *);
size_t VRT_VSC_Overhead(size_t);

/* ---- holding a VCL warm / undiscarded from outside a task (spec C6) ---- */

struct vclref;
struct vclref *VRT_VCL_Prevent_Cold(VRT_CTX, const char *desc);
void VRT_VCL_Allow_Cold(struct vclref **);
struct vclref *VRT_VCL_Prevent_Discard(VRT_CTX, const char *desc);
void VRT_VCL_Allow_Discard(struct vclref **);

/* ---- deprecated in Varnish, still declared ---- */

VCL_VOID VRT_synth_page(VRT_CTX, VCL_STRANDS);
int VRT_Stv(const char *nm);

#ifdef __cplusplus
}
#endif

#endif /* VRT_H_INCLUDED */
