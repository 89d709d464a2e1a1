// Strategies: random, PCT, POS and replay.
#include "sim/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "sim/sim.hpp"

namespace vdisim::sim {

namespace {

class RandomStrategy final : public Strategy {
 public:
  explicit RandomStrategy(Prng p) : prng_(p) {}
  std::size_t choose(std::span<Actor *const> c, Actor *, std::uint64_t) override {
    return static_cast<std::size_t>(prng_.below(c.size()));
  }

 private:
  Prng prng_;
};

// Per-actor numbers a strategy keeps for itself, indexed by actor id.
class ByActor {
 public:
  std::uint64_t &operator[](const Actor &a) {
    if (a.id >= v_.size()) v_.resize(a.id + 1, 0);
    return v_[a.id];
  }

 private:
  std::vector<std::uint64_t> v_;
};

// PCT (Burckhardt et al., ASPLOS 2010): actors get distinct random priorities above d;
// at d-1 random steps the running actor drops to priority i (1..d-1); the highest-priority
// ready actor always runs. Finds any depth-d bug with probability >= 1/(n k^(d-1)).
class PctStrategy final : public Strategy {
 public:
  PctStrategy(Prng p, int depth, std::int64_t steps) : prng_(p) {
    for (int i = 1; i < depth; i++) {
      change_points_.push_back(1 + prng_.below(static_cast<std::uint64_t>(std::max<std::int64_t>(steps, 1))));
    }
    std::sort(change_points_.begin(), change_points_.end());
    depth_ = static_cast<std::uint64_t>(depth);
  }
  void on_spawn(Actor &a) override {
    // High bits random, low bits the id: distinct, and all above the change-point range.
    prio_[a] = ((prng_.next() >> 24) << 20 | (a.id & 0xfffff)) + depth_ + (1ULL << 40);
  }
  std::size_t choose(std::span<Actor *const> c, Actor *running, std::uint64_t step) override {
    // A change point lowers the actor at the point. After a park or an actor's end there
    // is none (running is null): the change point waits for the next step that has one
    // instead of being used up on nobody.
    while (running && next_change_ < change_points_.size() && change_points_[next_change_] <= step) {
      prio_[*running] = next_change_ + 1;
      next_change_++;
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < c.size(); i++)
      if (prio_[*c[i]] > prio_[*c[best]]) best = i;
    return best;
  }

 private:
  Prng prng_;
  ByActor prio_;
  std::vector<std::uint64_t> change_points_;
  std::size_t next_change_ = 0;
  std::uint64_t depth_ = 3;
};

// POS, Partial Order Sampling (Yuan et al., CAV 2018): every pending step has a random
// priority and the highest runs. Once a step ran, the actor's next step draws a new one,
// and so does every pending step that conflicts with the one that ran (same object, one
// of them writing): racing steps get a fresh, independent chance to go first, while steps
// that do not race keep their order. Each ordering of racing steps is sampled far more
// evenly than under random walks, and no step count bounds its guarantee as in PCT.
class PosStrategy final : public Strategy {
 public:
  explicit PosStrategy(Prng p) : prng_(p) {}
  void on_spawn(Actor &a) override { prio_[a] = draw(); }
  std::size_t choose(std::span<Actor *const> c, Actor *running, std::uint64_t) override {
    if (running) prio_[*running] = draw();  // its step ran: a new one is pending
    std::size_t best = 0;
    for (std::size_t i = 1; i < c.size(); i++)
      if (prio_[*c[i]] > prio_[*c[best]]) best = i;
    const Touch &t = c[best]->touch;
    for (std::size_t i = 0; i < c.size(); i++)
      if (i != best && t.conflicts(c[i]->touch)) prio_[*c[i]] = draw();
    return best;
  }

 private:
  std::uint64_t draw() { return prng_.next() | 1; }
  Prng prng_;
  ByActor prio_;
};

class ReplayStrategy final : public Strategy {
 public:
  explicit ReplayStrategy(std::vector<std::uint32_t> d) : decisions_(std::move(d)) {}
  std::size_t choose(std::span<Actor *const> c, Actor *, std::uint64_t) override {
    if (next_ < decisions_.size()) {
      std::uint32_t want = decisions_[next_++];
      for (std::size_t i = 0; i < c.size(); i++)
        if (c[i]->id == want) return i;
    }
    diverged_ = true;
    return 0;
  }
  bool diverged() const override { return diverged_; }

 private:
  std::vector<std::uint32_t> decisions_;
  std::size_t next_ = 0;
  bool diverged_ = false;
};

}  // namespace

std::unique_ptr<Strategy> make_strategy(const StrategySpec &spec, Prng prng) {
  switch (spec.kind) {
    case StrategySpec::Kind::Random: return std::make_unique<RandomStrategy>(prng);
    case StrategySpec::Kind::Pct: return std::make_unique<PctStrategy>(prng, spec.depth, spec.pct_steps);
    case StrategySpec::Kind::Pos: return std::make_unique<PosStrategy>(prng);
    case StrategySpec::Kind::Portfolio: {
      // One of the three per seed, drawn from the seed's own stream: the same seed is the
      // same schedule, and a sweep spreads its seeds over all three.
      StrategySpec one = spec;
      static const StrategySpec::Kind kinds[] = {StrategySpec::Kind::Random, StrategySpec::Kind::Pct,
                                                  StrategySpec::Kind::Pos};
      one.kind = kinds[prng.stream("portfolio").below(3)];
      return make_strategy(one, prng);
    }
    case StrategySpec::Kind::Replay: return std::make_unique<ReplayStrategy>(spec.decisions);
  }
  return nullptr;
}

}  // namespace vdisim::sim
