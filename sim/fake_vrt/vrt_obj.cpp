// vrt_obj.cpp -- the VCL variables (vrt_obj.h's C calls) vdisim simulates, plus the
// VCL_TYPE_* descriptors of vcl.h. A vmod may call any of them, so each one exists: every
// other function vrt_obj.h declares is generated from the header (vrt_obj_unsimulated.py)
// and fails the task with a VRT_fail naming the variable ("vdisim: <var> is not simulated
// (vrt_obj.h)"), returning the type's zero.
//
// Simulated variables:
//   now                                  ctx->now, the task's virtual start time
//   req, bereq, beresp, resp (HTTP)      ctx->http_req / http_bereq / http_beresp / http_resp
//   req.backend_hint (r/w)               req->director_hint, reference counted (A5)
//   bereq.backend (r/w), beresp.backend  bo->director_req / bo->director_resp
//   req.restarts, req.esi_level          req fields (vdisim never restarts, has no ESI: 0)
//   bereq.retries                        bo->retries (vdisim never retries: 0)
//   req.xid, bereq.xid                   the task's vxid (ctx->vsl->wid)
//   {req,bereq}.{method,url,proto} (r/w) the request line in http->hd[]
//   {beresp,resp}.{proto,reason} (r/w)   the status line in http->hd[]
//   {beresp,resp}.status (r/w)           http->status (the checks of Varnish's setter)
//   req_top.{method,url,proto}           ctx->http_req_top (no ESI: the request itself)
//   server.identity, server.hostname     "vdisim": one simulated host
//   param.*                              Varnish 8.0.0's defaults (no param.set in vdisim)
//   storage.<name>.*                     tbl/vrt_stv_var.h's value for a stevedore without it
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "cache/cache.h"
#include "vcl.h"
#include "vrt_obj.h"

namespace {

// A string assignment joins its pieces on the task workspace, as VCL does.
const char *join_on_ws(VRT_CTX, const char *pfx, VCL_STRANDS s) {
  CHECK_OBJ_NOTNULL(ctx->ws, WS_MAGIC);
  std::size_t len = pfx ? std::strlen(pfx) : 0;
  for (int i = 0; s && i < s->n; i++)
    if (s->p[i]) len += std::strlen(s->p[i]);
  char *p = static_cast<char *>(WS_Alloc(ctx->ws, static_cast<unsigned>(len + 1)));
  if (!p) return nullptr;
  char *w = p;
  auto put = [&w](const char *x) {
    std::size_t n = std::strlen(x);
    std::memcpy(w, x, n);
    w += n;
  };
  if (pfx) put(pfx);
  for (int i = 0; s && i < s->n; i++)
    if (s->p[i]) put(s->p[i]);
  *w = '\0';
  return p;
}

const char *hd_read(VCL_HTTP hp, int fld) {
  CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
  assert(fld < hp->shd);
  return hp->hd[fld].b;
}

void hd_write(VRT_CTX, VCL_HTTP hp, int fld, const char *var, const char *pfx, VCL_STRANDS s) {
  CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
  assert(fld < hp->shd);
  const char *b = join_on_ws(ctx, pfx, s);
  if (!b) {
    VRT_fail(ctx, "%s: out of workspace", var);
    return;
  }
  if (*b == '\0' && fld != HTTP_HDR_REASON) {
    VRT_fail(ctx, "%s: cannot be empty", var);  // the request and status lines need it
    return;
  }
  hp->hd[fld].b = b;
  hp->hd[fld].e = b + std::strlen(b);
}

VCL_INT status_read(VCL_HTTP hp) {
  CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
  return hp->status;
}

// Varnish refuses what no HTTP status can be: negative, > 65535, or an ..0xx code.
void status_write(VRT_CTX, VCL_HTTP hp, const char *var, VCL_INT num) {
  CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
  if (num < 0 || num > 65535 || num % 1000 < 100) {
    VRT_fail(ctx, "%s: %" PRId64 " is not a status code", var, static_cast<int64_t>(num));
    return;
  }
  // The status line carries the three digits; num / 1000 is VCL's private use.
  char buf[4];
  std::snprintf(buf, sizeof buf, "%03u", static_cast<unsigned>(num % 1000));
  const char *b = static_cast<const char *>(WS_Copy(ctx->ws, buf, -1));
  if (!b) {
    VRT_fail(ctx, "%s: out of workspace", var);
    return;
  }
  hp->status = static_cast<uint16_t>(num);
  hp->hd[HTTP_HDR_STATUS].b = b;
  hp->hd[HTTP_HDR_STATUS].e = b + 3;
}

struct req *req_of(VRT_CTX) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  CHECK_OBJ_NOTNULL(ctx->req, REQ_MAGIC);
  return ctx->req;
}

struct busyobj *bo_of(VRT_CTX) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  CHECK_OBJ_NOTNULL(ctx->bo, BUSYOBJ_MAGIC);
  return ctx->bo;
}

