// PCT finds a depth-2 ordering bug within the runs its bound predicts, and more often
// than uniform random scheduling does.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/sim.hpp"

using namespace vdisim::sim;

namespace {
constexpr int kShortSteps = 10;  // T1: a=1, 10 points, b=1
constexpr int kLongSteps = 40;   // T2: 40 points, then reads (a, b)

// Bug iff T2 reads after T1's first write and before its last one, with T2 running all of
// its 40 steps inside T1's 10: two ordering constraints (depth 2).
bool bug_found(std::uint64_t seed, const std::string &strategy) {
  RunOptions o;
  o.seed = seed;
  o.strategy = StrategySpec::parse(strategy);
  o.strategy.pct_steps = kShortSteps + kLongSteps + 5;
  Sim s(o);
  int a = 0, b = 0;
  bool bug = false;
  s.spawn("T1", [&] {
    a = 1;
    for (int i = 0; i < kShortSteps; i++) this_sim().sched_point();
    b = 1;
  });
  s.spawn("T2", [&] {
    for (int i = 0; i < kLongSteps; i++) this_sim().sched_point();
    bug = (a == 1 && b == 0);
  });
  EXPECT_TRUE(s.run().ok());
  return bug;
}
}  // namespace

TEST(Pct, finds_depth2_bug_within_bound_and_beats_random) {
  // PCT bound: p >= 1/(n k^(d-1)) with n=2 actors, k=55 steps, d=2 -> 1/110.
  // Runs for 99% confidence: ln(100) * 110 ~= 507.
  const double k = kShortSteps + kLongSteps + 5;
  const int runs = static_cast<int>(std::ceil(std::log(100.0) * 2 * k));
  int pct = 0, rnd = 0, first_pct = -1;
  for (int seed = 1; seed <= runs; seed++) {
    if (bug_found(static_cast<std::uint64_t>(seed), "pct:2")) {
      pct++;
      if (first_pct < 0) first_pct = seed;
    }
    if (bug_found(static_cast<std::uint64_t>(seed), "random")) rnd++;
  }
  std::printf("depth-2 bug over %d runs: pct:2 found %d (first at run %d), random found %d\n", runs, pct,
              first_pct, rnd);
  EXPECT_GE(pct, 1) << "PCT must find the bug within its bound";
  EXPECT_GT(pct, rnd) << "PCT should beat uniform random on a depth-2 bug";
}
