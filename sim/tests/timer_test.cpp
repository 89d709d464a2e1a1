// Virtual time: timers fire in deadline order; long virtual spans cost no waiting.
#include <gtest/gtest.h>

#include "sim/sim.hpp"

using namespace vdisim::sim;

TEST(VirtualTime, ten_thousand_sleepers_wake_in_deadline_order) {
  RunOptions o;
  o.seed = 11;
  Sim s(o);
  std::vector<std::int64_t> woke;
  std::size_t late = 0;
  for (int i = 0; i < 10000; i++) {
    s.spawn("sleeper", [&] {
      std::int64_t d = static_cast<std::int64_t>(this_sim().prng().below(1'000'000'000));
      std::int64_t want = this_sim().now_ns() + d;
      this_sim().sleep_for(d);
      if (this_sim().now_ns() != want) late++;
      woke.push_back(this_sim().now_ns());
    });
  }
  RunReport r = s.run();
  ASSERT_TRUE(r.ok()) << r.failure->summary();
  ASSERT_EQ(woke.size(), 10000u);
  EXPECT_EQ(late, 0u) << "every sleeper wakes exactly at its deadline";
  EXPECT_TRUE(std::is_sorted(woke.begin(), woke.end()));
  EXPECT_GT(woke.back(), 900'000'000) << "durations spread over the second";
}

TEST(VirtualTime, a_day_of_one_second_ticks) {
  RunOptions o;
  o.end_ns = 24LL * 3600 * 1'000'000'000;
  Sim s(o);
  std::int64_t ticks = 0;
  s.spawn("ticker", [&] {
    for (;;) {
      this_sim().sleep_for(1'000'000'000);
      ticks++;
    }
  });
  RunReport r = s.run();
  ASSERT_TRUE(r.ok()) << r.failure->summary();
  EXPECT_EQ(ticks, 24 * 3600);
  EXPECT_EQ(r.end_ns, o.end_ns);
}

TEST(VirtualTime, clock_only_moves_forward_when_all_are_blocked) {
  RunOptions o;
  Sim s(o);
  std::int64_t seen = -1;
  s.spawn("sleeper", [&] { this_sim().sleep_for(5'000); seen = this_sim().now_ns(); });
  s.spawn("busy", [&] {
    for (int i = 0; i < 100; i++) this_sim().sched_point();
    EXPECT_EQ(this_sim().now_ns(), 0) << "time advanced while an actor was runnable";
  });
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(seen, 5'000);
}

TEST(Livelock, step_budget_is_a_failure) {
  RunOptions o;
  o.step_budget = 1000;
  Sim s(o);
  s.spawn("spinner", [] { for (;;) this_sim().sched_point(); });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "LIVELOCK");
}

// A daemon that sleeps with sleep_or_stop ends when the run stops by returning, not by an
// unwind: its run is the one sleep_for gives (digest, events), its end is traced as
// cancelled, and code after its loop runs. Both ways a run stops: the workers are done,
// or one of them fails.
TEST(VirtualTime, sleep_or_stop_ends_a_daemon_as_an_unwind_would) {
  struct Ran {
    std::uint64_t digest = 0, events = 0;
    std::vector<std::uint32_t> ends;  // ActorEnd outcomes, in order
    int returned = 0;                 // daemons that got past their loop
    bool failed = false;
  };
  auto run = [](bool quiet_stop, bool worker_fails) {
    RunOptions o;
    o.seed = 5;
    Sim s(o);
    Ran out;
    s.trace().set_hook([&out](const EventView &e) {
      if (e.kind == EventKind::ActorEnd) out.ends.push_back(e.a);
    });
    for (int d = 0; d < 3; d++) {
      s.spawn("daemon", [&out, quiet_stop, d] {
        const std::int64_t every = 700'000 + d * 300'000;
        if (quiet_stop) {
          while (this_sim().sleep_or_stop(every)) this_sim().sched_point();
          out.returned++;
        } else {
          for (;;) {
            this_sim().sleep_for(every);
            this_sim().sched_point();
          }
        }
      }, /*daemon=*/true);
    }
    for (int w = 0; w < 2; w++) {
      s.spawn("worker", [w, worker_fails] {
        for (int i = 0; i < 5; i++) {
          this_sim().sleep_for(1'000'000 * (w + 1));
          this_sim().sched_point();
        }
        if (worker_fails && w == 1) this_sim().fail("TEST", "a worker fails");
      });
    }
    RunReport r = s.run();
    out.digest = r.digest;
    out.events = r.events;
    out.failed = !r.ok();
    return out;
  };
  for (bool fails : {false, true}) {
    Ran unwound = run(false, fails), returned = run(true, fails);
    EXPECT_EQ(unwound.failed, fails);
    EXPECT_EQ(returned.failed, fails);
    EXPECT_EQ(returned.digest, unwound.digest) << "fails " << fails;
    EXPECT_EQ(returned.events, unwound.events);
    EXPECT_EQ(returned.ends, unwound.ends);
    EXPECT_EQ(std::count(returned.ends.begin(), returned.ends.end(), 2u), 3) << "the three daemons end cancelled";
    // A daemon between two sleeps when the worker fails is unwound at its next point.
    if (fails) EXPECT_GT(returned.returned, 0);
    else EXPECT_EQ(returned.returned, 3);
    EXPECT_EQ(unwound.returned, 0);
  }
}
