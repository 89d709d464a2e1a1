// Directed tests of runtime bugs the property tests found and that are now fixed (see
// docs/property-tests.md, "Runtime bugs fixed"), one or more per bug, named by rule id.
// Each builds the interleaving that went wrong and checks what VRT_SPEC says instead.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include <algorithm>

#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/fake_vrt/tests/test_directors.h"
#include "sim/sync.hpp"
#include "vcl.h"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::new_backend;
using harness::vcl_backend;
using harness::World;
using ::testing::HasSubstr;

namespace {

// Trace lines "topic: text" of the given topics, with their virtual times.
struct Lines {
  std::vector<std::pair<std::int64_t, std::string>> all;
  Lines(sim::Sim &s, std::vector<std::string> topics) {
    s.trace().set_hook([this, topics](const sim::EventView &e) {
      if (std::find(topics.begin(), topics.end(), e.topic) != topics.end())
        all.emplace_back(e.time_ns, std::string(e.topic) + ": " + std::string(e.text));
    });
  }
  // Index of the first line equal to `line`, or -1.
  long find(const std::string &line) const {
    for (std::size_t i = 0; i < all.size(); i++)
      if (all[i].second == line) return static_cast<long>(i);
    return -1;
  }
  int count(const std::string &line) const {
    return static_cast<int>(std::count_if(all.begin(), all.end(), [&](const auto &l) { return l.second == line; }));
  }
};

// A director whose COLD waits for an update lock, as a dynamic director waits for its
// resolver (libvmod-dynamic #110).
struct Waiter {
  sim::Mutex upd{"upd"};
};

void waiter_event(VCL_BACKEND d, enum vcl_event_e e) {
  if (e != VCL_EVENT_COLD) return;
  auto *w = static_cast<Waiter *>(d->priv);
  w->upd.lock();
  w->upd.unlock();
}

const struct vdi_methods kWaiterMethods = {.magic = VDI_METHODS_MAGIC, .type = "waiter", .event = waiter_event};

}  // namespace

// E5: stop while running -> cooling; remove while cooling -> deleted, the task frees.
TEST(RuntimeFix, E5_backend_removed_while_its_stopped_probe_sleeps_is_freed_by_the_probe_task) {
  World w;
  w.up("a:80");  // a poke takes 1 ms
  auto probe = harness::make_probe(1.0, 8, 3);
  Lines probe_lines(w.sim, {"probe"});
  w.sim.spawn("cli", [&] {
    struct vcl *boot = w.rt.vcl_load("boot", {}, nullptr);
    w.rt.vcl_use("boot");
    Task t(w.rt, boot, 0);
    VCL_BACKEND n = new_backend(t.ctx(), "n", "a:80", &probe);
    ASSERT_NE(n, nullptr);
    w.sim.sleep_for(500'000'000);  // the probe task sleeps its interval (until 1.001 s)
    VRT_delete_backend(t.ctx(), &n);  // last reference: COLD (stop), then destroy
    w.sim.sleep_for(1'000'000'000);
  });
  sim::RunReport r = w.run();
  ASSERT_TRUE(r.ok()) << r.failure->summary();
  long stop = probe_lines.find("probe: boot.n stop");
  long deleted = probe_lines.find("probe: boot.n deleted, 1 probe task(s) still cooling");
  long freed = probe_lines.find("probe: boot.n freed by its probe task");
  ASSERT_GE(stop, 0);
  ASSERT_GT(deleted, stop) << "destroy came while the stopped task still slept: it must not free the backend";
  ASSERT_GT(freed, deleted);
  EXPECT_EQ(probe_lines.all[static_cast<std::size_t>(deleted)].first, 500'000'000);
  EXPECT_EQ(probe_lines.all[static_cast<std::size_t>(freed)].first, 1'001'000'000)
      << "the task frees the backend when it wakes from its interval and sees it was stopped";
}

// E5: remove when cold (the task has ended) -> freed at once.
TEST(RuntimeFix, E5_backend_whose_probe_task_ended_is_freed_by_its_destroy) {
  World w;
  w.up("a:80");
  auto probe = harness::make_probe(1.0, 8, 3);
  Lines probe_lines(w.sim, {"probe"});
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80", &probe); });
    w.rt.vcl_load("next", {}, nullptr);
    w.rt.vcl_use("next");
    w.rt.vcl_state("boot", "cold");
    w.sim.sleep_for(2'000'000'000);  // the stopped task has ended by then
    w.rt.vcl_discard("boot");
  });
  sim::RunReport r = w.run();
  ASSERT_TRUE(r.ok()) << r.failure->summary();
  EXPECT_GE(probe_lines.find("probe: boot.a stop"), 0);
  for (const auto &[t, line] : probe_lines.all) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("still cooling")));
    EXPECT_THAT(line, ::testing::Not(HasSubstr("freed by its probe task")));
  }
}

