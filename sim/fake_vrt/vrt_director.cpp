// The director half of VRT: VRT_AddDirector, VRT_Assign_Backend, VRT_DelDirector and
// friends, with Varnish's reference counting (A1..A10, B1..B3, D1..D7) and the checkers
// that report a violated rule with its id instead of corrupting memory.
#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdarg>
#include <cstring>

#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "vcl.h"

using vdisim::vrt::Runtime;
using vdisim::vrt::Temp;

namespace {

// Lck on the director's dlck, as a scope.
struct DirLock {
  struct lock *l;
  explicit DirLock(vcldir *vd) : l(&vd->dlck) { Lck__Lock(l, "vcldir", __LINE__); }
  ~DirLock() {
    if (std::uncaught_exceptions() == 0) Lck__Unlock(l, "vcldir", __LINE__);
  }
};

}  // namespace

namespace vdisim::vrt {

// A refcount change, "NAME +1 -> N".
void Runtime::trace_ref(std::string_view name, std::string_view change, int now) {
  tracef("ref", FMT_COMPILE("{} {} -> {}"), name, change, now);
}

vcldir *Runtime::checked(VCL_BACKEND d, const char *where) {
  if (d == nullptr) violation("API", fmt::format("{}: NULL director", where));
  const bool known = known_.count(d) != 0;
  if (!known && junk_pointer(d))
    violation("API", fmt::format("{}: {} is not a director but uninitialized memory: a pointer read from a block "
                                 "malloc/realloc gave out and nothing wrote (vdisim fills such blocks with 0x{:x})",
                                 where, static_cast<const void *>(d), kJunkByte));
  if (!known) violation("API", fmt::format("{}: {} is not a director made by VRT_AddDirector", where, static_cast<const void *>(d)));
  vcldir *vd = d->vdir;
  if (vd->destroyed || d->magic != DIRECTOR_MAGIC)
    violation("A8", fmt::format("{}: director '{}' used after its destroy (refcount reached 0)", where, vd->cli_name));
  return vd;
}

void Runtime::ref(vcldir *vd) {
  if (vd->flags & VDIR_FLG_NOREFCNT) return;
  // B2 binds a release callback: a director without one keeps references until destroy.
  if (vcldir *by = acting(); by && by->released && by->methods->release && by != vd)
    violation("B2", fmt::format("director '{}' took a reference to '{}' after its release returned", by->cli_name, vd->cli_name));
  if (vd->vcl->temp == Temp::Cold && !vd->vcl->discarded)
    violation("A10", fmt::format("reference taken to '{}' while its VCL '{}' is cold", vd->cli_name, vd->vcl->name));
  DirLock lk(vd);
  if (vd->refcnt <= 0)
    violation("A5", fmt::format("reference taken to '{}' whose refcount is {} (revival from 0)", vd->cli_name, vd->refcnt));
  vd->refcnt++;
  counters_.refs++;
  trace_ref(vd->cli_name, "+1", vd->refcnt);
}

void Runtime::deref(vcldir *vd) {
  if (vd->flags & VDIR_FLG_NOREFCNT) return;
  int left;
  {
    DirLock lk(vd);
    if (vd->refcnt <= 0)
      violation("A6", fmt::format("reference dropped on '{}' whose refcount is already {}", vd->cli_name, vd->refcnt));
    left = --vd->refcnt;
    counters_.unrefs++;
    trace_ref(vd->cli_name, "-1", left);
  }
  if (left > 0) return;
  // A6: resign under vcl_mtx; queue while a transaction is open, else retire here.
  struct vcl *v = vd->vcl;
  vcl_mtx_.lock();
  if (v->transactions > 0) {
    vd->resigning = true;
    v->resigning.push_back(vd);
    vcl_mtx_.unlock();
    tracef("dir", FMT_COMPILE("{} resigning (transaction open)"), vd->cli_name);
    return;
  }
  auto it = std::find(v->dirs.begin(), v->dirs.end(), vd);
  if (it != v->dirs.end()) v->dirs.erase(it);
  vd->linked = false;
  Temp t = v->temp;
  vcl_mtx_.unlock();
  retire(vd, t);
}

void Runtime::retire(vcldir *vd, Temp temp) {
  // A8: COLD iff the VCL was warm, then destroy, then free (quarantined, poisoned).
  if (vd->destroyed) violation("A8", fmt::format("director '{}' retired twice", vd->cli_name));
  if (is_warm(temp) && vd->got_warm) send_event(vd, VCL_EVENT_COLD);
  if (vd->methods->release && !vd->released && !(vd->flags & VDIR_FLG_NOREFCNT))
    violation("B1", fmt::format("director '{}' destroyed before its release was called", vd->cli_name));
  if (vd->methods->destroy) {
    tracef("dir", FMT_COMPILE("{} destroy"), vd->cli_name);
    sched({vd->dir, true, "destroy"});
    Acting a(*this, vd);
    vd->methods->destroy(vd->dir);
    sched();
  }
  vd->destroyed = true;
  vd->dir->magic = 0;
  vd->dir->priv = nullptr;
  counters_.directors_destroyed++;
  tracef("dir", FMT_COMPILE("{} retired"), vd->cli_name);
}

void Runtime::send_event(vcldir *vd, enum vcl_event_e ev) {
  if (ev == VCL_EVENT_WARM) {
    if (vd->got_warm) violation("C4", fmt::format("director '{}' got WARM twice without COLD", vd->cli_name));
    vd->got_warm = true;
  } else if (ev == VCL_EVENT_COLD) {
    if (!vd->got_warm) violation("C4", fmt::format("director '{}' got COLD without WARM", vd->cli_name));
    vd->got_warm = false;
  }
  static const char *names[] = {"LOAD", "WARM", "COLD", "DISCARD", "SICK"};
  tracef("event", FMT_COMPILE("{} {}"), vd->cli_name, names[ev]);
  if (!vd->methods->event) return;
  sched({vd->dir, true, names[ev]});  // a backend's WARM starts its probe, COLD stops it
  Acting a(*this, vd);
  vd->methods->event(vd->dir, ev);
  sched();
}

}  // namespace vdisim::vrt

