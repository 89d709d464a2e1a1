// check_model (see model_check.hpp).
#include "property_tests/model_check.hpp"

#include <fmt/format.h>

#include <optional>

#include "sim/fake_vrt/request.hpp"
#include "vcl.h"

namespace prop {

namespace vv = vdisim::vrt;

namespace {

// VRT_Healthy of every object the model can predict it for (warm, not in a loop).
std::string check_health(const Model &m, const RuntimeFacts &f) {
  for (const auto &[id, o] : m.objs()) {
    if (o.destroyed || m.vcl(o.inst).state != VclState::Warm || m.cyclic(id)) continue;
    auto without_callback = [&f](int oid) {
      const vcldir *vd = f.dir(oid);
      return vd && vd->methods && vd->methods->healthy == nullptr;
    };
    std::optional<bool> want = m.healthy(id, without_callback);
    if (!want) continue;
    vcldir *vd = f.dir(id);
    vv::Task t(f.rt, f.vcl(o.inst), 0);
    bool got = VRT_Healthy(t.ctx(), vd->dir, nullptr) != 0;
    t.finish();
    if (got != *want) return fmt::format("VRT_Healthy('{}') = {}, expected {} (D3/F2/E2)", vd->cli_name, got, *want);
  }
  return "";
}

}  // namespace

std::string check_model(const Model &m, const RuntimeFacts &f, int phase) {
  auto after = [&](const std::string &what) { return fmt::format("after phase {}: {}", phase, what); };
  for (const MVcl &mv : m.vcls()) {
    const struct vcl *v = f.vcl(mv.inst);
    const char *want = mv.state == VclState::Gone ? "gone" : mv.state == VclState::Warm ? "warm" : "cold";
    bool ok = mv.state == VclState::Gone ? v->gone
              : mv.state == VclState::Warm ? !v->gone && v->temp == vv::Temp::Warm
                                           : !v->gone && v->temp == vv::Temp::Cold;
    if (!ok)
      return after(fmt::format("VCL {} (instance {}) is {}{}, expected {} (C2/C3/C5)", v->name, mv.inst,
                               v->gone ? "gone, " : "", vv::to_string(v->temp), want));
    if (mv.state != VclState::Gone && !m.uncertain_vcl(mv.inst) && static_cast<int>(v->dirs.size()) != m.linked(mv.inst))
      return after(fmt::format("VCL {} lists {} directors, expected {}", v->name, v->dirs.size(), m.linked(mv.inst)));
  }
  for (const auto &[id, o] : m.objs()) {
    const vcldir *vd = f.dir(id);
    if (!vd) return after(fmt::format("object #{} ({}) has no director in the runtime", id, o.name));
    const std::string &name = vd->cli_name;
    if (o.destroyed != vd->destroyed)
      return after(fmt::format("'{}' (#{}) is {}, expected {} (A6/A8)", name, id, vd->destroyed ? "destroyed" : "alive",
                               o.destroyed ? "destroyed" : "alive"));
    if (o.destroyed) continue;
    if (vd->refcnt != m.refcnt(id))
      return after(fmt::format("'{}' (#{}) has refcnt {}, expected {} (A5/A6/B1)", name, id, vd->refcnt, m.refcnt(id)));
    if (vd->admin_health != o.admin)
      return after(fmt::format("'{}' (#{}) has admin health {}, expected {} (D5/B3)", name, id, vd->admin_health, o.admin));
  }
  if (!m.any_uncertain()) {
    const auto &c = f.rt.counters();
    auto live = static_cast<std::int64_t>(c.directors_added - c.directors_destroyed);
    if (live != m.live_total()) return after(fmt::format("{} directors alive, expected {}", live, m.live_total()));
  }
  return check_health(m, f);
}

}  // namespace prop