VCL_INT task_vxid(VRT_CTX) {
  AN(ctx->vsl);
  return static_cast<VCL_INT>(VXID(ctx->vsl->wid));
}

}  // namespace

extern "C" {

// ---- VCL type descriptors (vcl.h) ----
#define VDISIM_VCL_TYPE(U, l, ct, sz) \
  const struct vrt_type VCL_TYPE_##U[1] = {{VRT_TYPE_MAGIC, l, #U, ct, sz}};
VDISIM_VCL_TYPE(ACL, "acl", "const struct vrt_acl *", sizeof(VCL_ACL))
VDISIM_VCL_TYPE(BACKEND, "backend", "const struct director *", sizeof(VCL_BACKEND))
VDISIM_VCL_TYPE(BLOB, "blob", "const struct vrt_blob *", sizeof(VCL_BLOB))
VDISIM_VCL_TYPE(BODY, "body", "const void *", sizeof(VCL_BODY))
VDISIM_VCL_TYPE(BOOL, "bool", "unsigned", sizeof(VCL_BOOL))
VDISIM_VCL_TYPE(BYTES, "bytes", "int64_t", sizeof(VCL_BYTES))
VDISIM_VCL_TYPE(DURATION, "duration", "vtim_dur", sizeof(VCL_DURATION))
VDISIM_VCL_TYPE(ENUM, "enum", "const char *", sizeof(VCL_ENUM))
VDISIM_VCL_TYPE(HEADER, "header", "const struct gethdr_s *", sizeof(VCL_HEADER))
VDISIM_VCL_TYPE(HTTP, "http", "struct http *", sizeof(VCL_HTTP))
VDISIM_VCL_TYPE(INSTANCE, "instance", "void", 0)
VDISIM_VCL_TYPE(INT, "int", "int64_t", sizeof(VCL_INT))
VDISIM_VCL_TYPE(IP, "ip", "const struct suckaddr *", sizeof(VCL_IP))
VDISIM_VCL_TYPE(PROBE, "probe", "const struct vrt_backend_probe *", sizeof(VCL_PROBE))
VDISIM_VCL_TYPE(REAL, "real", "double", sizeof(VCL_REAL))
VDISIM_VCL_TYPE(REGEX, "regex", "const struct vre *", sizeof(VCL_REGEX))
VDISIM_VCL_TYPE(STEVEDORE, "stevedore", "const struct stevedore *", sizeof(VCL_STEVEDORE))
VDISIM_VCL_TYPE(STRANDS, "strands", "const struct strands *", sizeof(VCL_STRANDS))
VDISIM_VCL_TYPE(STRING, "string", "const char *", sizeof(VCL_STRING))
VDISIM_VCL_TYPE(STRINGS, "strings", "void", 0)
VDISIM_VCL_TYPE(SUB, "sub", "const struct vcl_sub *", sizeof(VCL_SUB))
VDISIM_VCL_TYPE(TIME, "time", "vtim_real", sizeof(VCL_TIME))
VDISIM_VCL_TYPE(VCL, "vcl", "struct vcl *", sizeof(VCL_VCL))
VDISIM_VCL_TYPE(VOID, "void", "void", 0)
#undef VDISIM_VCL_TYPE

// ---- simulated ----

VCL_TIME VRT_r_now(VRT_CTX) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  return ctx->now;
}

VCL_HTTP VRT_r_req(VRT_CTX) { CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC); return ctx->http_req; }
VCL_HTTP VRT_r_bereq(VRT_CTX) { CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC); return ctx->http_bereq; }
VCL_HTTP VRT_r_beresp(VRT_CTX) { CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC); return ctx->http_beresp; }
VCL_HTTP VRT_r_resp(VRT_CTX) { CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC); return ctx->http_resp; }

VCL_BACKEND VRT_r_req_backend_hint(VRT_CTX) { return req_of(ctx)->director_hint; }
void VRT_l_req_backend_hint(VRT_CTX, VCL_BACKEND be) { VRT_Assign_Backend(&req_of(ctx)->director_hint, be); }
VCL_BACKEND VRT_r_bereq_backend(VRT_CTX) { return bo_of(ctx)->director_req; }
void VRT_l_bereq_backend(VRT_CTX, VCL_BACKEND be) { VRT_Assign_Backend(&bo_of(ctx)->director_req, be); }
VCL_BACKEND VRT_r_beresp_backend(VRT_CTX) { return bo_of(ctx)->director_resp; }

VCL_INT VRT_r_req_restarts(VRT_CTX) { return req_of(ctx)->restarts; }
VCL_INT VRT_r_req_esi_level(VRT_CTX) { return req_of(ctx)->esi_level; }
VCL_INT VRT_r_bereq_retries(VRT_CTX) { return bo_of(ctx)->retries; }
VCL_INT VRT_r_req_xid(VRT_CTX) { (void)req_of(ctx); return task_vxid(ctx); }
VCL_INT VRT_r_bereq_xid(VRT_CTX) { (void)bo_of(ctx); return task_vxid(ctx); }