// D6/E5: a probe's health update and its VDI_EVENT_SICK hold vbp_mtx, and stopping the
// probe (COLD) takes it too: a backend removed while its probe reports a flip to sick
// hears SICK before its COLD or not at all, never after it is retired.
TEST(RuntimeFix, D6_E5_sick_event_never_reaches_a_backend_stopped_meanwhile) {
  int sick = 0, quiet = 0;
  for (std::uint64_t seed = 1; seed <= 100; seed++) {
    sim::RunOptions o;
    o.seed = seed;
    World w(o);
    EndpointSpec refusing;
    refusing.base = EndpointState::Refuse;  // the first poke fails at once
    w.endpoint("a:80", refusing);
    auto probe = harness::make_probe(1.0, 1, 1, 1);  // starts healthy, one failure flips it
    Lines lines(w.sim, {"event", "probe"});
    w.sim.spawn("cli", [&] {
      struct vcl *boot = w.rt.vcl_load("boot", {}, nullptr);
      w.rt.vcl_use("boot");
      Task t(w.rt, boot, 0);
      VCL_BACKEND n = new_backend(t.ctx(), "n", "a:80", &probe);
      ASSERT_NE(n, nullptr);
      auto *deleter = w.sim.spawn("deleter", [&] {
        Task t2(w.rt, boot, 0);
        VRT_delete_backend(t2.ctx(), &n);
      });
      w.sim.join(deleter);
      w.sim.sleep_for(2'000'000'000);
    });
    sim::RunReport r = w.run();
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.failure->summary();
    long event = lines.find("event: boot.n SICK"), stop = lines.find("probe: boot.n stop");
    ASSERT_GE(stop, 0) << "seed " << seed;
    if (event < 0) {
      quiet++;
      continue;
    }
    sick++;
    EXPECT_LT(event, stop) << "seed " << seed << ": SICK sent after the probe was stopped";
  }
  EXPECT_GT(sick, 0) << "no seed had the probe report the flip before the stop";
  EXPECT_GT(quiet, 0) << "no seed stopped the probe before it reported the flip";
}

// A7/D5: backend.set_health on the active VCL ("s*") walks a snapshot inside an
// iteration transaction, so directors added while its VDI_EVENT_SICK events run
// (scheduling points) cannot invalidate the walk; every match gets exactly one event.
TEST(RuntimeFix, A7_set_health_walk_survives_directors_added_during_its_events) {
  constexpr int kStatics = 24, kAdded = 64;
  int raced = 0;
  for (std::uint64_t seed = 1; seed <= 30; seed++) {
    sim::RunOptions o;
    o.seed = seed;
    World w(o);
    w.up("a:80");
    Lines lines(w.sim, {"event", "dir"});
    int matched = -1;
    w.sim.spawn("cli", [&] {
      struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
        for (int i = 0; i < kStatics; i++) vcl_backend(ctx, "s" + std::to_string(i), "a:80");
      });
      w.rt.vcl_use("boot");
      auto *adder = w.sim.spawn("adder", [&] {
        Task t(w.rt, boot, 0);
        for (int i = 0; i < kAdded; i++) ASSERT_NE(test_bare_new(t.ctx(), ("x" + std::to_string(i)).c_str()), nullptr);
      });
      matched = w.rt.set_health("s*", "sick");
      w.sim.join(adder);
    });
    sim::RunReport r = w.run();
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.failure->summary();
    EXPECT_EQ(matched, kStatics) << "seed " << seed;
    for (int i = 0; i < kStatics; i++)
      EXPECT_EQ(lines.count("event: boot.s" + std::to_string(i) + " SICK"), 1) << "seed " << seed << " s" << i;
    long first = lines.find("event: boot.s0 SICK"), last = lines.find("event: boot.s" + std::to_string(kStatics - 1) + " SICK");
    for (long i = first; i < last; i++)
      if (lines.all[static_cast<std::size_t>(i)].second.find(" added (") != std::string::npos) {
        raced++;
        break;
      }
  }
  EXPECT_GT(raced, 0) << "no seed added a director while set_health walked";
}

