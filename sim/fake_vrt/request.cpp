// Request and backend fetch as varnishd's cache_req_fsm / cache_fetch hold directors,
// with the struct req / busyobj / http a VMOD reads: req->http with the request line
// and headers, req->digest from the builtin vcl_hash, bo->bereq filtered from it.
#include "sim/fake_vrt/request.hpp"

#include <fmt/format.h>

#include <cassert>
#include <cmath>
#include <cstring>
#include <memory>

#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "vcl.h"
#include "vsha256.h"

namespace vdisim::vrt {

const char *to_string(RequestResult::Kind k) {
  switch (k) {
    case RequestResult::Kind::Ok: return "ok";
    case RequestResult::Kind::NoBackend: return "no_backend";
    case RequestResult::Kind::FetchError: return "fetch_error";
    case RequestResult::Kind::VclNotWarm: return "vcl_not_warm";
    case RequestResult::Kind::Failed: return "failed";
    case RequestResult::Kind::Synth: return "synth";
  }
  return "?";
}

namespace {

constexpr uint16_t kHttpSlots = 64;               // http_max_hdr
constexpr const char *kServerIp = "127.0.0.1";    // server.ip, hashed when there is no Host

// The VCL busy reference of a task; released also when the actor is cancelled.
struct VclHold {
  Runtime &rt;
  struct vcl *v;
  ~VclHold() {
    try {
      rt.vcl_leave(v);
    } catch (...) {
      // already recorded as a failure of the run
    }
  }
};

// The struct http objects carved from a workspace. HTTP_create leaves it zeroed, so the
// rest of HTTP_Setup is set here instead of a second zeroing of its 64 slots by
// HTTP_Setup's teardown (five http objects a request).
struct http *new_http(struct ws *ws, struct vsl_log *vsl, enum VSL_tag_e tag) {
  unsigned sz = HTTP_estimate(kHttpSlots);
  void *p = WS_Alloc(ws, sz);
  AN(p);
  struct http *hp = HTTP_create(p, kHttpSlots, sz);
  assert(hp->nhd == 0 && hp->ws == nullptr && hp->hd[0].b == nullptr);
  hp->nhd = HTTP_HDR_FIRST;
  hp->logtag = tag;
  hp->ws = ws;
  hp->vsl = vsl;
  return hp;
}

const char *ws_str(struct ws *ws, const std::string &s) {
  auto *p = static_cast<const char *>(WS_Copy(ws, s.c_str(), -1));
  AN(p);
  return p;
}

// Client side: session, top, worker and req, wired the way cache_req_fsm leaves them
// for vcl_recv. Lives on the request actor's stack.
struct ClientSide {
  WorkspaceBuffer space;
  struct sess sp {};
  struct worker wrk {};
  struct reqtop top {};
  struct req req {};

  ClientSide(struct vcl *v, std::uint32_t task_id, const RequestHttp &rh) {
    sp.magic = SESS_MAGIC;
    sp.fd = -1;
    wrk.magic = WORKER_MAGIC;
    req.magic = REQ_MAGIC;
    req.sp = &sp;
    req.wrk = &wrk;
    req.top = &top;
    req.vcl = v;
    req.max_restarts = 4;
    req.req_body_status = BS_NONE;
    req.doclose = SC_NULL;
    req.d_ttl = -1;
    req.d_grace = -1;
    req.vsl->wid.vxid = task_id | VSL_CLIENTMARKER;
    wrk.vsl = req.vsl;
    top.magic = REQTOP_MAGIC;
    top.topreq = &req;
    top.vcl0 = v;
    WS_Init(req.ws, "req", space.get(), kWorkspaceBytes);
    // Built without a log (the trace stays as it was); what VMODs change later is logged.
    req.http = new_http(req.ws, nullptr, SLT_ReqMethod);
    req.http0 = new_http(req.ws, nullptr, SLT_ReqMethod);
    struct http *hp = req.http;
    hp->nhd = HTTP_HDR_FIRST;
    http_SetH(hp, HTTP_HDR_METHOD, ws_str(req.ws, rh.method));
    http_SetH(hp, HTTP_HDR_URL, ws_str(req.ws, rh.url));
    http_SetH(hp, HTTP_HDR_PROTO, ws_str(req.ws, rh.proto));
    for (const auto &[name, value] : rh.headers) http_PrintfHeader(hp, "%s: %s", name.c_str(), value.c_str());
    AZ(WS_Overflowed(req.ws));
    HTTP_Dup(req.http0, req.http);
    req.http->vsl = req.http0->vsl = req.vsl;
    req.ws_req = WS_Snapshot(req.ws);
  }

