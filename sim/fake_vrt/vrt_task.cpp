// The VRT and cache.h calls that need the runtime's task state: ctx checks, handling,
// PRIV_TOP, the remaining VSL* writers (all records go to the run's trace), lock
// classes and VCL names. Companion of c_api.cpp; director C code calls these via ctx.
#include <fmt/format.h>

#include <cmath>
#include <cstring>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/vpi.hpp"

using vdisim::sim::Sim;
using vdisim::vrt::Task;

namespace {

// Varnish's lock classes are VSC counters; vdisim counts nothing, the name is enough.
struct VdisimLckClass {
  unsigned magic;
  std::string name;
};
constexpr unsigned kLckClassMagic = 0x4c434c53;  // "LCLS"

void trace_vsl(enum VSL_tag_e tag, const std::string &text) {
  Sim *s = Sim::current();
  if (!s) return;
  fmt::memory_buffer line;  // "<Tag> <text>" without a heap string when it is short
  const std::string_view name = vdisim::vrt::vsl_tag_name(tag);
  line.append(name.data(), name.data() + name.size());
  line.push_back(' ');
  line.append(text.data(), text.data() + text.size());
  s->event("vsl", std::string_view(line.data(), line.size()));
}

}  // namespace

const char *vdisim::vrt::vsl_tag_name(enum VSL_tag_e t) {
  switch (t) {
#define SLTM(name, flags, sdesc, ldesc) \
  case SLT_##name:                      \
    return #name;
#include "tbl/vsl_tags.h"
    default:
      return "Tag";
  }
}

void vdisim::vrt::mark_cli_thread() {
  Sim *s = Sim::current();
  if (s == nullptr || s->running() == nullptr) return;  // set-up and end-of-run checks
  cli_thread = static_cast<pthread_t>(s->running()->id);
}

extern "C" {

// The id (vdisim_pthread_self(): the actor id) of the actor running CLI operations;
// set by mark_cli_thread(), 0 (no actor) until then.
pthread_t cli_thread;
pthread_mutexattr_t mtxattr_errorcheck;

void VRT_CTX_Assert(VRT_CTX) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  if (ctx->msg != nullptr)
    CHECK_OBJ(ctx->msg, VSB_MAGIC);
  else
    AN(ctx->vsl);
  AN(ctx->vcl);
  WS_Assert(ctx->ws);
  CHECK_OBJ_ORNULL(ctx->sp, SESS_MAGIC);
  CHECK_OBJ_ORNULL(ctx->req, REQ_MAGIC);
  CHECK_OBJ_ORNULL(ctx->http_req, HTTP_MAGIC);
  CHECK_OBJ_ORNULL(ctx->http_req_top, HTTP_MAGIC);
  CHECK_OBJ_ORNULL(ctx->http_resp, HTTP_MAGIC);
  CHECK_OBJ_ORNULL(ctx->bo, BUSYOBJ_MAGIC);
  CHECK_OBJ_ORNULL(ctx->http_bereq, HTTP_MAGIC);
  CHECK_OBJ_ORNULL(ctx->http_beresp, HTTP_MAGIC);
}

VCL_VOID VRT_handling(VRT_CTX, unsigned hand) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  CHECK_OBJ_NOTNULL(ctx->vpi, WRK_VPI_MAGIC);
  assert(hand != vdisim::vrt::kRet_fail);  // VRT_fail() is the only way to fail
  AZ(ctx->vpi->handling);
  assert(hand > 0 && hand < vdisim::vrt::kRetMax);
  ctx->vpi->handling = hand;
}

unsigned VRT_handled(VRT_CTX) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  CHECK_OBJ_NOTNULL(ctx->vpi, WRK_VPI_MAGIC);
  return ctx->vpi->handling;
}

VCL_VOID VRT_trace(VRT_CTX, VCL_BOOL on) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  CHECK_OBJ_NOTNULL(ctx->vpi, WRK_VPI_MAGIC);
  ctx->vpi->trace = on;
}