// The request and status lines: read and assign through http->hd[].
#define VDISIM_HD_RW(obj, var, fld)                                              \
  VCL_STRING VRT_r_##obj##_##var(VRT_CTX) {                                     \
    CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);                                      \
    return hd_read(ctx->http_##obj, fld);                                       \
  }                                                                             \
  void VRT_l_##obj##_##var(VRT_CTX, const char *pfx, VCL_STRANDS s) {           \
    CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);                                      \
    hd_write(ctx, ctx->http_##obj, fld, #obj "." #var, pfx, s);                 \
  }
VDISIM_HD_RW(req, method, HTTP_HDR_METHOD)
VDISIM_HD_RW(req, url, HTTP_HDR_URL)
VDISIM_HD_RW(req, proto, HTTP_HDR_PROTO)
VDISIM_HD_RW(bereq, method, HTTP_HDR_METHOD)
VDISIM_HD_RW(bereq, url, HTTP_HDR_URL)
VDISIM_HD_RW(bereq, proto, HTTP_HDR_PROTO)
VDISIM_HD_RW(beresp, proto, HTTP_HDR_PROTO)
VDISIM_HD_RW(beresp, reason, HTTP_HDR_REASON)
VDISIM_HD_RW(resp, proto, HTTP_HDR_PROTO)
VDISIM_HD_RW(resp, reason, HTTP_HDR_REASON)
#undef VDISIM_HD_RW

#define VDISIM_STATUS_RW(obj)                                                   \
  VCL_INT VRT_r_##obj##_status(VRT_CTX) {                                       \
    CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);                                      \
    return status_read(ctx->http_##obj);                                        \
  }                                                                             \
  void VRT_l_##obj##_status(VRT_CTX, VCL_INT n) {                               \
    CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);                                      \
    status_write(ctx, ctx->http_##obj, #obj ".status", n);                      \
  }
VDISIM_STATUS_RW(beresp)
VDISIM_STATUS_RW(resp)
#undef VDISIM_STATUS_RW

#define VDISIM_TOP_R(var, fld)                                                  \
  VCL_STRING VRT_r_req_top_##var(VRT_CTX) {                                     \
    CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);                                      \
    (void)req_of(ctx);                                                          \
    return hd_read(ctx->http_req_top ? ctx->http_req_top : ctx->http_req, fld); \
  }
VDISIM_TOP_R(method, HTTP_HDR_METHOD)
VDISIM_TOP_R(url, HTTP_HDR_URL)
VDISIM_TOP_R(proto, HTTP_HDR_PROTO)
#undef VDISIM_TOP_R

VCL_STRING VRT_r_server_identity(VRT_CTX) { CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC); return "vdisim"; }
VCL_STRING VRT_r_server_hostname(VRT_CTX) { CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC); return "vdisim"; }

// param.*: the values varnishd 8.0.0 starts with.
#define VDISIM_PARAM(type, name, value) \
  type VRT_r_param_##name(VRT_CTX) { CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC); return value; }
VDISIM_PARAM(VCL_DURATION, backend_idle_timeout, 60.0)
VDISIM_PARAM(VCL_INT, backend_wait_limit, 0)
VDISIM_PARAM(VCL_DURATION, backend_wait_timeout, 0.0)
VDISIM_PARAM(VCL_DURATION, between_bytes_timeout, 60.0)
VDISIM_PARAM(VCL_DURATION, connect_timeout, 3.5)
VDISIM_PARAM(VCL_DURATION, default_grace, 10.0)
VDISIM_PARAM(VCL_DURATION, default_keep, 0.0)
VDISIM_PARAM(VCL_DURATION, default_ttl, 120.0)
VDISIM_PARAM(VCL_DURATION, first_byte_timeout, 60.0)
VDISIM_PARAM(VCL_DURATION, idle_send_timeout, 60.0)
VDISIM_PARAM(VCL_INT, max_esi_depth, 5)
VDISIM_PARAM(VCL_INT, max_restarts, 4)
VDISIM_PARAM(VCL_INT, max_retries, 4)
VDISIM_PARAM(VCL_DURATION, pipe_task_deadline, 0.0)
VDISIM_PARAM(VCL_DURATION, pipe_timeout, 60.0)
VDISIM_PARAM(VCL_DURATION, send_timeout, 600.0)
VDISIM_PARAM(VCL_DURATION, shortlived, 10.0)
VDISIM_PARAM(VCL_DURATION, timeout_idle, 5.0)
VDISIM_PARAM(VCL_BYTES, transit_buffer, 0)
VDISIM_PARAM(VCL_DURATION, uncacheable_ttl, 120.0)
#undef VDISIM_PARAM

// storage.<name>.*: vdisim has no storage, so every stevedore answers the table's default.
#define VRTSTVVAR(nm, vtype, ctype, dval) \
  VCL_##vtype VRT_stevedore_##nm(VCL_STEVEDORE stv) { AN(stv); return dval; }
#include "tbl/vrt_stv_var.h"

}  // extern "C"