extern "C" {

VCL_BACKEND VRT_AddDirector(VRT_CTX, const struct vdi_methods *m, void *priv, const char *fmt, ...) {
  Runtime &rt = Runtime::get();
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  CHECK_OBJ_NOTNULL(m, VDI_METHODS_MAGIC);
  AN(fmt);
  struct vcl *v = ctx->vcl;
  CHECK_OBJ_NOTNULL(v, VCL_MAGIC);
  va_list ap;
  va_start(ap, fmt);
  std::string name = vdisim::vrt::vformat(fmt, ap);
  va_end(ap);
  rt.sched({v, true, "add_director"});  // the VCL's directors
  // A3: a cooling VCL says no at once; on a warm one poll the lock so cooling can
  // still say no (f3575e382). Z4 restores the plain wait on the lock.
  if (rt.regressions().add_director_blocks_when_cooling) {
    rt.vcl_mtx().lock();
  } else if (is_warm(v->temp) || v->temp == Temp::Cooling) {
    while (v->temp == Temp::Cooling || !rt.vcl_mtx().try_lock()) {
      if (v->temp == Temp::Cooling) {
        rt.tracef("dir", FMT_COMPILE("{}.{} not added: VCL cooling"), v->name, name);
        return nullptr;
      }
      // Counted as waiting for vcl_mtx's holder: only the CLI thread holds vcl_mtx while it
      // waits for something else, and only it could cool this VCL and end the loop, so a
      // wait-for cycle through this poll never ends (a DEADLOCK, not a slow start).
      rt.sim().sleep_polling(rt.vcl_mtx(), 10'000'000);
    }
  } else {
    rt.vcl_mtx().lock();
  }
  // A2: temperature gate under vcl_mtx.
  if (v->temp == Temp::Cooling) {
    rt.vcl_mtx().unlock();
    rt.tracef("dir", FMT_COMPILE("{}.{} not added: VCL cooling"), v->name, name);
    return nullptr;
  }
  if (v->temp == Temp::Cold) {
    rt.vcl_mtx().unlock();
    rt.violation("A2", fmt::format("Dynamic Backends can only be added to warm VCLs ('{}.{}', VCL cold)", v->name, name));
  }
  auto vd = std::make_unique<vcldir>();
  vd->magic = VCLDIR_MAGIC;
  vd->id = rt.next_dir_id();
  vd->refcnt = 1;
  vd->vcl = v;
  vd->methods = m;
  vd->cli_name = v->name + "." + name;
  vd->health_changed = VTIM_real();
  Lck_New(&vd->dlck, lck_director);
  auto *d = static_cast<struct director *>(std::calloc(1, sizeof(struct director)));
  d->magic = DIRECTOR_MAGIC;
  d->priv = priv;
  d->vdir = vd.get();
  d->mtx = &vd->dlck;
  d->vcl_name = vd->cli_name.data() + v->name.size() + 1;
  vd->dir = d;
  vd->linked = true;
  v->dirs.push_back(vd.get());
  rt.known_directors().insert(d);
  vcldir *raw = vd.get();
  rt.quarantine().push_back(std::move(vd));
  rt.counters().directors_added++;
  rt.tracef("dir", FMT_COMPILE("{} added ({}), refcnt 1"), raw->cli_name, m->type ? m->type : "?");
  if (is_warm(v->temp)) rt.send_event(raw, VCL_EVENT_WARM);
  rt.vcl_mtx().unlock();
  return d;
}

void VRT_StaticDirector(VCL_BACKEND d) {
  Runtime &rt = Runtime::get();
  vcldir *vd = rt.checked(d, "VRT_StaticDirector");
  if (vd->refcnt != 1 || (vd->flags & VDIR_FLG_NOREFCNT))
    rt.violation("A4", fmt::format("VRT_StaticDirector on '{}' with refcnt {}", vd->cli_name, vd->refcnt));
  vd->flags |= VDIR_FLG_NOREFCNT;
}

void VRT_Assign_Backend(VCL_BACKEND *dst, VCL_BACKEND src) {
  Runtime &rt = Runtime::get();
  AN(dst);
  rt.sched({src ? src : *dst, true, "assign"});  // a reference count
  VCL_BACKEND old = *dst;
  if (rt.regressions().assign_deref_first) {
    // Z1: the pre-b825f55f3 order: drop the old first, no self-assignment short cut.
    if (old) rt.deref(rt.checked(old, "VRT_Assign_Backend(old)"));
    if (src) rt.ref(rt.checked(src, "VRT_Assign_Backend(new)"));
    *dst = src;
    rt.sched();
    return;
  }
  if (old == src) return;  // A5
  if (src) rt.ref(rt.checked(src, "VRT_Assign_Backend(new)"));
  *dst = src;
  if (old) rt.deref(rt.checked(old, "VRT_Assign_Backend(old)"));
  rt.sched();
}

void VRT_DelDirector(VCL_BACKEND *dp) {
  Runtime &rt = Runtime::get();
  AN(dp);
  VCL_BACKEND d = *dp;
  vcldir *vd = rt.checked(d, "VRT_DelDirector");
  *dp = nullptr;
  rt.tracef("dir", FMT_COMPILE("{} delete (refcnt {})"), vd->cli_name, vd->refcnt);
  if (rt.regressions().delete_asserts_sole_ref && vd->refcnt != 1)
    rt.violation("B1", fmt::format("VRT_DelDirector('{}') with refcnt {} != 1 (pre-7.3 assertion, #3895)", vd->cli_name, vd->refcnt));
  if (vd->released) rt.violation("B1", fmt::format("VRT_DelDirector('{}') called twice", vd->cli_name));
  if (vd->methods->release) {
    rt.sched({d, true, "release"});
    vd->release_running = true;
    {
      Runtime::Acting a(rt, vd);
      vd->methods->release(d);
    }
    vd->release_running = false;
    rt.sched();
  }
  vd->released = true;
  if (vd->flags & VDIR_FLG_NOREFCNT) {
    vd->flags &= ~VDIR_FLG_NOREFCNT;
    if (vd->refcnt != 1)
      rt.violation("B1", fmt::format("static director '{}' deleted with refcnt {}", vd->cli_name, vd->refcnt));
  }
  rt.deref(vd);
}

void VRT_DisableDirector(VCL_BACKEND d) {
  Runtime &rt = Runtime::get();
  vcldir *vd = rt.checked(d, "VRT_DisableDirector");
  vd->admin_health = 0;
  vd->deleted = true;
  vd->health_changed = VTIM_real();
}

VCL_BACKEND VRT_LookupDirector(VRT_CTX, VCL_STRING name) {
  Runtime &rt = Runtime::get();
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  AN(name);
  if (ctx->method != 0 && !(ctx->method & (VCL_MET_INIT | VCL_MET_FINI)))
    rt.violation("D7", "VRT_LookupDirector outside vcl_init/vcl_fini");
  struct vcl *v = ctx->vcl;
  CHECK_OBJ_NOTNULL(v, VCL_MAGIC);
  for (vcldir *vd : v->dirs)
    if (std::strcmp(vd->dir->vcl_name, name) == 0) return vd->dir;
  return nullptr;
}

VCL_BOOL VRT_Healthy(VRT_CTX, VCL_BACKEND d, VCL_TIME *changed) {
  Runtime &rt = Runtime::get();
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  if (d == nullptr) return 0;
  vcldir *vd = rt.checked(d, "VRT_Healthy");
  if (vd->admin_health >= 0 || vd->methods->healthy == nullptr) {
    if (changed) *changed = vd->health_changed;
    return vd->admin_health >= 0 ? static_cast<VCL_BOOL>(vd->admin_health) : 1;
  }
  rt.sched({d, false, "healthy"});
  Runtime::Acting a(rt, vd);
  VCL_BOOL r = vd->methods->healthy(ctx, d, changed);
  rt.sched();
  return r;
}

VCL_VOID VRT_SetChanged(VCL_BACKEND d, VCL_TIME t) {
  if (d == nullptr) return;
  vcldir *vd = Runtime::get().checked(d, "VRT_SetChanged");
  if (t > vd->health_changed) vd->health_changed = t;
}

VCL_BACKEND VRT_DirectorResolve(VRT_CTX, VCL_BACKEND d) { return vdisim::vrt::resolve_director(ctx, d, nullptr); }

VCL_STRING VRT_BACKEND_string(VCL_BACKEND d) {
  if (d == nullptr) return nullptr;
  return Runtime::get().checked(d, "VRT_BACKEND_string")->dir->vcl_name;
}

}  // extern "C"

namespace vdisim::vrt {

VCL_BACKEND resolve_director(VRT_CTX, VCL_BACKEND d, std::vector<std::string> *chain) {
  Runtime &rt = Runtime::get();
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  for (int hops = 0; d != nullptr; hops++) {
    vcldir *vd = rt.checked(d, "VRT_DirectorResolve");
    if (chain) {
      if (chain->empty()) chain->reserve(4);  // one allocation for a tree of up to four levels
      chain->push_back(vd->cli_name);
    }
    if (vd->methods->resolve == nullptr) return d;
    if (hops > 64) rt.violation("D1", fmt::format("resolution did not reach a leaf after 64 hops (loop through '{}')", vd->cli_name));
    rt.sched({d, false, "resolve"});
    Runtime::Acting a(rt, vd);
    d = vd->methods->resolve(ctx, d);
    rt.sched();
  }
  return nullptr;
}

}  // namespace vdisim::vrt
