// Small pieces of the lifecycle executor: outcome text, regression switches by name, the
// request's task-long director hold, the probe the tests use, resolver answer strings.
#include "property_tests/executor_support.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

namespace prop {

namespace vv = vdisim::vrt;

std::string Outcome::summary() const {
  if (ok) return "ok";
  return fmt::format("{} at t={:.3f}s in {}: {}", rule, static_cast<double>(time_ns) * 1e-9, actor, message);
}

std::int64_t pct_steps_default() {
  const char *e = std::getenv("VDISIM_PCT_STEPS");
  return e ? std::atoll(e) : 300;
}

vv::Regressions regressions_from(const std::vector<std::string> &names) {
  vv::Regressions r;
  for (const auto &n : names)
    if (!r.set(n)) throw std::invalid_argument("unknown regression switch " + n);
  return r;
}

namespace {

void hold_fini(VRT_CTX, void *p) {
  (void)ctx;
  auto *h = static_cast<Hold *>(p);
  VRT_Assign_Backend(&h->be, nullptr);
  delete h;
}
const struct vmod_priv_methods kHoldMethods = {VMOD_PRIV_METHODS_MAGIC, "property test hold", hold_fini};
const char kHoldKey = 0;

}  // namespace

Hold *hold(VRT_CTX, VCL_BACKEND d) {
  struct vmod_priv *p = VRT_priv_task(ctx, &kHoldKey);
  if (p->priv == nullptr) {
    p->priv = new Hold;
    p->methods = &kHoldMethods;
  }
  auto *h = static_cast<Hold *>(p->priv);
  VRT_Assign_Backend(&h->be, d);
  return h;
}

vdisim::scenario::ProbeSpec probe_spec() {
  vdisim::scenario::ProbeSpec p;
  p.interval_ns = 200'000'000;
  p.timeout_ns = 20'000'000;
  p.window = 1;
  p.threshold = 1;
  p.initial = 1;
  return p;
}

std::string answers(int mask) {
  std::string s;
  for (int h = 0; h < kHosts; h++)
    if ((mask >> h) & 1) s += (s.empty() ? "" : ",") + host_name(h);
  return s;
}

}  // namespace prop
