// VCL lifecycle: load, use, temperatures and their events (C1..C6), discard and reaping
// (C5), vclrefs. All of it runs on the actor that issued the CLI command.
#include <fmt/format.h>

#include <algorithm>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "vcl.h"

namespace vdisim::vrt {

const char *to_string(Temp t) {
  switch (t) {
    case Temp::Init: return "init";
    case Temp::Cold: return "cold";
    case Temp::Warm: return "warm";
    case Temp::Busy: return "busy";
    case Temp::Cooling: return "cooling";
  }
  return "?";
}

struct vcl *Runtime::find_vcl(const std::string &name) const {
  for (auto &v : vcls_)
    if (v->name == name && !v->gone) return v.get();
  return nullptr;
}

std::vector<struct vcl *> Runtime::vcls() const {
  std::vector<struct vcl *> out;
  for (auto &v : vcls_) out.push_back(v.get());
  return out;
}

static void set_temp(Runtime &rt, struct vcl *v, Temp t) {
  if (v->temp == t) return;
  // C3/A10: a VCL with tasks in it stays warm (BUSY) until they leave.
  if (v->busy > 0 && (t == Temp::Cold || t == Temp::Cooling))
    rt.violation("C3", fmt::format("VCL '{}' goes {} with {} task(s) in it", v->name, to_string(t), v->busy));
  rt.tracef("vcl", FMT_COMPILE("{} {} -> {}"), v->name, to_string(v->temp), to_string(t));
  v->temp = t;
}

std::vector<enum vcl_event_e> Runtime::vmod_events_of(const std::string &name) const {
  auto it = vmod_events_sent_.find(name);
  return it == vmod_events_sent_.end() ? std::vector<enum vcl_event_e>{} : it->second;
}

void Runtime::vmod_events(struct vcl *v, enum vcl_event_e ev, bool reverse) {
  vmod_events_sent_[v->name].push_back(ev);
  Task task(*this, v, 0);
  auto call = [&](VmodHook &h) {
    if (!h.event) return;
    static const char *names[] = {"LOAD", "WARM", "COLD", "DISCARD", "SICK"};
    static const char *ops[] = {"vmod LOAD", "vmod WARM", "vmod COLD", "vmod DISCARD", "vmod SICK"};
    tracef("vmod", FMT_COMPILE("{} {} {}"), v->name, h.name, names[ev]);
    sched({v, true, ops[ev]});  // the VCL's temperature as its vmods hear it
    if (h.event(task.ctx(), ev) != 0 && (ev == VCL_EVENT_COLD || ev == VCL_EVENT_DISCARD))
      violation("C3", fmt::format("vmod {} failed {} on VCL '{}' (may not fail)", h.name, names[ev], v->name));
  };
  if (reverse) {
    for (auto it = v->vmods.rbegin(); it != v->vmods.rend(); ++it) call(*it);
  } else {
    for (auto &h : v->vmods) call(h);
  }
  task.finish();
}

void Runtime::transaction_begin(struct vcl *v) { v->transactions++; }

void Runtime::transaction_end(struct vcl *v) {
  // A7: the last one out unlinks and retires the queued directors at the current temp.
  vcl_mtx_.lock();
  if (--v->transactions > 0 || v->resigning.empty()) {
    vcl_mtx_.unlock();
    return;
  }
  std::vector<vcldir *> q;
  q.swap(v->resigning);
  for (vcldir *vd : q) {
    auto it = std::find(v->dirs.begin(), v->dirs.end(), vd);
    if (it != v->dirs.end()) v->dirs.erase(it);
    vd->linked = false;
  }
  Temp t = v->temp;
  vcl_mtx_.unlock();
  for (vcldir *vd : q) retire(vd, t);
}

struct vcl *Runtime::vcl_load(const std::string &name, std::vector<VmodHook> vmods,
                              const std::function<void(VRT_CTX)> &vcl_init, const std::string &state) {
  mark_cli_thread();  // varnishd runs these on its CLI thread (ASSERT_CLI() in vmods)
  poll();  // C5: before each CLI command
  if (find_vcl(name) || label_target(name))  // L1: labels share the VCL name space
    throw std::invalid_argument(fmt::format("vcl.load: VCL '{}' already exists", name));
  auto v = std::make_unique<struct vcl>();
  v->magic = VCL_MAGIC;
  v->name = name;
  v->temp = Temp::Init;
  v->state = state;
  v->seq = vcl_seq_++;
  v->vmods = std::move(vmods);
  struct vcl *raw = v.get();
  vcls_.push_back(std::move(v));
  tracef("vcl", FMT_COMPILE("{} load"), name);
  vmod_events(raw, VCL_EVENT_LOAD, false);  // C1
  {
    Task task(*this, raw, VCL_MET_INIT);
    if (vcl_init) vcl_init(task.ctx());
    task.finish();
    if (task.failed()) {
      // As varnishd cancels the load: the VCL gets DISCARD (its objects' __fini, the vmods'
      // DISCARD events), its directors are killed, and vcl.load fails ("Failed initialization").
      std::string why = task.fail_message();
      raw->discarded = true;
      do_discard(raw);
      throw std::invalid_argument(fmt::format("vcl_init of '{}' failed: {}", name, why));
    }
  }
  if (state == "cold") {
    set_cold(raw);  // INIT -> COLD: no COLD event, nothing stops what vcl_init started
    tracef("vcl", FMT_COMPILE("{} loaded cold"), name);
  } else {
    set_warm(raw);  // vcl.load with the default 'auto' state warms the new VCL
  }
  return raw;
}

void Runtime::vcl_use(const std::string &name) {
  mark_cli_thread();  // varnishd runs these on its CLI thread (ASSERT_CLI() in vmods)
  poll();
  if (label_target(name)) return use_label(name);
  struct vcl *v = find_vcl(name);
  if (!v || v->discarded) throw std::invalid_argument(fmt::format("vcl.use: no VCL named '{}'", name));
  // C2: the manager warms the VCL before it is used, a BUSY one included (BUSY -> WARM):
  // the child asserts that the VCL it makes active is WARM.
  set_warm(v);
  active_ = v;
  active_label_.clear();
  tracef("vcl", FMT_COMPILE("{} active"), name);
}

void Runtime::vcl_state(const std::string &name, const std::string &state) {
  mark_cli_thread();  // varnishd runs these on its CLI thread (ASSERT_CLI() in vmods)
  poll();
  if (label_target(name))  // L5
    throw std::invalid_argument(fmt::format("vcl.state: '{}' is a label (always warm)", name));
  struct vcl *v = find_vcl(name);
  if (!v) throw std::invalid_argument(fmt::format("vcl.state: no VCL named '{}'", name));
  bool want_warm;
  if (state == "warm") want_warm = true;
  else if (state == "cold") want_warm = false;
  else if (state == "auto") want_warm = (v == active_ || v->nlabels > 0);  // L4: a label keeps it warm
  else throw std::invalid_argument("vcl.state: state must be warm, cold or auto");
  if (state == "cold" && v->nlabels > 0)
    throw std::invalid_argument(fmt::format("vcl.state: '{}' is labelled and cannot be set cold", name));  // L4
  if (!want_warm && v == active_) throw std::invalid_argument(fmt::format("vcl.state: '{}' is the active VCL", name));
  if (want_warm) set_warm(v);
  else set_cold(v);
  v->state = state;
}

void Runtime::set_warm(struct vcl *v) {
  if (v->temp == Temp::Busy) {  // C2: BUSY -> WARM, no events
    set_temp(*this, v, Temp::Warm);
    return;
  }
  if (v->temp == Temp::Warm) return;
  if (v->temp == Temp::Cooling) {
    std::string why;
    for (auto *r : v->refs) why += " " + r->desc;
    throw std::invalid_argument(fmt::format("vcl.state: '{}' is cooling, still referenced by:{}", v->name, why));
  }
  // C2: set WARM under vcl_mtx with a checkpoint, then VMODs, then the directors
  // that existed at the checkpoint, newest first (later ones got WARM when added). A
  // director resigning meanwhile stays linked until the transaction ends (A6/A7), so it
  // hears WARM too, and COLD when it is retired at the end.
  vcl_mtx_.lock();
  set_temp(*this, v, Temp::Warm);
  std::vector<vcldir *> upto = v->dirs;
  transaction_begin(v);
  vcl_mtx_.unlock();
  vmod_events(v, VCL_EVENT_WARM, false);
  for (auto it = upto.rbegin(); it != upto.rend(); ++it)
    if (!(*it)->destroyed) send_event(*it, VCL_EVENT_WARM);
  transaction_end(v);
}

void Runtime::set_cold(struct vcl *v) {
  if (v->temp == Temp::Init) {
    set_temp(*this, v, v->refs.empty() ? Temp::Cold : Temp::Cooling);
    return;
  }
  if (v->temp == Temp::Cold || v->temp == Temp::Cooling) return;
  // C3: whether the VCL is idle is decided under vcl_mtx, where tasks enter (vcl_enter),
  // in the same section that changes the temperature.
  vcl_mtx_.lock();
  if (v->busy > 0) {  // stays BUSY until idle; poll() retries
    set_temp(*this, v, Temp::Busy);
    vcl_mtx_.unlock();
    return;
  }
  transaction_begin(v);
  bool discard_refs = std::any_of(v->refs.begin(), v->refs.end(), [](auto *r) { return r->discard; });
  set_temp(*this, v, discard_refs ? Temp::Cooling : Temp::Cold);
  std::vector<vcldir *> dirs = v->dirs;
  // Z4: before the vdire rework Varnish sent the directors' COLD with vcl_mtx held.
  bool locked_events = regressions().add_director_blocks_when_cooling;
  if (!locked_events) vcl_mtx_.unlock();
  if (regressions().vmod_cold_before_directors) vmod_events(v, VCL_EVENT_COLD, true);  // Z3
  // Every director linked at the start hears COLD, newest first, also one that resigned
  // during the transaction: it is retired at its end with the temperature cold (A6/A7).
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
    if (!(*it)->destroyed && (*it)->got_warm) send_event(*it, VCL_EVENT_COLD);
  if (locked_events) vcl_mtx_.unlock();
  transaction_end(v);
  if (!regressions().vmod_cold_before_directors) vmod_events(v, VCL_EVENT_COLD, true);
}

void Runtime::vcl_discard(const std::string &name) {
  mark_cli_thread();  // varnishd runs these on its CLI thread (ASSERT_CLI() in vmods)
  poll();
  if (label_target(name)) return discard_label(name);
  struct vcl *v = find_vcl(name);
  if (!v) throw std::invalid_argument(fmt::format("vcl.discard: no VCL named '{}'", name));
  if (v->nlabels > 0)  // L4: its labels go first
    throw std::invalid_argument(fmt::format("vcl.discard: '{}' is labelled ({} label(s))", name, v->nlabels));
  if (v == active_) throw std::invalid_argument(fmt::format("vcl.discard: '{}' is the active VCL", name));
  v->discarded = true;
  tracef("vcl", FMT_COMPILE("{} discard requested"), name);
  set_cold(v);  // the manager cools a VCL before discarding it
  poll();
}

bool Runtime::vcl_enter(struct vcl *v) {
  // A10: a task takes its VCL busy reference under vcl_mtx, so it either sees the VCL
  // warm before a cold transition decides it is idle, or sees the new temperature.
  if (!v) return false;
  vcl_mtx_.lock();
  bool warm = is_warm(v->temp);
  if (warm) v->busy++;
  vcl_mtx_.unlock();
  return warm;
}

void Runtime::vcl_leave(struct vcl *v) {
  // No scheduling point: also called while a cancelled task unwinds. Dropping the count
  // is one step, so no cold transition can see it half done.
  if (v->busy <= 0) violation("C6", fmt::format("VCL '{}' busy count below zero", v->name));
  v->busy--;
}

void Runtime::poll() {
  mark_cli_thread();  // varnishd runs these on its CLI thread (ASSERT_CLI() in vmods)
  for (auto &vp : vcls_) {
    struct vcl *v = vp.get();
    if (v->gone) continue;
    // C5: retry the cold transition of a BUSY VCL (set_cold finds it idle or not).
    if (v->temp == Temp::Busy && (v->discarded || v != active_)) set_cold(v);
    // C6: COOLING ends when the last vclref is gone and no task holds the VCL.
    if (v->temp == Temp::Cooling && v->busy == 0 &&
        std::none_of(v->refs.begin(), v->refs.end(), [](auto *r) { return r->discard; }))
      set_temp(*this, v, Temp::Cold);
    if (v->discarded && v->temp == Temp::Cold && v->busy == 0 && v->refs.empty()) do_discard(v);
  }
}

void Runtime::do_discard(struct vcl *v) {
  // C5: fini in reverse init order, VMOD DISCARD, then DISCARD to every remaining director.
  tracef("vcl", FMT_COMPILE("{} discarding"), v->name);
  {
    Task task(*this, v, VCL_MET_FINI);
    for (auto it = v->fini.rbegin(); it != v->fini.rend(); ++it) (*it)(task.ctx());
    task.finish();
  }
  vmod_events(v, VCL_EVENT_DISCARD, true);
  transaction_begin(v);
  transaction_end(v);  // flush directors still resigning
  std::vector<vcldir *> rest = v->dirs;
  for (vcldir *vd : rest)
    if (!vd->destroyed) send_event(vd, VCL_EVENT_DISCARD);
  if (!v->dirs.empty()) {
    std::string left;
    for (vcldir *vd : v->dirs) left += fmt::format(" {} (refcnt {})", vd->cli_name, vd->refcnt);
    violation("C5", fmt::format("directors left after discarding VCL '{}':{}", v->name, left));
  }
  v->gone = true;
  v->magic = 0;
  tracef("vcl", FMT_COMPILE("{} discarded"), v->name);
}

void Runtime::check_end() {
  if (sim_.failed()) return;
  for (auto &v : vcls_) {
    if (v->busy > 0)
      sim_.record_failure("C6", fmt::format("VCL '{}' still busy ({}) at the end of the run", v->name, v->busy));
  }
}

}  // namespace vdisim::vrt

