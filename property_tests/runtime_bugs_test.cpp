// Runtime bugs the property tests found in sim/fake_vrt (see docs/property-tests.md,
// "Runtime bugs found"). The suites keep these interleavings out of cases (Quirk bits,
// ProbeGuard::Wait) or recognise them (Outcome::known_bug); each test here lets one back
// in and shows the property still finds it. A test that no longer finds its bug skips:
// the runtime was fixed, so remove the workaround it names and this test.
#include <gtest/gtest.h>

#include <iostream>

#include "property_tests/suites.hpp"
#include "property_tests/types.hpp"
#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/runner/director_table.hpp"

using namespace prop;

namespace {

// Runs p (failures that are known runtime bugs count as failures here) and expects rule.
void expect_finds(LifecycleProperty p, int cases, const std::string &rule, const std::string &workaround) {
  p.passes = [](const Outcome &o) { return o.ok; };
  Found f = check_lifecycle(p, budget(cases));
  std::cout << f.report << std::endl;
  if (!f.failed) GTEST_SKIP() << "not found within " << cases << " cases: fixed? then drop " << workaround;
  EXPECT_EQ(f.outcome.rule, rule) << f.report;
  std::cout << "minimal case, exact form (parse_case):\n" << serialize(f.minimal) << std::endl;
}

}  // namespace

// backend.cpp probe_loop reads its NativeBackend after be_destroy deleted it, when the
// backend is destroyed while the probe actor sleeps (E5: "cooling -> the task frees").
TEST(RuntimeBug, E5_probe_task_reads_destroyed_backend) {
  LifecycleProperty p = lifecycle("rtbug-probe", real_types());
  p.exec.probe_guard = ProbeGuard::Fail;
  expect_finds(p, 2000, "E5", "ProbeGuard::Wait in the executor");
}

// vrt_director.cpp Runtime::set_health iterates all_dirs_ across VDI_EVENT_SICK
// (a scheduling point); a concurrent VRT_AddDirector push_back reallocates it (A7).
TEST(RuntimeBug, A7_set_health_iteration_invalidated_by_add_director) {
  LifecycleProperty p = lifecycle("rtbug-set-health", real_types());
  p.gen.quirks = kSetHealthRacesAdd;
  p.gen.weights = {{OpKind::SetHealth, 8}, {OpKind::BeNew, 6}, {OpKind::DirNew, 6}};
  expect_finds(p, 4000, "A7", "Quirk kSetHealthRacesAdd (the 'adddir' footprint)");
}

// vcl_temp.cpp Runtime::vcl_use only warms a VCL that is not warm: a BUSY one (cold
// requested, requests in flight) stays BUSY and later goes cold on its own (C2).
TEST(RuntimeBug, C2_vcl_use_leaves_a_busy_vcl_busy) {
  LifecycleProperty p = lifecycle("rtbug-use-busy", real_types());
  p.gen.quirks = kUseAfterCold;
  p.gen.weights = {{OpKind::VclCold, 6}, {OpKind::VclUse, 6}, {OpKind::VclLoad, 4}, {OpKind::Request, 10}};
  expect_finds(p, 4000, "MODEL", "Quirk kUseAfterCold");
}

// vcl_temp.cpp set_cold/set_warm skip directors that resigned during the transaction
// (still linked, A6/A7): they never get COLD, and a probed backend is destroyed with its
// probe running (E5, be_destroy).
TEST(RuntimeBug, A7_E5_resigning_director_misses_cold) {
  LifecycleProperty p = dynamic_profile("rtbug-resigning", "dynamic");
  expect_finds(p, 6000, "E5", "the RT-resigning-skips-cold classification");
}

// vcl_temp.cpp set_cold reads busy, then yields on vcl_mtx before it sets the
// temperature; vcl_enter is not under vcl_mtx, so a request starts on a VCL going COLD
// and takes references there (A10). Directed: cooling v1 while requests go to it.
TEST(RuntimeBug, A10_request_enters_a_vcl_going_cold) {
  vdisim::runner::register_builtin_directors();
  std::uint64_t hit = 0;
  std::string what;
  for (std::uint64_t seed = 1; seed <= 300 && !hit; seed++) {
    vdisim::sim::RunOptions o;
    o.seed = seed;
    vdisim::vrt::harness::World w(o);
    w.up("h0:80");
    std::shared_ptr<vdisim::runner::DirectorObject> rr;
    w.sim.spawn("cli", [&] {
      w.rt.vcl_load("v0", {}, nullptr);
      w.rt.vcl_use("v0");
      struct vcl *v1 = w.rt.vcl_load("v1", {}, [&](VRT_CTX) {
        rr = vdisim::runner::director_types().at("round_robin")(ctx, "rr", {});
        rr->add_backend(ctx, vdisim::vrt::vcl_backend(ctx, "s0", "h0:80"), 1);
        ctx->vcl->fini.push_back([&](VRT_CTX) { (void)ctx; rr->fini(); });
      });
      auto *client = w.sim.spawn("client", [&] {
        for (int i = 0; i < 4; i++)
          vdisim::vrt::run_request(w.rt, v1, [&](VRT_CTX) { return rr->backend(ctx, 0); });
      });
      w.rt.vcl_state("v1", "cold");
      w.sim.join(client);
    });
    vdisim::sim::RunReport r = w.run();
    if (r.failure && r.failure->rule == "A10") {
      hit = seed;
      what = r.failure->summary();
    }
  }
  if (!hit) GTEST_SKIP() << "not found in 300 seeds: fixed? then drop the RT-cold-while-busy classification";
  std::cout << "seed " << hit << ": " << what << std::endl;
}