// A6/A7: a director whose last reference goes during the set_health walk of the active
// VCL stays linked (queued) and is retired by the walk's end, not under it.
TEST(RuntimeFix, A7_director_resigning_during_set_health_is_retired_when_the_walk_ends) {
  int queued = 0;
  for (std::uint64_t seed = 1; seed <= 60; seed++) {
    sim::RunOptions o;
    o.seed = seed;
    World w(o);
    w.up("a:80");
    Lines lines(w.sim, {"event", "dir"});
    w.sim.spawn("cli", [&] {
      VCL_BACKEND n = nullptr;
      struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
        n = new_backend(ctx, "n", "a:80", nullptr);  // not static: its owner deletes it
        for (int i = 0; i < 8; i++) vcl_backend(ctx, "s" + std::to_string(i), "a:80");
      });
      w.rt.vcl_use("boot");
      auto *deleter = w.sim.spawn("deleter", [&] {
        Task t(w.rt, boot, 0);
        VRT_delete_backend(t.ctx(), &n);
      });
      EXPECT_EQ(w.rt.set_health("s*", "sick"), 8);
      w.sim.join(deleter);
    });
    sim::RunReport r = w.run();
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.failure->summary();
    long resigned = lines.find("dir: boot.n resigning (transaction open)");
    long retired = lines.find("dir: boot.n retired");
    ASSERT_GE(retired, 0) << "seed " << seed;
    if (resigned < 0) continue;
    queued++;
    EXPECT_GT(retired, lines.find("event: boot.s0 SICK")) << "seed " << seed << ": retired inside the walk";
  }
  EXPECT_GT(queued, 0) << "no seed dropped the last reference during the walk";
}

// C2: vcl.use of a BUSY VCL (cold asked, a request still in it) makes it WARM; it does
// not go cold later by itself once another VCL is used.
TEST(RuntimeFix, C2_vcl_use_of_a_busy_vcl_makes_it_warm) {
  World w;
  w.up("a:80");
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, nullptr);
    w.rt.vcl_use("boot");
    VCL_BACKEND a = nullptr;
    struct vcl *v2 = w.rt.vcl_load("v2", {}, [&](VRT_CTX) { a = vcl_backend(ctx, "a", "a:80"); });
    auto *req = w.sim.spawn("req", [&] {
      auto r = run_request(w.rt, v2, [&](VRT_CTX) { (void)ctx; return a; }, 100'000'000);
      EXPECT_EQ(r.kind, RequestResult::Kind::Ok);
    });
    w.sim.sleep_for(10'000'000);
    w.rt.vcl_state("v2", "cold");
    ASSERT_EQ(v2->temp, Temp::Busy) << "the request is still fetching";
    w.rt.vcl_use("v2");
    EXPECT_EQ(v2->temp, Temp::Warm);
    EXPECT_EQ(w.rt.active_vcl(), v2);
    w.rt.vcl_load("v3", {}, nullptr);
    w.rt.vcl_use("v3");
    w.sim.join(req);
    w.rt.poll();
    EXPECT_EQ(v2->temp, Temp::Warm) << "nobody asked v2 to go cold since it was used";
  });
  sim::RunReport r = w.run();
  ASSERT_TRUE(r.ok()) << r.failure->summary();
}

