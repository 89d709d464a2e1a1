// Drivers that explore schedules run by run: bounded depth-first search over every
// schedule with at most P preemptions (dfs:P), and shrinking of a failing schedule. Each
// run is a prefix of chosen actor ids followed by default choices (StrategySpec::Kind::Dfs);
// the caller says how to run one (in-process for core tests, a child process in simrun).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/sim.hpp"

namespace vdisim::sim {

// One run under a prefix: its choices (RunOptions::keep_choices) and the rule it failed
// with ("" = passed).
struct Probe {
  std::string rule;
  std::vector<Choice> choices;
  bool failed() const { return !rule.empty(); }
};
// Runs one schedule: `spec` is a dfs spec (kind Dfs, decisions, keyed); the caller adds
// the seed and everything else of the run.
using ProbeFn = std::function<Probe(const StrategySpec &spec)>;
StrategySpec prefix_spec(std::vector<std::uint32_t> prefix, bool keyed = false);

// The default choice at a point: the running actor goes on, else the lowest id.
std::uint32_t default_choice(const Choice &c);
std::size_t preemptions(const std::vector<Choice> &cs);
// The executed schedule as a prefix: the chosen ids, 0 where the default was chosen,
// trailing defaults dropped.
std::vector<std::uint32_t> canonical_prefix(const std::vector<Choice> &cs);
// Every chosen id, for `replay:` (which needs no default rule).
std::vector<std::uint32_t> chosen_ids(const std::vector<Choice> &cs);
// The executed schedule keyed (StrategySpec::keyed): a triple per non-default choice.
std::vector<std::uint32_t> keyed_schedule(const std::vector<Choice> &cs);

struct DfsOptions {
  int max_preemptions = 2;
  std::uint64_t max_schedules = 100000;  // give up (not exhausted) after this many runs
  std::string rule;  // if set, only a failure with this rule stops the search
  // Branch only at choices where two ready actors' next steps conflict (Choice::racing);
  // elsewhere the default runs. Far fewer schedules, exhaustive over the orders of steps
  // that say what they touch (steps that say nothing are taken not to race).
  bool racing_only = false;
};
struct DfsResult {
  std::uint64_t schedules = 0;  // runs made
  bool exhausted = false;       // every schedule within the bound ran and passed
  std::optional<Probe> failure; // the first failing schedule
  std::vector<std::uint32_t> failing_prefix;
};
// Runs schedules in depth-first order: the default schedule first, then at the deepest
// choice with an untried alternative (default first, then ascending ids) whose
// preemptions stay within the bound. Stops at the first failure.
DfsResult dfs(const DfsOptions &o, const ProbeFn &run);

struct ShrinkResult {
  Probe probe;                          // the shrunk failing run
  std::vector<std::uint32_t> schedule;  // its keyed schedule (prefix_spec(schedule, true))
  std::size_t preemptions_before = 0, preemptions_after = 0;
  std::size_t steps_before = 0, steps_after = 0;  // choices up to the failure
  std::size_t runs = 0;
};
// Reduces a failing run (its choices) while it still fails with `rule`: first the fewest
// preemptions, then the fewest non-default choices, then the fewest choices, by removing
// chunks of non-default choices (delta debugging over the keyed schedule) within
// `max_runs` runs; delta debugging stops at a schedule no single drop improves, so the
// rest of the budget then goes to dfs with 0, 1, 2 ... preemptions (fewer than it has)
// for one failing with the rule. The seed stays: requests and chance draw from it as before.
ShrinkResult shrink(const Probe &failing, const ProbeFn &run, std::size_t max_runs = 400);

}  // namespace vdisim::sim
