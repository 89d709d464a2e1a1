// Interleaving coverage: conflicting named steps pending together are run in both orders
// over seeds, reads do not order reads, steps that never wait together give no order,
// and recording changes nothing about the run.
#include <gtest/gtest.h>

#include "sim/sim.hpp"

using namespace vdisim::sim;

namespace {

// A and B each take a few private steps, then write `shared` ("assign", "release"); C
// reads it twice ("resolve"); D writes `late` ("destroy") only after A and B ended, so
// its step never waits beside theirs.
RunReport race(std::uint64_t seed, bool coverage, const std::string &strategy = "random") {
  RunOptions o;
  o.seed = seed;
  o.strategy = StrategySpec::parse(strategy);
  o.coverage = coverage;
  Sim s(o);
  int shared = 0, own[2] = {0, 0};
  auto writer = [&](int *mine, int k, const char *op) {
    return [&, mine, k, op] {
      for (int i = 0; i < k; i++) this_sim().sched_point(Touch{mine, true});
      this_sim().sched_point(Touch{&shared, true, op});
    };
  };
  Actor *a = s.spawn("A", writer(&own[0], 2, "assign"));
  Actor *b = s.spawn("B", writer(&own[1], 3, "release"));
  s.spawn("C", [&] {
    this_sim().sched_point(Touch{&shared, false, "resolve"});
    this_sim().sched_point(Touch{&shared, false, "resolve"});
  });
  s.spawn("D", [&, a, b] {
    this_sim().join(a);
    this_sim().join(b);
    this_sim().sched_point(Touch{&shared, true, "destroy"});
  });
  return s.run();
}

}  // namespace

TEST(Coverage, conflicting_named_steps_pending_together_run_in_both_orders_over_seeds) {
  std::map<std::string, int> runs_with;
  for (std::uint64_t seed = 1; seed <= 40; seed++)
    for (const auto &[order, n] : race(seed, true).orders) runs_with[order] += n > 0;
  EXPECT_GT(runs_with["assign<release"], 0);
  EXPECT_GT(runs_with["release<assign"], 0);
  EXPECT_EQ(runs_with.count("resolve<resolve"), 0u) << "two reads do not conflict";
  for (const char *o : {"assign<destroy", "destroy<assign", "release<destroy", "destroy<release"})
    EXPECT_EQ(runs_with.count(o), 0u) << o << ": destroy runs after A and B ended, never beside them";
}

TEST(Coverage, a_run_names_its_ops_and_counts_are_deterministic) {
  RunReport a = race(7, true), b = race(7, true);
  EXPECT_EQ(a.orders, b.orders);
  EXPECT_EQ(a.ops, (std::set<std::string>{"assign", "destroy", "release", "resolve"}));
}

TEST(Coverage, recording_changes_nothing_and_is_off_unless_asked) {
  for (const char *strategy : {"random", "pos", "pct:3"})
    for (std::uint64_t seed = 1; seed <= 10; seed++) {
      RunReport off = race(seed, false, strategy), on = race(seed, true, strategy);
      EXPECT_EQ(off.digest, on.digest) << strategy << " seed " << seed;
      EXPECT_EQ(off.decisions, on.decisions) << strategy << " seed " << seed;
      EXPECT_TRUE(off.orders.empty());
      EXPECT_TRUE(off.ops.empty());
    }
}