  // The task's ctx sees this request, as in vcl_recv.
  void attach(Task &t, vtim_real now) {
    struct vrt_ctx *ctx = t.mutable_ctx();
    ctx->sp = &sp;
    ctx->req = &req;
    ctx->http_req = req.http;
    ctx->http_req_top = req.http;
    ctx->ws = req.ws;
    ctx->vsl = req.vsl;
    req.t_first = req.t_prev = req.t_req = now;
    wrk.lastused = now;
  }
};

// Varnish's builtin vcl_hash: hash_data(req.url), then Host or else server.ip.
void builtin_hash(Task &t, struct req *req) {
  struct vrt_ctx *ctx = t.mutable_ctx();
  VSHA256_CTX sha;
  const char *host = nullptr;
  unsigned saved = ctx->method;

  VSHA256_Init(&sha);
  ctx->method = VCL_MET_HASH;
  ctx->specific = &sha;
  const char *piece[1] = {req->http->hd[HTTP_HDR_URL].b};
  struct strands s = {STRANDS_MAGIC, 1, piece};
  VRT_hashdata(ctx, &s);
  piece[0] = http_GetHdr(req->http, H_Host, &host) ? host : kServerIp;
  VRT_hashdata(ctx, &s);
  ctx->specific = nullptr;
  ctx->method = saved;
  VSHA256_Final(req->digest, &sha);
}

// Backend side: the busyobj of cache_fetch's vbf_stp_mkbereq for a cacheable miss.
struct BackendSide {
  WorkspaceBuffer space;
  struct worker wrk {};
  struct busyobj bo {};

  BackendSide(struct vcl *v, std::uint32_t task_id, const struct req &req) {
    wrk.magic = WORKER_MAGIC;
    bo.magic = BUSYOBJ_MAGIC;
    bo.wrk = &wrk;
    bo.vcl = v;
    bo.max_retries = 4;
    bo.connect_timeout = NAN;  // NAN: the parameter applies
    bo.first_byte_timeout = NAN;
    bo.between_bytes_timeout = NAN;
    bo.vsl->wid.vxid = task_id | VSL_BACKENDMARKER;
    wrk.vsl = bo.vsl;
    WS_Init(bo.ws, "bo", space.get(), kWorkspaceBytes);
    bo.bereq0 = new_http(bo.ws, nullptr, SLT_BereqMethod);
    bo.bereq = new_http(bo.ws, nullptr, SLT_BereqMethod);
    bo.beresp = new_http(bo.ws, nullptr, SLT_BerespMethod);
    http_FilterReq(bo.bereq0, req.http, HTTPH_R_FETCH);
    http_ForceField(bo.bereq0, HTTP_HDR_METHOD, "GET");
    http_ForceHeader(bo.bereq0, H_Accept_Encoding, "gzip");
    http_ForceField(bo.bereq0, HTTP_HDR_PROTO, "HTTP/1.1");
    http_CopyHome(bo.bereq0);  // the req may be gone while the fetch goes on
    bo.ws_bo = WS_Snapshot(bo.ws);
    HTTP_Clone(bo.bereq, bo.bereq0);
    http_PrintfHeader(bo.bereq, "X-Varnish: %u", task_id);
    // A request with more headers than http_max_hdr overflows it (LostHeader): fetch()
    // fails the task then, as varnishd fails a VCL method on an overflowed workspace.
    bo.bereq0->vsl = bo.bereq->vsl = bo.beresp->vsl = bo.vsl;
    std::memcpy(bo.digest, req.digest, sizeof bo.digest);
  }

