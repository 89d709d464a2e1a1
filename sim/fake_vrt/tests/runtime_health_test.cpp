// Fake VRT runtime, rules D and E (resolution, admin health, probes), Z4 and determinism:
// one or more tests per rule of VRT_SPEC, named by rule id (A-C in runtime_test.cpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/fake_vrt/tests/runtime_test_util.hpp"
#include "sim/fake_vrt/tests/test_directors.h"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::vcl_backend;
using harness::World;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using vrt::testing::Recorder;
using vrt::testing::vd;

TEST(D1, resolve_follows_layers_to_leaf_and_request_holds_refs) {
  World w;
  w.up("a:80");
  struct vcl *boot = nullptr;
  VCL_BACKEND top = nullptr, a = nullptr;
  w.sim.spawn("cli", [&] {
    boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
      a = vcl_backend(ctx, "a", "a:80");
      VCL_BACKEND l1 = test_layer_new(ctx, "l1", a, LAYER_OK);
      top = test_layer_new(ctx, "top", l1, LAYER_OK);
    });
    Task t(w.rt, boot, 0);
    EXPECT_EQ(VRT_DirectorResolve(t.ctx(), top), a);
    auto r = run_request(w.rt, boot, [&](VRT_CTX) { (void)ctx; return top; });
    EXPECT_EQ(r.kind, RequestResult::Kind::Ok);
    EXPECT_EQ(r.backend, "boot.a");
    EXPECT_EQ(vd(top)->refcnt, 1) << "request references all dropped";
    EXPECT_EQ(w.rt.backends().stats("boot.a").fetches, 1u);
  });
  ASSERT_TRUE(w.run().ok());
}

TEST(D3, admin_health_overrides_and_auto_returns_to_probe) {
  World w;
  w.up("a:80");
  auto probe = harness::make_probe(1.0, 8, 3, 3);
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80", &probe); });
    w.rt.vcl_use("boot");
    Task t(w.rt, v, 0);
    VCL_BACKEND a = VRT_LookupDirector(t.ctx(), "a");
    ASSERT_NE(a, nullptr);
    VCL_TIME changed = 0;
    EXPECT_TRUE(VRT_Healthy(t.ctx(), a, &changed)) << "initial 3 = threshold: healthy";
    EXPECT_EQ(w.rt.set_health("a", "sick"), 1);
    EXPECT_FALSE(VRT_Healthy(t.ctx(), a, &changed));
    EXPECT_EQ(w.rt.set_health("boot.*", "healthy"), 1);
    EXPECT_TRUE(VRT_Healthy(t.ctx(), a, nullptr));
    w.rt.set_health("a", "auto");
    EXPECT_TRUE(VRT_Healthy(t.ctx(), a, nullptr));
  });
  ASSERT_TRUE(w.run().ok());
}

// A request whose hint is a sick native backend fails without a fetch, as varnishd's does
// (503, FetchError "backend a: unhealthy"; peer case direct_backend_sick).
TEST(D3, a_sick_backend_is_not_fetched_from) {
  World w;
  w.up("a:80");
  auto probe = harness::make_probe(1.0, 8, 3, 0);  // initial 0: sick until 3 good polls
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80", &probe); });
    w.rt.vcl_use("boot");
    VCL_BACKEND a = VRT_LookupDirector(Task(w.rt, v, 0).ctx(), "a");
    auto pick_a = [&](VRT_CTX) { (void)ctx; return a; };
    EXPECT_EQ(run_request(w.rt, v, pick_a).kind, RequestResult::Kind::FetchError) << "probe: sick";
    EXPECT_EQ(w.rt.set_health("a", "healthy"), 1);
    EXPECT_EQ(run_request(w.rt, v, pick_a).kind, RequestResult::Kind::Ok);
    EXPECT_EQ(w.rt.set_health("a", "sick"), 1);
    auto r = run_request(w.rt, v, pick_a);
    EXPECT_EQ(r.kind, RequestResult::Kind::FetchError) << "admin: sick";
    EXPECT_TRUE(r.leaf_sick);
    const BackendStats &st = w.rt.backends().stats("boot.a");
    EXPECT_EQ(st.fetches, 1u) << "only the healthy request reached the server";
    EXPECT_EQ(st.fetches_while_sick, 2u);
  });
  ASSERT_TRUE(w.run().ok());
}

TEST(D5, set_health_sends_sick_event_both_ways) {
  World w;
  w.up("a:80");
  Recorder rec(w.sim, {"event"});
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80"); });
    w.rt.vcl_use("boot");
    w.rt.set_health("a", "sick");
    w.rt.set_health("a", "sick");
    w.rt.set_health("a", "auto");
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_THAT(rec.only("event: boot.a SICK"), ElementsAre("event: boot.a SICK", "event: boot.a SICK"));
}

