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