  void attach(Task &t, vtim_real now) {
    struct vrt_ctx *ctx = t.mutable_ctx();
    ctx->bo = &bo;
    ctx->http_bereq = bo.bereq;
    ctx->ws = bo.ws;
    ctx->vsl = bo.vsl;
    bo.t_first = bo.t_prev = now;
    wrk.lastused = now;
  }
};

RequestResult fetch(Runtime &rt, struct vcl *v, VCL_BACKEND hint, const struct req &req,
                    std::optional<std::int64_t> latency, const std::function<void(VRT_CTX)> &on_response) {
  RequestResult res;
  Task task(rt, v, VCL_MET_BACKEND_FETCH, /*own_workspace=*/false);  // bo->ws, attached below
  BackendSide side(v, task.id(), req);
  struct busyobj &bo = side.bo;
  side.attach(task, task.ctx()->now);
  task.fetch_latency_ns = latency;
  const struct vrt_ctx *ctx = task.ctx();
  if (WS_Overflowed(bo.ws)) {
    VSLb(ctx->vsl, SLT_Error, "workspace_backend overflow");
    task.finish();
    res.kind = RequestResult::Kind::Failed;
    return res;
  }
  VRT_Assign_Backend(&bo.director_req, hint);
  if (bo.director_req == nullptr) {
    VSLb(ctx->vsl, SLT_FetchError, "No backend");
    res.kind = RequestResult::Kind::NoBackend;
  } else {
    // D1 resolve in the backend task; then the gap until the fetch holds the leaf (A9).
    task.mutable_ctx()->method = 0;
    VCL_BACKEND leaf = resolve_director(ctx, bo.director_req, &res.chain);
    task.mutable_ctx()->method = VCL_MET_BACKEND_FETCH;
    rt.sched();
    if (leaf == nullptr) {
      VSLb(ctx->vsl, SLT_FetchError, "Director %s returned no backend", bo.director_req->vcl_name);
      res.kind = RequestResult::Kind::NoBackend;
    } else {
      VRT_Assign_Backend(&bo.director_resp, leaf);
      vcldir *vd = rt.checked(leaf, "fetch");
      if (!vd->methods->gethdrs || !vd->methods->finish)
        rt.violation("D2", fmt::format("leaf '{}' lacks gethdrs or finish", vd->cli_name));
      res.backend = vd->cli_name;
      res.leaf_sick = !VRT_Healthy(ctx, leaf, nullptr);
      if (res.leaf_sick) rt.backends().stats(vd->cli_name).fetches_while_sick++;
      int r;
      {
        Runtime::Acting a(rt, vd);
        rt.sched();
        r = vd->methods->gethdrs(ctx, leaf);
        if (r == 0) res.status = bo.beresp->status != 0 ? bo.beresp->status : 200;  // a leaf that sets none: 200
        rt.sched();
        if (r == 0 && on_response && !task.failed()) {  // vcl_backend_response, before the body
          task.mutable_ctx()->method = VCL_MET_BACKEND_RESPONSE;
          task.mutable_ctx()->http_beresp = bo.beresp;
          on_response(ctx);
          task.mutable_ctx()->http_beresp = nullptr;
          task.mutable_ctx()->method = VCL_MET_BACKEND_FETCH;
          rt.sched();
        }
        vd->methods->finish(ctx, leaf);
        rt.sched();
      }
      if (r != 0) res.kind = RequestResult::Kind::FetchError;
      VRT_Assign_Backend(&bo.director_resp, nullptr);
    }
  }
  VRT_Assign_Backend(&bo.director_req, nullptr);
  task.finish();
  if (task.failed() && res.kind == RequestResult::Kind::Ok) res.kind = RequestResult::Kind::Failed;
  return res;
}

}  // namespace

namespace {

// The client task of a request: VCL busy reference, task, req wired for vcl_recv; `body`
// runs in it, then the task ends. false if the VCL was not warm.
template <class Body>  // void(Task &, struct req &); a template, not a std::function: no allocation per request
bool with_client_task(Runtime &rt, struct vcl *v, const RequestHttp &http, Body &&body, bool entered = false) {
  if (!entered && !rt.vcl_enter(v)) return false;
  VclHold hold{rt, v};
  Task client(rt, v, VCL_MET_RECV, /*own_workspace=*/false);  // req->ws, attached below
  ClientSide side(v, client.id(), http);
  side.attach(client, client.ctx()->now);
  body(client, side.req);
  client.finish();
  return true;
}

struct Serve {
  Runtime &rt;
  const std::function<VCL_BACKEND(VRT_CTX)> &choose;
  std::optional<std::int64_t> fetch_latency_ns;
  const RequestHttp &http;
  const std::function<void(VRT_CTX)> &on_response;

