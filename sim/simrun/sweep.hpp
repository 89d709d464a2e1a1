// Seed sweeps in child processes (runner::Workers): a crash in the code under test
// (SIGSEGV, abort) becomes a failure record with its seed and never loses the seeds that
// finished; a child runs seed after seed while they pass.
// Forks happen before any fiber exists in the parent.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vdisim::simrun {

struct SweepOptions {
  int jobs = 1;
  bool fork = true;  // false: run in-process (debugging; a crash ends simrun)
  // After each seed: seeds done, of all, and how many of them failed and how many did not
  // reach the failure the scenario expects (outcome "not_hit", counted apart as the summary does).
  std::function<void(std::size_t done, std::size_t total, std::size_t failed, std::size_t not_hit)> progress;
  // Asked of each record in seed order (whatever order children end in): true keeps no
  // seed after this one (seeds already running are killed), so where a sweep stops
  // does not depend on --jobs.
  std::function<bool(const nlohmann::json &)> stop_after;
  std::size_t *processes = nullptr;  // out: the child processes the sweep forked
};

// A run's record without a failure (expected or not): the child that ran it may run the next.
bool ran_clean(const nlohmann::json &record);

// Runs `one(seed)` for each seed; `one` returns the seed's JSON record. Records come back
// in seed order. Stops launching on SIGINT and sets `interrupted`, or at stop_after.
std::vector<nlohmann::json> sweep(const std::vector<std::uint64_t> &seeds,
                                  const std::function<nlohmann::json(std::uint64_t)> &one,
                                  const SweepOptions &opts, bool &interrupted);

}  // namespace vdisim::simrun
