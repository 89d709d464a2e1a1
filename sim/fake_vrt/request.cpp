// Request and backend fetch as varnishd's cache_req_fsm / cache_fetch hold directors.
#include "sim/fake_vrt/request.hpp"

#include <fmt/format.h>

#include "sim/fake_vrt/backend.hpp"
#include "vcl.h"

struct busyobj {
  unsigned magic;
#define BUSYOBJ_MAGIC 0x23b95567
  VCL_BACKEND director_req;
  VCL_BACKEND director_resp;
};

struct req {
  unsigned magic;
#define REQ_MAGIC 0xfb4abf6d
  VCL_BACKEND director_hint;
};

namespace vdisim::vrt {

const char *to_string(RequestResult::Kind k) {
  switch (k) {
    case RequestResult::Kind::Ok: return "ok";
    case RequestResult::Kind::NoBackend: return "no_backend";
    case RequestResult::Kind::FetchError: return "fetch_error";
    case RequestResult::Kind::VclNotWarm: return "vcl_not_warm";
    case RequestResult::Kind::Failed: return "failed";
  }
  return "?";
}

namespace {
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

RequestResult fetch(Runtime &rt, struct vcl *v, VCL_BACKEND hint, std::optional<std::int64_t> latency) {
  RequestResult res;
  busyobj bo{BUSYOBJ_MAGIC, nullptr, nullptr};
  Task task(rt, v, VCL_MET_BACKEND_FETCH);
  task.fetch_latency_ns = latency;
  task.mutable_ctx()->bo = &bo;
  const struct vrt_ctx *ctx = task.ctx();
  VRT_Assign_Backend(&bo.director_req, hint);
  if (bo.director_req == nullptr) {
    VSLb(ctx->vsl, SLT_FetchError, "No backend");
    res.kind = RequestResult::Kind::NoBackend;
  } else {
    // D1 resolve in the backend task; then the gap until the fetch holds the leaf (A9).
    task.mutable_ctx()->method = 0;
    VCL_BACKEND leaf = VRT_DirectorResolve(ctx, bo.director_req);
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
        rt.sched();
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

RequestResult run_request(Runtime &rt, struct vcl *v, const std::function<VCL_BACKEND(VRT_CTX)> &choose,
                          std::optional<std::int64_t> fetch_latency_ns) {
  RequestResult res;
  if (!rt.vcl_enter(v)) {
    res.kind = RequestResult::Kind::VclNotWarm;
    return res;
  }
  VclHold hold{rt, v};
  struct req rq {REQ_MAGIC, nullptr};
  Task client(rt, v, VCL_MET_RECV);
  client.mutable_ctx()->req = &rq;
  VCL_BACKEND hint = choose(client.ctx());
  rt.sched();  // A9: the returned director carries no reference until assigned
  VRT_Assign_Backend(&rq.director_hint, hint);
  if (client.failed()) {
    res.kind = RequestResult::Kind::Failed;
  } else {
    res = fetch(rt, v, rq.director_hint, fetch_latency_ns);  // the busyobj's refs are dropped before ours (A10)
  }
  VRT_Assign_Backend(&rq.director_hint, nullptr);
  client.finish();
  return res;
}

}  // namespace vdisim::vrt
