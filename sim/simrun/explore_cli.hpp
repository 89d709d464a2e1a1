// simrun's schedule exploration: `--strategy dfs:P` (every schedule of one seed with at
// most P preemptions, each run in a child process) and `--shrink FILE` (a failing seed's
// schedule reduced and written for --replay). The search itself is sim/explore.hpp.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/explore.hpp"

namespace vdisim::simrun {

// One run of the scenario under `spec` for `seed`, with its choices kept ("choices" in the
// record); called in a child process.
using ScheduleRun = std::function<nlohmann::json(const sim::StrategySpec &spec, std::uint64_t seed)>;

// The failure rule and choices of a run's record ("" when it passed or only missed an
// `expect: failure`).
sim::Probe probe_of(const nlohmann::json &record);

struct ExploreOptions {
  std::string scenario;  // the file, for repro lines
  std::uint64_t seed = 1;
  std::uint64_t max_schedules = 100000;
  std::string out;  // where a failing schedule's decisions go (for --replay)
  bool racing_only = false;     // dfs branches only where steps conflict (DfsOptions)
  std::string expect_failure;  // the scenario's `expect: failure` rule, if any
};

// dfs:P. Exit code: 0 exhausted without failure (a proof within the bound), or the
// failure an `expect: failure` scenario asks for found; 1 another failure (its decisions
// written to o.out, repro line printed) or the expected one not found in the bounded
// space; 3 the schedule limit was reached first.
int run_dfs(const ExploreOptions &o, int max_preemptions, const ScheduleRun &run);

// Shrinks the failing run of seed o.seed under `strategy` (rerun once to keep its
// choices) and writes the shrunk decisions to o.out; prints what it cut and the repro
// line. Returns the shrink's JSON summary (for the report).
nlohmann::json shrink_failure(const ExploreOptions &o, const sim::StrategySpec &strategy, const ScheduleRun &run,
                              std::size_t max_runs);

}  // namespace vdisim::simrun