// A6/A7, C3, E5: a director whose last reference goes while the cold transition runs is
// still linked, hears COLD like the others (its probe stops) and is retired at the end
// of the transaction with the cold temperature, so without a second COLD.
TEST(RuntimeFix, A7_E5_director_resigning_during_cold_hears_cold_before_it_is_destroyed) {
  int queued = 0;
  for (std::uint64_t seed = 1; seed <= 200; seed++) {
    sim::RunOptions o;
    o.seed = seed;
    World w(o);
    w.up("a:80");
    auto probe = harness::make_probe(1.0, 8, 3);
    Lines lines(w.sim, {"event", "dir", "probe"});
    w.sim.spawn("cli", [&] {
      w.rt.vcl_load("boot", {}, nullptr);
      w.rt.vcl_use("boot");
      VCL_BACKEND n = nullptr;
      struct vcl *v1 = w.rt.vcl_load("v1", {}, [&](VRT_CTX) {
        n = new_backend(ctx, "n", "a:80", &probe);  // oldest: hears COLD last (newest first)
        for (int i = 0; i < 6; i++) vcl_backend(ctx, "s" + std::to_string(i), "a:80");
      });
      auto *deleter = w.sim.spawn("deleter", [&] {
        Task t(w.rt, v1, 0);
        VRT_delete_backend(t.ctx(), &n);
      });
      w.rt.vcl_state("v1", "cold");
      w.sim.join(deleter);
      w.sim.sleep_for(2'000'000'000);
      EXPECT_EQ(v1->temp, Temp::Cold) << "seed " << seed;
    });
    sim::RunReport r = w.run();
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.failure->summary();
    long cold = lines.find("event: v1.n COLD"), stop = lines.find("probe: v1.n stop");
    long destroy = lines.find("dir: v1.n destroy");
    ASSERT_GE(destroy, 0) << "seed " << seed;
    EXPECT_GE(cold, 0) << "seed " << seed << ": destroyed without COLD";
    EXPECT_LT(cold, destroy) << "seed " << seed;
    EXPECT_LT(stop, destroy) << "seed " << seed;
    EXPECT_EQ(lines.count("event: v1.n COLD"), 1) << "seed " << seed;
    if (lines.find("dir: v1.n resigning (transaction open)") >= 0) queued++;
  }
  EXPECT_GT(queued, 0) << "no seed dropped the last reference during the cold transition";
}

// A10: a task takes its VCL's busy reference under vcl_mtx (VCL_Ref/VCL_Update).
TEST(RuntimeFix, A10_vcl_enter_waits_for_vcl_mtx) {
  World w;
  std::int64_t entered_at = -1;
  w.sim.spawn("cli", [&] {
    struct vcl *boot = w.rt.vcl_load("boot", {}, nullptr);
    w.rt.vcl_use("boot");
    w.sim.spawn("req", [&, boot] {
      w.sim.sleep_for(1'000'000);
      ASSERT_TRUE(w.rt.vcl_enter(boot));
      entered_at = w.sim.now_ns();
      w.rt.vcl_leave(boot);
    });
    w.rt.vcl_mtx().lock();  // e.g. a cold transition deciding whether the VCL is idle
    w.sim.sleep_for(5'000'000);
    w.rt.vcl_mtx().unlock();
  });
  sim::RunReport r = w.run();
  ASSERT_TRUE(r.ok()) << r.failure->summary();
  EXPECT_EQ(entered_at, 5'000'000);
}

// A10, C3: requests racing `vcl.state cold` either enter while the VCL is warm (it then
// stays BUSY until they leave) or find it cold; no task ever runs in a cold VCL.
TEST(RuntimeFix, A10_C3_requests_racing_cold_never_run_in_a_cold_vcl) {
  int busy = 0, refused = 0;
  for (std::uint64_t seed = 1; seed <= 200; seed++) {
    sim::RunOptions o;
    o.seed = seed;
    World w(o);
    w.up("a:80");
    struct vcl *v1 = nullptr;
    bool broken = false, saw_busy = false, saw_refused = false;
    w.sim.trace().set_hook([&](const sim::EventView &) {
      if (v1 && v1->busy > 0 && !is_warm(v1->temp)) broken = true;
    });
    w.sim.spawn("cli", [&] {
      w.rt.vcl_load("boot", {}, nullptr);
      w.rt.vcl_use("boot");
      VCL_BACKEND a = nullptr;
      v1 = w.rt.vcl_load("v1", {}, [&](VRT_CTX) { a = vcl_backend(ctx, "a", "a:80"); });
      auto *client = w.sim.spawn("client", [&] {
        for (int i = 0; i < 4; i++) {
          auto r = run_request(w.rt, v1, [&](VRT_CTX) { (void)ctx; return a; });
          saw_refused = saw_refused || r.kind == RequestResult::Kind::VclNotWarm;
        }
      });
      w.rt.vcl_state("v1", "cold");
      saw_busy = v1->temp == Temp::Busy;
      w.sim.join(client);
      w.rt.poll();
      EXPECT_EQ(v1->temp, Temp::Cold) << "seed " << seed;
    });
    sim::RunReport r = w.run();
    ASSERT_TRUE(r.ok()) << "seed " << seed << ": " << r.failure->summary();
    EXPECT_FALSE(broken) << "seed " << seed << ": a task was inside v1 while it was not warm";
    busy += saw_busy;
    refused += saw_refused;
  }
  EXPECT_GT(busy, 0) << "no seed had a request inside v1 when it was cooled";
  EXPECT_GT(refused, 0) << "no seed had a request arrive after v1 went cold";
}

// Z4 (BUG_ZOO, f3575e382): with the switch the cold transition sends the directors' COLD
// holding vcl_mtx and VRT_AddDirector waits for vcl_mtx: a resolver that holds its
// director's update lock while adding a backend deadlocks with that director's COLD.
// Without it the COLD events run without vcl_mtx and the add returns NULL (cooling).
TEST(RuntimeFix, Z4_A3_cold_events_under_vcl_mtx_deadlock_only_with_the_switch) {
  for (bool regression : {false, true}) {
    Regressions reg;
    reg.add_director_blocks_when_cooling = regression;
    World w({}, reg);
    w.up("a:80");
    Waiter waiter;
    struct vclref *ref = nullptr;
    VmodHook hook{"dyn", [&ref](VRT_CTX, enum vcl_event_e e) {
                    if (e == VCL_EVENT_WARM) ref = VRT_VCL_Prevent_Discard(ctx, "resolver");
                    if (e == VCL_EVENT_COLD && ref) VRT_VCL_Allow_Discard(&ref);
                    return 0;
                  }};
    VCL_BACKEND got = reinterpret_cast<VCL_BACKEND>(1);
    w.sim.spawn("cli", [&] {
      w.rt.vcl_load("boot", {}, nullptr);
      w.rt.vcl_use("boot");
      struct vcl *v1 = w.rt.vcl_load("v1", {hook}, [&](VRT_CTX) {
        ASSERT_NE(VRT_AddDirector(ctx, &kWaiterMethods, &waiter, "waiter"), nullptr);
      });
      auto *resolver = w.sim.spawn("resolver", [&, v1] {
        waiter.upd.lock();
        w.sim.sleep_for(2'000'000);  // the answer arrives while v1 is being cooled
        Task t(w.rt, v1, 0);
        got = new_backend(t.ctx(), "n", "a:80", nullptr);
        waiter.upd.unlock();
      });
      w.sim.sleep_for(1'000'000);
      w.rt.vcl_state("v1", "cold");
      w.sim.join(resolver);
      w.rt.poll();
      EXPECT_EQ(v1->temp, Temp::Cold);
    });
    sim::RunReport r = w.run();
    if (regression) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.failure->rule, "DEADLOCK");
      EXPECT_THAT(r.failure->message, HasSubstr("'resolver' waits on mutex 'vcl_mtx' held by"));
      EXPECT_THAT(r.failure->message, HasSubstr("waits on mutex 'upd' held by"));
    } else {
      ASSERT_TRUE(r.ok()) << r.failure->summary();
      EXPECT_EQ(got, nullptr) << "VRT_AddDirector on a cooling VCL returns NULL (A2)";
    }
  }
}