TEST(E4, probes_run_only_while_warm) {
  sim::RunOptions o;
  o.end_ns = 60'000'000'000;
  World w(o);
  w.up("a:80");
  auto probe = harness::make_probe(1.0, 8, 3);
  std::vector<std::pair<std::int64_t, std::string>> probe_events;
  bool cold = false;
  std::uint64_t pokes_while_cold = 0;
  w.sim.trace().set_hook([&](const sim::EventView &e) {
    if (e.topic == "probe") probe_events.emplace_back(e.time_ns, e.text);
    if (e.topic == "health" && cold) pokes_while_cold++;
  });
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80", &probe); });
    w.rt.vcl_load("other", {}, nullptr);
    w.rt.vcl_use("other");
    w.sim.sleep_for(10'000'000'000);
    w.rt.vcl_state("boot", "cold");
    cold = true;
    w.sim.sleep_for(20'000'000'000);
    cold = false;
    w.rt.vcl_state("boot", "warm");
  });
  ASSERT_TRUE(w.run().ok());
  ASSERT_EQ(probe_events.size(), 3u);
  EXPECT_EQ(probe_events[0].second, "boot.a start (sick)");
  EXPECT_EQ(probe_events[1], std::make_pair(std::int64_t{10'000'000'000}, std::string("boot.a stop")));
  EXPECT_EQ(probe_events[2].first, 30'000'000'000);
  EXPECT_EQ(pokes_while_cold, 0u);
  EXPECT_GE(w.rt.backends().stats("boot.a").probes, 35u);
}

TEST(E2, probe_follows_the_varnishd_71_window_on_a_refusing_backend) {
  sim::RunOptions o;
  o.end_ns = 30'500'000'000;
  World w(o);
  EndpointSpec s;
  s.latency.a_ns = 0;  // instant answers: polls land exactly on the interval
  s.script = {{10'500'000'000, EndpointState::Refuse}, {20'500'000'000, EndpointState::Up}};
  w.endpoint("a:80", s);
  auto probe = harness::make_probe(1.0, 8, 3, 3);
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80", &probe); });
  });
  ASSERT_TRUE(w.run().ok());
  const auto &h = w.rt.backends().stats("boot.a").health;
  // Polls at 0,1,..: refusing from 11 s, goes sick at the 6th failure (t=16 s); back up
  // from 21 s, healthy again at the 3rd success (t=23 s).
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[1], std::make_pair(std::int64_t{16'000'000'000}, false));
  EXPECT_EQ(h[2], std::make_pair(std::int64_t{23'000'000'000}, true));
}

TEST(E2, flapping_for_24_virtual_hours_matches_prediction) {
  const double period = 100, duty = 0.5, interval = 5;
  sim::RunOptions o;
  o.end_ns = 24LL * 3600 * 1'000'000'000;
  World w(o);
  EndpointSpec s;
  s.flap_period_ns = static_cast<std::int64_t>(period * 1e9);
  s.flap_duty = duty;
  w.endpoint("a:80", s);
  auto probe = harness::make_probe(interval, 8, 3, 3);
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80", &probe); });
  });
  ASSERT_TRUE(w.run().ok());
  ProbeParams pp;
  pp.interval_s = interval;
  pp.window = 8;
  pp.threshold = 3;
  pp.initial = 3;
  FlapPrediction want = predict_flaps(pp, {period, duty, 24 * 3600.0, 0});
  const auto &st = w.rt.backends().stats("boot.a");
  EXPECT_EQ(st.went_sick, want.went_sick);
  EXPECT_EQ(st.went_healthy, want.went_healthy);
  EXPECT_GT(want.transitions, 1000u);
}

TEST(Z4, add_director_while_cooling_returns_null_or_deadlocks_with_switch) {
  for (bool regression : {false, true}) {
    Regressions reg;
    reg.add_director_blocks_when_cooling = regression;
    World w({}, reg);
    VCL_BACKEND got = reinterpret_cast<VCL_BACKEND>(1);
    w.sim.spawn("cli", [&] {
      struct vcl *v = w.rt.vcl_load("boot", {}, nullptr);
      w.rt.vcl_load("next", {}, nullptr);
      w.rt.vcl_use("next");
      Task t(w.rt, v, 0);
      struct vclref *ref = VRT_VCL_Prevent_Discard(t.ctx(), "resolver");
      sim::Actor *resolver = nullptr;
      w.rt.vcl_mtx().lock();  // the CLI thread holds vcl_mtx while cooling...
      v->temp = Temp::Cooling;
      resolver = w.sim.spawn("resolver", [&] { got = test_layer_new(t.ctx(), "dyn", nullptr, LAYER_OK); });
      w.sim.join(resolver);  // ...and waits for the resolver to stop
      w.rt.vcl_mtx().unlock();
      VRT_VCL_Allow_Discard(&ref);
    });
    sim::RunReport r = w.run();
    if (regression) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.failure->rule, "DEADLOCK");
      EXPECT_THAT(r.failure->message, HasSubstr("'resolver' waits on mutex 'vcl_mtx' held by a1 'cli'"));
    } else {
      ASSERT_TRUE(r.ok()) << r.failure->summary();
      EXPECT_EQ(got, nullptr);
    }
  }
}

TEST(Determinism, same_seed_same_digest_with_requests_and_probes) {
  auto once = [](std::uint64_t seed) {
    sim::RunOptions o;
    o.seed = seed;
    o.end_ns = 5'000'000'000;
    World w(o);
    w.up("a:80", 3'000'000);
    w.up("b:80", 5'000'000);
    auto probe = harness::make_probe(0.5, 8, 3);
    VCL_BACKEND top = nullptr, a = nullptr, b = nullptr;
    struct vcl *boot = nullptr;
    w.sim.spawn("cli", [&] {
      boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
        a = vcl_backend(ctx, "a", "a:80", &probe);
        b = vcl_backend(ctx, "b", "b:80", &probe);
        top = test_layer_new(ctx, "top", a, LAYER_OK);
      });
      w.rt.vcl_use("boot");
      for (int i = 0; i < 20; i++) {
        w.sim.spawn("req", [&] { run_request(w.rt, boot, [&](VRT_CTX) { (void)ctx; return top; }); });
        if (i == 10) test_layer_set_child(top, b);
        w.sim.sleep_for(1'000'000);
      }
    });
    return w.run();
  };
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    auto r1 = once(seed), r2 = once(seed);
    ASSERT_TRUE(r1.ok()) << r1.failure->summary();
    EXPECT_EQ(r1.digest, r2.digest);
  }
  EXPECT_NE(once(1).digest, once(2).digest);
}
