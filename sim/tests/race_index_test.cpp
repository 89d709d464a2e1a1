// RunReport::racing_steps on large ready sets, where the Sim counts with a RaceIndex
// instead of scanning the set: the index against the scan it replaces (Touch::may_race
// either way), and a whole run against a count made from its recorded choices.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "sim/race_index.hpp"
#include "sim/sim.hpp"

using namespace vdisim::sim;

namespace {

bool scan(const std::vector<Actor *> &set, const Actor *chosen) {
  const Touch &t = chosen->touch;
  return std::any_of(set.begin(), set.end(), [&](const Actor *c) {
    return c != chosen && (t.may_race(c->touch) || c->touch.may_race(t));
  });
}

int objs[40];

// Actor i's touch at its k-th scheduling point: one of 40 objects, a fifth of them
// written; `unsaid` in 1,000 says nothing. Few steps share an object, so most of a large
// set's steps race only if another says nothing.
Touch touch_of(std::uint32_t i, int k, unsigned unsaid = 0) {
  std::uint32_t v = i * 7 + static_cast<std::uint32_t>(k) * 13;
  if (v % 1000 < unsaid) return {};
  return Touch{&objs[v % 40], (v / 40) % 5 == 0};
}

}  // namespace

TEST(RaceIndex, agrees_with_the_scan_while_members_come_and_go) {
  std::mt19937 rng(7);  // the test's own inputs, not a run's choices
  std::vector<std::unique_ptr<Actor>> pool;
  std::vector<Actor *> set;
  RaceIndex index;
  bool on = false;  // counts kept: from kFrom members on, until fewer than kUntil
  std::size_t checked = 0;
  const int phase = static_cast<int>(4 * RaceIndex::kFrom);  // grows to about 2 * kFrom
  for (int step = 0; step < 10 * phase; step++) {
    // Grow to about twice kFrom members, shrink to none, and again: the counts come and go.
    bool grow = (step / phase) % 2 == 0 ? rng() % 4 != 0 : rng() % 4 == 0;
    if (grow || set.empty()) {
      pool.push_back(std::make_unique<Actor>());
      pool.back()->touch = touch_of(static_cast<std::uint32_t>(rng()), 0, 3);
      set.push_back(pool.back().get());
      index.added(set, set.back());
      on = on || set.size() >= RaceIndex::kFrom;
    } else {
      std::size_t i = rng() % set.size();
      Actor *a = set[i];
      set[i] = set.back();
      set.pop_back();
      index.removed(set, a);
      on = on && set.size() >= RaceIndex::kUntil;
    }
    ASSERT_EQ(index.active(), on) << "step " << step;
    if (!index.active()) continue;
    for (int k = 0; k < 8; k++) {  // eight members a step, against the scan
      const Actor *m = set[rng() % set.size()];
      ASSERT_EQ(index.races(m->touch, set.size()), scan(set, m)) << "step " << step << ", " << set.size() << " members";
      checked++;
    }
  }
  EXPECT_GT(checked, 20'000u);  // the counts were kept for much of the walk
}

// More actors than RaceIndex::kFrom make five scheduling points each; whether each recorded choice's step may
// race is computed again from the choice's ready set and each actor's touch at that time
// (unsaid before it ran, then its last point's), and summed. (A choice among one is not
// recorded; with no parks that happens only once one actor is left.)
TEST(RaceIndex, a_runs_racing_steps_count_what_its_choices_say) {
  for (const char *strategy : {"random", "pos"}) {
    RunOptions o;
    o.seed = 3;
    o.strategy = StrategySpec::parse(strategy);
    o.keep_choices = true;
    Sim s(o);
    for (std::size_t i = 0; i < RaceIndex::kFrom + 150; i++)
      s.spawn("a", [&s] {
        for (int k = 0; k < 5; k++) s.sched_point(touch_of(s.running()->id, k));
      });
    RunReport r = s.run();
    ASSERT_TRUE(r.ok());
    std::map<std::uint32_t, int> ran;  // actor id -> times chosen so far
    std::uint64_t racing = 0;
    std::vector<std::unique_ptr<Actor>> shadows;
    for (const Choice &ch : r.choices) {
      std::vector<Actor *> set;
      Actor *chosen = nullptr;
      for (std::uint32_t id : ch.ready) {
        shadows.push_back(std::make_unique<Actor>());
        int n = ran[id];
        if (n > 0) shadows.back()->touch = touch_of(id, n - 1);
        set.push_back(shadows.back().get());
        if (id == ch.chosen) chosen = set.back();
      }
      ASSERT_NE(chosen, nullptr);
      racing += scan(set, chosen);
      ran[ch.chosen]++;
    }
    EXPECT_EQ(r.racing_steps, racing) << strategy;
    EXPECT_GT(racing, 0u) << strategy;
  }
}
