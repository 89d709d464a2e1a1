// VclObjects (see runtime_objects.hpp).
#include "sim/runner/runtime_objects.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <utility>

#include "sim/runner/director_object.hpp"
#include "sim/runner/scenario_convert.hpp"
#include "vrt.h"

namespace vdisim::runner {

namespace sc = vdisim::scenario;

namespace {
void hold_fini(VRT_CTX, void *p) {
  (void)ctx;
  auto *h = static_cast<TaskHold *>(p);
  VRT_Assign_Backend(&h->be, nullptr);
  delete h;
}
const struct vmod_priv_methods kHoldMethods = {VMOD_PRIV_METHODS_MAGIC, "vdisim task hold", hold_fini};
const char kHoldKey = 0;
}  // namespace

TaskHold *hold_in_task(VRT_CTX, VCL_BACKEND d) {
  struct vmod_priv *p = VRT_priv_task(ctx, &kHoldKey);
  if (p->priv == nullptr) {
    p->priv = new TaskHold;
    p->methods = &kHoldMethods;
  }
  auto *h = static_cast<TaskHold *>(p->priv);
  VRT_Assign_Backend(&h->be, d);
  return h;
}

TaskHold *held_in_task(VRT_CTX) {
  struct vmod_priv *p = VRT_priv_task_get(ctx, &kHoldKey);
  return p ? static_cast<TaskHold *>(p->priv) : nullptr;
}

VclObjects::VclObjects(vrt::Runtime &rt, DynamicResolvers &resolvers, const sc::Scenario &sc,
                       std::map<std::string, std::uint64_t> &counts)
    : rt_(rt), resolvers_(resolvers), counts_(counts) {
  for (const auto &op : sc.timeline)
    if ((op.kind == sc::OpKind::object_fini || op.kind == sc::OpKind::backend_delete) && !mtx_)
      mtx_ = std::make_unique<sim::Mutex>("objects");
}

bool VclObjects::is_object_op(sc::OpKind k) {
  return k == sc::OpKind::object_new || k == sc::OpKind::object_fini || k == sc::OpKind::backend_new ||
         k == sc::OpKind::backend_delete;
}

std::shared_ptr<DirectorObject> VclObjects::make(VRT_CTX, LoadedVcl &lv, std::size_t i) {
  const sc::Director &d = lv.model->directors[i];
  const DirectorFactory *f = find_director_type(d);
  if (!f) throw std::invalid_argument(fmt::format("no director type '{}'", d.type_text));
  std::shared_ptr<DirectorObject> obj = (*f)(ctx, d.name, d);
  if (i < lv.directors.size()) lv.directors[i] = obj;
  else lv.directors.push_back(obj);
  ctx->vcl->fini.push_back([this, &lv, i](VRT_CTX) {
    (void)ctx;
    fini(lv, i);
  });
  return obj;
}

std::unique_lock<sim::Mutex> VclObjects::turn() const {
  return mtx_ ? std::unique_lock<sim::Mutex>(*mtx_) : std::unique_lock<sim::Mutex>();
}

// Once: the VCL's discard or a timeline fini:, whichever comes first. With fini: in the
// timeline, picks hold mtx_, so a request is never inside the object meanwhile (as VCL
// guarantees: only the discard of a VCL no task is in runs __fini); without, no lock (and
// no scheduling point) is added.
void VclObjects::fini(LoadedVcl &lv, std::size_t i) {
  {
    std::unique_lock<sim::Mutex> lk = turn();
    if (i >= lv.directors.size() || !lv.directors[i] || lv.fini_done[i]) return;
    lv.fini_done[i] = 1;
  }
  lv.directors[i]->fini();
}

VCL_BACKEND VclObjects::target(VRT_CTX, LoadedVcl &lv, sc::TargetKind kind, std::size_t index,
                               const ClientRequest &req) {
  std::unique_lock<sim::Mutex> lk = turn();
  if (kind == sc::TargetKind::director && index < lv.fini_done.size() && lv.fini_done[index]) return nullptr;
  VCL_BACKEND be = lv.target(ctx, kind, index, req);
  if (mtx_ && be) hold_in_task(ctx, be);
  return be;
}

// f in a task of the VCL (method 0: not a VCL sub), entered (busy) when `enter`.
template <typename F>
bool VclObjects::in_task(LoadedVcl &lv, bool enter, F &&f) {
  if (enter && !rt_.vcl_enter(lv.v)) return false;
  {
    vrt::Task t(rt_, lv.v, 0);
    f(t.ctx());
    t.finish();
  }
  if (enter) rt_.vcl_leave(lv.v);
  return true;
}

// VRT_new_backend at run time, as a vmod makes one: refcounted (not VCC's static backend),
// deleted by backend_delete:, else reaped by the VCL's discard (B4).
void VclObjects::make_backend(VRT_CTX, LoadedVcl &lv, std::size_t i) {
  if (i >= lv.backends.size() || lv.backends[i]) return;
  const sc::BackendDecl &b = lv.model->backends[i];
  struct vrt_backend be;
  VRT_BACKEND_INIT(&be);
  be.vcl_name = b.name.c_str();
  be.hosthdr = b.host.c_str();
  be.max_connections = static_cast<unsigned>(b.max_connections.value_or(0));
  if (b.probe) {
    lv.probes.push_back(probe_of(*b.probe));
    be.probe = &lv.probes.back();
  }
  lv.backends[i] = VRT_new_backend(ctx, &be, nullptr);
  if (!lv.backends[i]) {
    counts_["backend_new_failed"]++;
    return;
  }
  ctx->vcl->fini.push_back([&lv, i](VRT_CTX) {
    (void)ctx;
    lv.backends[i] = nullptr;
  });
}

void VclObjects::apply(LoadedVcl *lv, const sc::TimelineOp &op) {
  if (!lv) {
    counts_["object_op_vcl_gone"]++;
    return;
  }
  const sc::Vcl &m = *lv->model;
  if (op.kind == sc::OpKind::object_fini) {
    fini(*lv, static_cast<std::size_t>(m.find_director(op.object) - m.directors.data()));
    return;
  }
  bool director = op.kind == sc::OpKind::object_new;
  std::size_t i = director ? static_cast<std::size_t>(m.find_director(op.object) - m.directors.data())
                           : static_cast<std::size_t>(m.find_backend(op.object) - m.backends.data());
  bool ran = in_task(*lv, op.kind != sc::OpKind::backend_delete, [&](VRT_CTX) {
    if (op.kind == sc::OpKind::object_new) {
      if (i >= lv->directors.size() || lv->directors[i]) return;  // made already in this load
      make(ctx, *lv, i);
      resolvers_.made(ctx, *lv, i);
      if (DynamicResolvers::follows(m.directors[i])) resolvers_.start(*lv, i);
    } else if (op.kind == sc::OpKind::backend_new) {
      make_backend(ctx, *lv, i);
    } else {
      VCL_BACKEND be = nullptr;
      {
        std::unique_lock<sim::Mutex> lk = turn();
        if (i < lv->backends.size()) std::swap(be, lv->backends[i]);
      }
      if (be) VRT_delete_backend(ctx, &be);
    }
  });
  if (!ran) counts_["object_op_vcl_not_warm"]++;
}

}  // namespace vdisim::runner