extern "C" {

struct vclref *VRT_VCL_Prevent_Cold(VRT_CTX, const char *desc) {
  auto &rt = vdisim::vrt::Runtime::get();
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  struct vcl *v = ctx->vcl;
  CHECK_OBJ_NOTNULL(v, VCL_MAGIC);
  if (!vdisim::vrt::is_warm(v->temp) || v->busy <= 0)
    rt.violation("C6", fmt::format("VRT_VCL_Prevent_Cold on '{}' outside a task of a warm VCL", v->name));
  auto *r = new vclref;
  r->magic = VCLREF_MAGIC;
  r->vcl = v;
  r->desc = desc ? desc : "";
  v->busy++;
  return r;
}

void VRT_VCL_Allow_Cold(struct vclref **refp) {
  auto &rt = vdisim::vrt::Runtime::get();
  AN(refp);
  struct vclref *r = *refp;
  *refp = nullptr;
  CHECK_OBJ_NOTNULL(r, VCLREF_MAGIC);
  rt.vcl_leave(r->vcl);
  r->magic = 0;
  delete r;
}

struct vclref *VRT_VCL_Prevent_Discard(VRT_CTX, const char *desc) {
  auto &rt = vdisim::vrt::Runtime::get();
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  struct vcl *v = ctx->vcl;
  CHECK_OBJ_NOTNULL(v, VCL_MAGIC);
  if (desc == nullptr || *desc == '\0') rt.violation("C6", "VRT_VCL_Prevent_Discard needs a description");
  if (!vdisim::vrt::is_warm(v->temp))
    rt.violation("C6", fmt::format("VRT_VCL_Prevent_Discard on '{}' which is {}", v->name, vdisim::vrt::to_string(v->temp)));
  auto *r = new vclref;
  r->magic = VCLREF_MAGIC;
  r->vcl = v;
  r->desc = desc;
  r->discard = true;
  v->refs.push_back(r);
  rt.tracef("vcl", FMT_COMPILE("{} vclref '{}'"), v->name, r->desc);
  return r;
}

void VRT_VCL_Allow_Discard(struct vclref **refp) {
  auto &rt = vdisim::vrt::Runtime::get();
  AN(refp);
  struct vclref *r = *refp;
  *refp = nullptr;
  CHECK_OBJ_NOTNULL(r, VCLREF_MAGIC);
  struct vcl *v = r->vcl;
  auto it = std::find(v->refs.begin(), v->refs.end(), r);
  if (it == v->refs.end()) rt.violation("C6", "VRT_VCL_Allow_Discard of an unknown vclref");
  v->refs.erase(it);
  rt.tracef("vcl", FMT_COMPILE("{} vclref '{}' released"), v->name, r->desc);
  r->magic = 0;
  delete r;
}

}  // extern "C"
