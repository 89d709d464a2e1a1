// PCT finds a depth-2 ordering bug within the runs its bound predicts, and more often
// than uniform random scheduling does, also when the run is long: change points fall on
// racing steps only, so thousands of steps that race with nobody do not dilute them.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/sim.hpp"

using namespace vdisim::sim;

namespace {
constexpr int kShortSteps = 10;  // T1: a=1, 10 points, b=1
constexpr int kLongSteps = 40;   // T2: 40 points, then reads (a, b)

struct Outcome {
  bool bug = false;
  std::uint64_t racing = 0, steps = 0;
};

// Bug iff T2 reads after T1's first write and before its last one, with T2 running all of
// its 40 steps inside T1's 10: two ordering constraints (depth 2). T1 and T2 say that
// they touch (a, b); a third actor makes `noise` steps that say nothing (as a request's
// inner steps), first alone, so that the race comes late in the run.
Outcome run(std::uint64_t seed, const std::string &strategy, int noise, std::int64_t k) {
  RunOptions o;
  o.seed = seed;
  o.strategy = StrategySpec::parse(strategy);
  o.strategy.pct_steps = k;
  Sim s(o);
  int a = 0, b = 0;
  Outcome out;
  auto racers = [&] {
    s.spawn("T1", [&] {
      this_sim().sched_point(Touch{&a, true});
      a = 1;
      for (int i = 0; i < kShortSteps; i++) this_sim().sched_point(Touch{&a, false});
      this_sim().sched_point(Touch{&a, true});
      b = 1;
    });
    s.spawn("T2", [&] {
      for (int i = 0; i < kLongSteps; i++) this_sim().sched_point(Touch{&a, false});
      out.bug = (a == 1 && b == 0);
    });
  };
  if (noise == 0) {
    racers();
  } else {
    s.spawn("other", [&] {
      for (int i = 0; i < noise; i++) {
        if (i == noise / 2) racers();
        this_sim().sched_point();
      }
    });
  }
  RunReport r = s.run();
  EXPECT_TRUE(r.ok());
  out.racing = r.racing_steps;
  out.steps = r.steps;
  return out;
}

struct Rates {
  int pct = 0, rnd = 0, first_pct = -1;
};

Rates measure(int runs, int noise, std::int64_t k) {
  Rates r;
  for (int seed = 1; seed <= runs; seed++) {
    if (run(static_cast<std::uint64_t>(seed), "pct:2", noise, k).bug) {
      r.pct++;
      if (r.first_pct < 0) r.first_pct = seed;
    }
    if (run(static_cast<std::uint64_t>(seed), "random", noise, k).bug) r.rnd++;
  }
  return r;
}
}  // namespace

TEST(Pct, finds_depth2_bug_within_bound_and_beats_random) {
  // PCT bound: p >= 1/(n k^(d-1)) with n=2 actors, k racing steps, d=2. T1's 12 steps race
  // with T2 (pending reads, or not yet started); T2's reads with T1's pending writes.
  Outcome probe = run(1, "random", 0, 0);
  std::printf("racing steps %llu of %llu steps\n", static_cast<unsigned long long>(probe.racing),
              static_cast<unsigned long long>(probe.steps));
  const double k = kShortSteps + 2 + kLongSteps;
  const int runs = static_cast<int>(std::ceil(std::log(100.0) * 2 * k));  // 99% confidence
  Rates r = measure(runs, 0, static_cast<std::int64_t>(k));
  std::printf("depth-2 bug over %d runs: pct:2 found %d (first at run %d), random found %d\n", runs, r.pct,
              r.first_pct, r.rnd);
  EXPECT_GE(r.pct, 1) << "PCT must find the bug within its bound";
  EXPECT_GT(r.pct, r.rnd) << "PCT should beat uniform random on a depth-2 bug";
}

TEST(Pct, long_runs_keep_the_bound) {
  // 4,000 steps that say nothing, half of them before the race: k stays the racing steps
  // (as above), so the bound and the found rate hold; change points drawn over all steps
  // with this k would all fall before the race (and with k = all steps, ~1/12,000).
  const int noise = 4000;
  Outcome probe = run(1, "random", noise, 0);
  std::printf("racing steps %llu of %llu steps\n", static_cast<unsigned long long>(probe.racing),
              static_cast<unsigned long long>(probe.steps));
  EXPECT_LT(probe.racing * 20, probe.steps);
  const std::int64_t k = kShortSteps + 2 + kLongSteps;
  const int runs = 200;
  Rates r = measure(runs, noise, k);
  std::printf("depth-2 bug in a long run over %d runs: pct:2 found %d (first at %d), random %d\n", runs, r.pct,
              r.first_pct, r.rnd);
  EXPECT_GE(r.pct, static_cast<int>(runs / (3 * k)));
  EXPECT_GT(r.pct, r.rnd);
}
