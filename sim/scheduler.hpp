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
#include "sim/strategy_spec.hpp"

namespace vdisim::sim {

struct Actor;

class Strategy {
 public:
  virtual ~Strategy() = default;
  // A new actor exists (assign priorities etc).
  virtual void on_spawn(Actor &) {}
  // Choose among candidates (size >= 2). `running` is the actor at the point, or null.
  // Each candidate's `touch` says what its next step touches (Touch in actor.hpp).
  virtual std::size_t choose(std::span<Actor *const> candidates, Actor *running,
                             std::uint64_t step) = 0;
  virtual bool diverged() const { return false; }
};

std::unique_ptr<Strategy> make_strategy(const StrategySpec &spec, Prng prng);

}  // namespace vdisim::sim
