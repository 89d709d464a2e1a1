// The teardown and the STUCK check (see teardown.hpp).
#include "sim/runner/teardown.hpp"

#include <fmt/format.h>

#include <mutex>
#include <vector>

#include "vcl.h"

namespace vdisim::runner {

namespace {
constexpr const char *kTeardownVcl = "vdisim_teardown";
}  // namespace

std::string TimelineProgress::text(const scenario::Scenario &sc, bool cli) const {
  std::string what = cli ? " the CLI thread (the timeline or the teardown);" : "";
  for (const auto &op : sc.timeline)
    if (unfinished.count(&op)) what += fmt::format(" '{}{}';", op.actor.empty() ? "" : op.actor + ": ", op.text);
  return what;
}

void teardown(sim::Sim &sim, vrt::Runtime &rt, const scenario::Scenario &sc, sim::Mutex &cli_mtx,
              const int &in_flight, const TimelineProgress &progress) {
  const std::int64_t limit = sim.options().end_ns - 1'000'000'000;
  sim.sleep_until(sc.run.duration_ns);
  rt.trace("cli", "teardown");
  while (in_flight > 0 && sim.now_ns() < limit) sim.sleep_for(10'000'000);
  std::vector<std::string> held;
  auto remaining = [&] {
    held.clear();
    for (struct vcl *v : rt.vcls())
      if (!v->gone && v->name != kTeardownVcl) held.push_back(v->name);
    return !held.empty();
  };
  {
    std::lock_guard<sim::Mutex> cli_thread(cli_mtx);
    rt.vcl_load(kTeardownVcl, {}, nullptr);
    rt.vcl_use(kTeardownVcl);
    remaining();
    for (const auto &label : rt.labels()) rt.vcl_discard(label);  // L4: labels before their VCLs
    for (const auto &name : held)
      if (!rt.find_vcl(name)->discarded) rt.vcl_discard(name);
  }
  while (remaining() && sim.now_ns() < limit) {
    sim.sleep_for(100'000'000);
    std::lock_guard<sim::Mutex> cli_thread(cli_mtx);
    rt.poll();
  }
  if (remaining()) {
    std::string what;
    for (const auto &name : held) {
      struct vcl *v = rt.find_vcl(name);
      what += fmt::format(" '{}' ({}, busy {}", name, vrt::to_string(v->temp), v->busy);
      for (const auto *r : v->refs) what += fmt::format(", vclref \"{}\"", r->desc);
      what += ")";
    }
    const double after = static_cast<double>(sim.now_ns() - sc.run.duration_ns) * 1e-9;
    if (std::string stuck = progress.text(sc, false); !stuck.empty())  // what holds them: the cause
      sim.record_failure("STUCK", fmt::format("timeline work never finished ({:.0f} s after the run):{} and VCLs "
                                              "are still held:{}", after, stuck, what));
    else
      sim.record_failure("C6", fmt::format("teardown: VCLs still held {:.0f} s after the run:{}", after, what));
    return;
  }
  std::string live;
  for (const auto &vd : rt.quarantine())
    if (!vd->destroyed) live += fmt::format(" {} (refcnt {})", vd->cli_name, vd->refcnt);
  if (!live.empty()) sim.record_failure("C5", "teardown: directors outlived every VCL:" + live);
}

void check_finished(sim::Sim &sim, const scenario::Scenario &sc, const TimelineProgress &progress) {
  if (!sc.run.teardown || sim.failed()) return;
  if (std::string what = progress.text(sc, !progress.cli_done); !what.empty())
    sim.record_failure("STUCK", fmt::format("the run ended at t={:.3f}s with work that never finished (a wait that "
                                            "timers kept from being a deadlock):{}",
                                            sim.now_s(), what));
}

}  // namespace vdisim::runner
