// POS (partial order sampling): the same seed gives the same schedule, steps that race
// for one lock are ordered both ways across seeds, and steps that say what they touch
// reach the strategy.
#include <gtest/gtest.h>

#include <set>

#include "sim/sim.hpp"
#include "sim/sync.hpp"

using namespace vdisim::sim;

namespace {

struct Outcome {
  std::vector<std::uint32_t> decisions;
  std::string first;  // who took the lock first
};

// Three actors: two race for one mutex after a few private steps each; the third only
// steps on objects of its own (conflicts with nobody).
Outcome race(std::uint64_t seed, const std::string &strategy = "pos") {
  RunOptions o;
  o.seed = seed;
  o.strategy = StrategySpec::parse(strategy);
  Sim s(o);
  Mutex m("m");
  int own[3] = {0, 0, 0};
  Outcome out;
  auto racer = [&](const char *name, int k, int *mine) {
    return [&, name, k, mine] {
      for (int i = 0; i < k; i++) this_sim().sched_point(Touch{mine, true});
      m.lock();
      if (out.first.empty()) out.first = name;
      m.unlock();
    };
  };
  s.spawn("A", racer("A", 3, &own[0]));
  s.spawn("B", racer("B", 5, &own[1]));
  s.spawn("C", [&] {
    for (int i = 0; i < 8; i++) this_sim().sched_point(Touch{&own[2], false});
  });
  RunReport r = s.run();
  EXPECT_TRUE(r.ok());
  out.decisions = r.decisions;
  return out;
}

}  // namespace

TEST(Pos, same_seed_same_schedule) {
  for (std::uint64_t seed = 1; seed <= 20; seed++) EXPECT_EQ(race(seed).decisions, race(seed).decisions) << seed;
}

TEST(Pos, racing_lock_steps_are_ordered_both_ways) {
  int a_first = 0;
  const int runs = 200;
  for (int seed = 1; seed <= runs; seed++) a_first += race(static_cast<std::uint64_t>(seed)).first == "A";
  std::printf("pos: A took the lock first in %d of %d runs\n", a_first, runs);
  EXPECT_GE(a_first, runs / 5);
  EXPECT_LE(a_first, runs - runs / 5);
}

TEST(Pos, schedules_differ_from_random) {
  int differ = 0;
  for (std::uint64_t seed = 1; seed <= 20; seed++) differ += race(seed, "random").decisions != race(seed).decisions;
  EXPECT_GT(differ, 10);
}

TEST(StrategySpec, one_parser_with_one_set_of_limits) {
  EXPECT_EQ(StrategySpec::parse("pos").kind, StrategySpec::Kind::Pos);
  EXPECT_EQ(StrategySpec::parse("pos").to_string(), "pos");
  EXPECT_EQ(StrategySpec::parse("pct:64").depth, 64);
  EXPECT_THROW(StrategySpec::parse("pct:65"), std::invalid_argument);
  EXPECT_THROW(StrategySpec::parse("replay:"), std::invalid_argument);
  StrategySpec r = StrategySpec::parse("replay:/nonexistent/decisions", /*load=*/false);
  EXPECT_EQ(r.kind, StrategySpec::Kind::Replay);
  EXPECT_TRUE(r.decisions.empty());
  EXPECT_THROW(StrategySpec::parse("replay:/nonexistent/decisions"), std::invalid_argument);
}

// portfolio: each seed runs exactly the schedule of one of random, pct:3 and pos for that
// seed, and a sweep reaches all three.
TEST(Portfolio, each_seed_is_one_of_random_pct_pos_and_all_three_are_used) {
  std::set<std::string> used;
  for (std::uint64_t seed = 1; seed <= 30; seed++) {
    std::vector<std::uint32_t> p = race(seed, "portfolio").decisions;
    std::string same;
    for (const char *s : {"random", "pct:3", "pos"})
      if (race(seed, s).decisions == p && same.empty()) same = s;
    EXPECT_FALSE(same.empty()) << "seed " << seed << " follows none of the three";
    used.insert(same);
  }
  EXPECT_EQ(used.size(), 3u);
  EXPECT_EQ(StrategySpec::parse("portfolio").to_string(), "portfolio");
}