  RequestResult in(struct vcl *v, bool switched);
  // return (vcl(LABEL)) (L6): as VPI_vcl_select, the request leaves this VCL's task (its
  // priv_task ends) but keeps the VCL busy (Varnish's vcl0) until it is done, and goes on
  // in the VCL the label points at, entered under vcl_mtx. Once only: a second switch is
  // Varnish's "Illegal return(vcl)" (a 503).
  RequestResult switch_to(Task &client, bool switched) {
    RequestResult res;
    res.kind = RequestResult::Kind::Failed;
    if (switched) {
      client.fail("Illegal return(vcl): only from the active VCL");
      return res;
    }
    client.finish();
    struct vcl *to = rt.vcl_enter_label(client.vcl_switch);
    if (!to) {
      res.kind = RequestResult::Kind::VclNotWarm;
      return res;
    }
    rt.tracef("req", FMT_COMPILE("task {}: {} via {}"), client.id(), to->name, client.vcl_switch);
    return in(to, true);
  }
};

RequestResult Serve::in(struct vcl *v, bool switched) {
  RequestResult res;
  bool entered = with_client_task(rt, v, http, [&](Task &client, struct req &rq) {
    VCL_BACKEND hint = choose(client.ctx());
    if (!client.vcl_switch.empty()) {
      res = switch_to(client, switched);
      return;
    }
    if (client.synth_status != 0 && !client.failed()) {  // vcl_synth answers: no hash, no fetch
      res.kind = RequestResult::Kind::Synth;
      res.status = client.synth_status;
      return;
    }
    rt.sched();  // A9: the returned director carries no reference until assigned
    VRT_Assign_Backend(&rq.director_hint, hint);
    if (!client.failed()) builtin_hash(client, &rq);
    if (client.failed()) {
      res.kind = RequestResult::Kind::Failed;
    } else {
      res = fetch(rt, v, rq.director_hint, rq, fetch_latency_ns, on_response);  // the busyobj's refs are dropped before ours (A10)
    }
    VRT_Assign_Backend(&rq.director_hint, nullptr);
  }, switched);
  if (!entered) res.kind = RequestResult::Kind::VclNotWarm;
  return res;
}

}  // namespace

RequestResult run_request(Runtime &rt, struct vcl *v, const std::function<VCL_BACKEND(VRT_CTX)> &choose,
                          std::optional<std::int64_t> fetch_latency_ns, const RequestHttp &http,
                          const std::function<void(VRT_CTX)> &on_response) {
  RequestResult res = Serve{rt, choose, fetch_latency_ns, http, on_response}.in(v, false);
  if (res.kind != RequestResult::Kind::Ok && res.kind != RequestResult::Kind::Synth) res.status = 503;
  return res;
}

void select_vcl(VRT_CTX, const std::string &label) {
  Task *task = Task::from(ctx);
  AN(task);
  assert(ctx->method == VCL_MET_RECV);  // VCC allows return (vcl(...)) in vcl_recv only
  task->vcl_switch = label;
  ctx->vpi->handling = VCL_RET_VCL;
}

void select_synth(VRT_CTX, int status) {
  Task *task = Task::from(ctx);
  AN(task);
  assert(status >= 100 && status <= 999);
  task->synth_status = status;
  ctx->vpi->handling = VCL_RET_SYNTH;
}

bool run_client_task(Runtime &rt, struct vcl *v, const std::function<void(VRT_CTX)> &body, const RequestHttp &http) {
  return with_client_task(rt, v, http, [&](Task &client, struct req &) { body(client.ctx()); });
}

}  // namespace vdisim::vrt