void VRT_priv_fini(VRT_CTX, const struct vmod_priv *p) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  AN(p);
  const struct vmod_priv_methods *m = p->methods;
  if (m == nullptr) return;
  CHECK_OBJ(m, VMOD_PRIV_METHODS_MAGIC);
  if (p->priv == nullptr || m->fini == nullptr) return;
  m->fini(ctx, p->priv);
}

// vdisim has no ESI: a client task is its own top request, so PRIV_TOP is its task priv.
static struct vmod_priv *priv_top(VRT_CTX, const void *id, bool create) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  if (ctx->req == nullptr) {
    VRT_fail(ctx, "PRIV_TOP is only accessible in client VCL context");
    return nullptr;
  }
  CHECK_OBJ(ctx->req, REQ_MAGIC);
  Task *t = Task::from(ctx);
  AN(t);
  return t->priv_task(id, create);
}

struct vmod_priv *VRT_priv_top(VRT_CTX, const void *vmod_id) { return priv_top(ctx, vmod_id, true); }
struct vmod_priv *VRT_priv_top_get(VRT_CTX, const void *vmod_id) { return priv_top(ctx, vmod_id, false); }

// ---- VSL: every record becomes a "vsl" trace event "<Tag> <text>" ----

void VSLbt(struct vsl_log *, enum VSL_tag_e tag, txt t) {
  Tcheck(t);
  trace_vsl(tag, std::string(t.b, static_cast<std::size_t>(t.e - t.b)));
}

void VSLs(enum VSL_tag_e tag, vxid_t, const struct strands *s) {
  std::string out;
  CHECK_OBJ_NOTNULL(s, STRANDS_MAGIC);
  for (int i = 0; i < s->n; i++)
    if (s->p[i]) out += s->p[i];
  trace_vsl(tag, out);
}

// "<event>: <now> <since first> <since previous>", as varnishlog prints Timestamp.
void VSLb_ts(struct vsl_log *, const char *event, vtim_real first, vtim_real *pprev, vtim_real now) {
  AN(event);
  AN(pprev);
  assert(!std::isnan(now) && now != 0.);
  trace_vsl(SLT_Timestamp, fmt::format("{}: {:.6f} {:.6f} {:.6f}", event, now, now - first, now - *pprev));
  *pprev = now;
}

// Binary records: the bytes in hex (vdisim's trace is text).
void VSLb_bin(struct vsl_log *, enum VSL_tag_e tag, ssize_t len, const void *ptr) {
  assert(len >= 0);
  AN(ptr);
  const auto *b = static_cast<const unsigned char *>(ptr);
  std::string hex;
  for (ssize_t i = 0; i < len; i++) hex += fmt::format("{:02x}", b[i]);
  trace_vsl(tag, hex);
}

// Varnish's default vsl_mask: what a VMOD asking sees; vdisim traces every record anyway.
int VSL_tag_is_masked(enum VSL_tag_e tag) {
  switch (tag) {
    case SLT_Debug: case SLT_ExpKill: case SLT_H2RxBody: case SLT_H2RxHdr: case SLT_H2TxBody:
    case SLT_H2TxHdr: case SLT_Hash: case SLT_ObjHeader: case SLT_ObjProtocol: case SLT_ObjReason:
    case SLT_ObjStatus: case SLT_VdpAcct: case SLT_VfpAcct: case SLT_WorkThread:
      return 1;
    default:
      return 0;
  }
}

// ---- lock classes and VCL names ----

struct VSC_lck *Lck_CreateClass(struct vsc_seg **sg, const char *name) {
  AN(name);
  auto *c = new VdisimLckClass{kLckClassMagic, name};
  if (sg != nullptr) *sg = reinterpret_cast<struct vsc_seg *>(c);
  return reinterpret_cast<struct VSC_lck *>(c);
}

void Lck_DestroyClass(struct vsc_seg **sg) {
  AN(sg);
  auto *c = reinterpret_cast<VdisimLckClass *>(*sg);
  AN(c);
  assert(c->magic == kLckClassMagic);
  c->magic = 0;
  delete c;
  *sg = nullptr;
}

const char *VCL_Name(const struct vcl *vcl) {
  CHECK_OBJ_NOTNULL(vcl, VCL_MAGIC);
  return vcl->name.c_str();
}

}  // extern "C"