// Varnish 8.0.0's backend.list with a pattern naming VCLs ("*.*") holds vcl_mtx while
// it calls every director's list callback. A director whose list takes its own lock,
// while its owner adds a backend holding that lock (VRT_AddDirector waits for vcl_mtx),
// hangs the CLI on some interleavings: lock order vcl_mtx -> pool against pool ->
// vcl_mtx. Listing the active VCL ("*") walks in a transaction without vcl_mtx and never
// hangs. Both must hold over the same seeds.
TEST(RuntimeFix, K2_A7_backend_list_of_every_vcl_holds_vcl_mtx_so_a_locking_list_callback_can_hang) {
  auto hangs = [](const std::string &pattern) {
    int failed = 0;
    for (std::uint64_t seed = 1; seed <= 40; seed++) {
      sim::RunOptions o;
      o.seed = seed;
      o.step_budget = 200'000;
      World w(o);
      std::string listed;
      w.sim.spawn("cli", [&] {
        VCL_BACKEND pool = nullptr;
        struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { pool = test_pool_new(ctx, "pool"); });
        w.rt.vcl_use("boot");
        auto *owner = w.sim.spawn("owner", [&] {
          Task t(w.rt, boot, 0);
          for (int i = 0; i < 4; i++) test_pool_grow(t.ctx(), pool, ("m" + std::to_string(i)).c_str());
        });
        listed = w.rt.backend_list({"backend.list", pattern});
        w.sim.join(owner);
      });
      sim::RunReport r = w.run();
      if (!r.ok()) {
        EXPECT_TRUE(r.failure->rule == "DEADLOCK" || r.failure->rule == "LIVELOCK") << r.failure->summary();
        failed++;
        continue;
      }
      EXPECT_NE(listed.find("boot.pool"), std::string::npos) << listed;
      EXPECT_TRUE(std::regex_search(listed, std::regex("boot\\.pool +healthy +[0-4]/0 +healthy")))
          << "the pool's list callback did not write its column:\n" << listed;
    }
    return failed;
  };
  EXPECT_GT(hangs("*.*"), 0) << "no seed interleaved the owner's add inside the list of every VCL";
  EXPECT_EQ(hangs("*"), 0);
}
