// dfs:P and schedule shrinking on a check-then-use race of three actors: dfs:2 runs every
// schedule of the locked version and proves it within the bound, finds the unlocked
// version's bug with one preemption, and shrinking cuts a random failing schedule down
// to the one preemption the bug needs.
#include <gtest/gtest.h>

#include "sim/explore.hpp"
#include "sim/sync.hpp"

using namespace vdisim::sim;

namespace {

// A checks a shared slot and then uses it; B clears the slot; C reads it a few times.
// Unlocked, B clearing between A's check and use is a use of nothing ("USE").
// `noise` private steps per actor make random schedules long and full of preemptions.
Probe check_then_use(const StrategySpec &spec, bool locked, int noise = 0, std::uint64_t seed = 1) {
  RunOptions o;
  o.seed = seed;
  o.strategy = spec;
  o.keep_choices = true;
  Sim s(o);
  Mutex m("slot");
  int target = 7;
  int *slot = &target;
  int own[3] = {0, 0, 0};
  auto step_own = [&](int i) {
    for (int k = 0; k < noise; k++) this_sim().sched_point(Touch{&own[i], true});
  };
  s.spawn("A", [&] {
    step_own(0);
    if (locked) m.lock();
    this_sim().sched_point(Touch{&slot, false});
    bool have = slot != nullptr;
    this_sim().sched_point(Touch{&slot, false});
    if (have && !slot) this_sim().fail("USE", "slot cleared between check and use");
    if (locked) m.unlock();
  });
  s.spawn("B", [&] {
    step_own(1);
    if (locked) m.lock();
    this_sim().sched_point(Touch{&slot, true});
    slot = nullptr;
    if (locked) m.unlock();
  });
  s.spawn("C", [&] {
    step_own(2);
    for (int k = 0; k < 2; k++) this_sim().sched_point(Touch{&slot, false});
  });
  RunReport r = s.run();
  return Probe{r.failure ? r.failure->rule : "", r.choices};
}

}  // namespace

TEST(Dfs, exhausts_the_locked_race_within_two_preemptions) {
  DfsOptions o;
  o.max_preemptions = 2;
  DfsResult r = dfs(o, [](const auto &p) { return check_then_use(p, true); });
  std::printf("dfs:2 locked: %llu schedules, exhausted=%d\n", static_cast<unsigned long long>(r.schedules), r.exhausted);
  EXPECT_TRUE(r.exhausted);
  EXPECT_FALSE(r.failure);
  EXPECT_GT(r.schedules, 10u);
}

TEST(Dfs, finds_the_unlocked_race_with_one_preemption) {
  DfsOptions o;
  o.max_preemptions = 2;
  DfsResult r = dfs(o, [](const auto &p) { return check_then_use(p, false); });
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->rule, "USE");
  EXPECT_FALSE(r.exhausted);
  EXPECT_EQ(preemptions(r.failure->choices), 1u);
  // The failing prefix replays to the same failure.
  EXPECT_EQ(check_then_use(prefix_spec(r.failing_prefix), false).rule, "USE");
  // With no preemption allowed, it is never found.
  o.max_preemptions = 0;
  DfsResult none = dfs(o, [](const auto &p) { return check_then_use(p, false); });
  EXPECT_TRUE(none.exhausted);
  EXPECT_EQ(none.schedules, 6u);  // each actor runs to its end: the 3! orders
}

TEST(Dfs, bound_grows_the_space) {
  std::uint64_t n[3];
  for (int p = 0; p < 3; p++) {
    DfsOptions o;
    o.max_preemptions = p;
    n[p] = dfs(o, [](const auto &pre) { return check_then_use(pre, true, 2); }).schedules;
  }
  EXPECT_LT(n[0], n[1]);
  EXPECT_LT(n[1], n[2]);
}

TEST(Shrink, cuts_a_random_failure_to_the_preemption_it_needs) {
  // The first random seed that fails, with noise steps: many preemptions.
  std::optional<Probe> failing;
  for (std::uint64_t seed = 1; seed <= 200 && !failing; seed++) {
    Probe p = check_then_use(StrategySpec::parse("random"), false, 12, seed);
    if (p.failed()) failing = p;
  }
  ASSERT_TRUE(failing);
  ShrinkResult r = shrink(*failing, [](const auto &p) { return check_then_use(p, false, 12); });
  std::printf("shrink: preemptions %zu -> %zu, choices %zu -> %zu in %zu runs\n", r.preemptions_before,
              r.preemptions_after, r.steps_before, r.steps_after, r.runs);
  EXPECT_GT(r.preemptions_before, 3u);
  EXPECT_EQ(r.preemptions_after, 1u);
  EXPECT_EQ(r.probe.rule, "USE");
  // The shrunk prefix replays to the same failure, with exactly its choices.
  Probe again = check_then_use(prefix_spec(r.schedule, true), false, 12);
  EXPECT_EQ(again.rule, "USE");
  EXPECT_EQ(chosen_ids(again.choices), chosen_ids(r.probe.choices));
}

TEST(StrategySpec, dfs_bound_parses) {
  EXPECT_EQ(StrategySpec::parse("dfs:2").kind, StrategySpec::Kind::Dfs);
  EXPECT_EQ(StrategySpec::parse("dfs:0").depth, 0);
  EXPECT_EQ(StrategySpec::parse("dfs:3").to_string(), "dfs:3");
  EXPECT_THROW(StrategySpec::parse("dfs:"), std::invalid_argument);
  EXPECT_THROW(StrategySpec::parse("dfs:9"), std::invalid_argument);
  EXPECT_THROW(StrategySpec::parse("dfs:x"), std::invalid_argument);
}
