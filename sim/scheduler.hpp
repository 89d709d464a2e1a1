// Scheduler: strategies that choose which ready actor runs next, and the Boost.Fiber
// algorithm that asks them. Used only by Sim; every choice among >= 2 actors is a
// recorded decision (actor id), which is all `replay` needs to rerun a schedule.
#pragma once
#include <boost/fiber/algo/algorithm.hpp>
#include <boost/fiber/context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/prng.hpp"

namespace vdisim::sim {

struct Actor;

struct StrategySpec {
  enum class Kind { Random, Pct, Replay } kind = Kind::Random;
  int depth = 3;                        // pct: bug depth d
  std::int64_t pct_steps = 20000;       // pct: expected steps k for change points
  std::vector<std::uint32_t> decisions;  // replay: chosen actor ids in order
  std::string replay_file;              // replay: where decisions came from (for reports)

  // "random", "pct", "pct:3", "replay:FILE" (FILE holds decisions, see load_replay).
  static StrategySpec parse(const std::string &text);
  std::string to_string() const;
};

// Reads a decisions file: whitespace-separated actor ids, '#' comments.
std::vector<std::uint32_t> load_decisions(const std::string &path);

class Strategy {
 public:
  virtual ~Strategy() = default;
  // A new actor exists (assign priorities etc).
  virtual void on_spawn(Actor &) {}
  // Choose among candidates (size >= 2). `running` is the actor at the point, or null.
  virtual std::size_t choose(std::span<Actor *const> candidates, Actor *running,
                             std::uint64_t step) = 0;
  virtual bool diverged() const { return false; }
};

std::unique_ptr<Strategy> make_strategy(const StrategySpec &spec, Prng prng);

}  // namespace vdisim::sim
