// Runtime bugs the property tests found in sim/fake_vrt, now fixed (docs/property-tests.md,
// "Runtime bugs fixed"). Each test runs the property that found its bug with nothing
// keeping the interleaving out of the cases any more (no probe guard, no footprint, no
// filtered vcl.use, no failure classified as known), and checks that the cases reach the
// interleaving and that the property passes. The directed tests of the fixes are in
// sim/fake_vrt/tests/runtime_bugs_test.cpp.
#include <gtest/gtest.h>

#include <iostream>

#include "property_tests/suites.hpp"
#include "property_tests/types.hpp"
#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/runner/short_types.hpp"

using namespace prop;

namespace {

// Runs p for `cases` and expects it to pass having reached `interleaving` at least once.
void expect_passes_through(const LifecycleProperty &p, int cases, const std::string &interleaving) {
  Found f = check_lifecycle(p, budget(cases));
  std::cout << f.report << std::endl;
  EXPECT_FALSE(f.failed) << f.report;
  EXPECT_GT(f.seen[interleaving], 0) << "no case reached '" << interleaving << "' within " << cases
                                     << " cases: the test no longer covers its bug\n" << f.report;
}

}  // namespace

// backend.cpp: a backend destroyed while its stopped probe actor sleeps is freed by that
// actor when it ends (E5 "cooling -> deleted, the task frees"); it used to be freed at
// once and read by the actor when it woke. The case no longer waits for probe tasks.
TEST(RuntimeBug, E5_backend_destroyed_while_its_probe_task_sleeps_passes) {
  expect_passes_through(lifecycle("rtbug-probe", real_types()), 2000, kSeenProbeTaskFrees);
}

// vrt_director.cpp: backend.set_health walks a snapshot inside an iteration transaction
// (A7); it used to iterate the registry that a concurrent VRT_AddDirector appends to.
// The model no longer keeps set_health and director creation apart.
TEST(RuntimeBug, A7_set_health_concurrent_with_add_director_passes) {
  LifecycleProperty p = lifecycle("rtbug-set-health", real_types());
  p.gen.weights = {{OpKind::SetHealth, 8}, {OpKind::BeNew, 6}, {OpKind::DirNew, 6}};
  expect_passes_through(p, 4000, kSeenAddDuringSetHealth);
}

// vcl_temp.cpp: vcl.use warms a BUSY VCL (C2, BUSY -> WARM); it used to stay BUSY and go
// cold later on its own. The model now lets vcl.use follow a cold in the same phase.
TEST(RuntimeBug, C2_vcl_use_of_a_busy_vcl_passes) {
  LifecycleProperty p = lifecycle("rtbug-use-busy", real_types());
  p.gen.weights = {{OpKind::VclCold, 6}, {OpKind::VclUse, 6}, {OpKind::VclLoad, 4}, {OpKind::Request, 10}};
  expect_passes_through(p, 4000, kSeenUseOfBusyVcl);
}

// vcl_temp.cpp: a director that resigns during a cold transition is still linked and
// hears COLD before it is retired (A6/A7, E5); it used to be skipped and destroyed with
// its probe running. No failure is classified as a known runtime bug any more.
TEST(RuntimeBug, A7_E5_director_resigning_during_cold_passes) {
  expect_passes_through(dynamic_profile("rtbug-resigning", "dynamic"), 6000, kSeenResignDuringCold);
}

// vcl_temp.cpp: a task enters its VCL under vcl_mtx and the cold transition decides
// "idle" in the same vcl_mtx section that changes the temperature (A10, C3); a request
// used to start on a VCL going COLD. Directed: cooling v1 while requests go to it, over
// 300 seeds: every run passes, and both outcomes of the race occur (the transition
// finds a request inside and leaves the VCL BUSY; a request finds the VCL cold).
TEST(RuntimeBug, A10_request_racing_a_cold_transition_passes) {
  vdisim::runner::register_builtin_directors();
  int busy = 0, refused = 0;
  for (std::uint64_t seed = 1; seed <= 300; seed++) {
    vdisim::sim::RunOptions o;
    o.seed = seed;
    vdisim::vrt::harness::World w(o);
    w.up("h0:80");
    std::shared_ptr<vdisim::runner::DirectorObject> rr;
    bool saw_busy = false, saw_refused = false;
    w.sim.spawn("cli", [&] {
      w.rt.vcl_load("v0", {}, nullptr);
      w.rt.vcl_use("v0");
      struct vcl *v1 = w.rt.vcl_load("v1", {}, [&](VRT_CTX) {
        rr = vdisim::runner::director_types().at("round_robin")(ctx, "rr", {});
        rr->add_backend(ctx, vdisim::vrt::vcl_backend(ctx, "s0", "h0:80"), 1);
        ctx->vcl->fini.push_back([&](VRT_CTX) { (void)ctx; rr->fini(); });
      });
      auto *client = w.sim.spawn("client", [&] {
        for (int i = 0; i < 4; i++) {
          auto r = vdisim::vrt::run_request(w.rt, v1, [&](VRT_CTX) { return rr->backend(ctx, 0); });
          saw_refused = saw_refused || r.kind == vdisim::vrt::RequestResult::Kind::VclNotWarm;
        }
      });
      w.rt.vcl_state("v1", "cold");
      saw_busy = v1->temp == vdisim::vrt::Temp::Busy;
      w.sim.join(client);
      w.rt.poll();
      EXPECT_EQ(v1->temp, vdisim::vrt::Temp::Cold) << "seed " << seed;
      w.rt.vcl_discard("v1");
    });
    vdisim::sim::RunReport r = w.run();
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.failure->summary();
    busy += saw_busy;
    refused += saw_refused;
  }
  std::cout << "of 300 seeds: " << busy << " left v1 BUSY, " << refused << " had a request refused" << std::endl;
  EXPECT_GT(busy, 0) << "no seed had a request inside v1 when it was cooled";
  EXPECT_GT(refused, 0) << "no seed had a request arrive after v1 went cold";
}
