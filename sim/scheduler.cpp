// Strategies: random, PCT, POS, replay and the prefix runs of dfs and shrinking.
#include "sim/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "sim/actor.hpp"

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
// the highest-priority ready actor always runs, and at d-1 change points the actor about to
// run drops to priority i (1..d-1). Change points are drawn over *racing* steps only: the
// chosen step and a pending one conflict, or one of the two says what it touches and the
// other does not (Touch::may_race either way). Steps that race with nobody cannot order a
// bug, so a long run does not dilute PCT's 1/(n k^(d-1)): k counts racing steps only.
class PctStrategy final : public Strategy {
 public:
  PctStrategy(Prng p, int depth, std::int64_t k) : prng_(p) {
    for (int i = 1; i < depth; i++)
      change_points_.push_back(1 + prng_.below(static_cast<std::uint64_t>(std::max<std::int64_t>(k, 1))));
    std::sort(change_points_.begin(), change_points_.end());
    depth_ = static_cast<std::uint64_t>(depth);
  }
  void on_spawn(Actor &a) override {
    // High bits random, low bits the id: distinct, and all above the change-point range.
    prio_[a] = ((prng_.next() >> 24) << 20 | (a.id & 0xfffff)) + depth_ + (1ULL << 40);
  }
  std::size_t choose(std::span<Actor *const> c, Actor *, std::uint64_t) override {
    std::size_t best = highest(c);
    // A change point lowers the racing step's actor before it runs, so the steps it races
    // with go first; one drawn twice lowers the next racer too.
    if (next_change_ < change_points_.size() && races(c, best) && ++racing_ == change_points_[next_change_]) {
      while (next_change_ < change_points_.size() && change_points_[next_change_] == racing_) {
        prio_[*c[best]] = next_change_ + 1;
        next_change_++;
        best = highest(c);
      }
    }
    return best;
  }

 private:
  std::size_t highest(std::span<Actor *const> c) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < c.size(); i++)
      if (prio_[*c[i]] > prio_[*c[best]]) best = i;
    return best;
  }
  static bool races(std::span<Actor *const> c, std::size_t i) {
    for (std::size_t j = 0; j < c.size(); j++)
      if (j != i && (c[i]->touch.may_race(c[j]->touch) || c[j]->touch.may_race(c[i]->touch))) return true;
    return false;
  }
  Prng prng_;
  ByActor prio_;
  std::vector<std::uint64_t> change_points_;
  std::size_t next_change_ = 0;
  std::uint64_t racing_ = 0;  // racing steps seen
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

// Follows a prefix of chosen actor ids (0: default), then default choices: the running
// actor goes on if it can, else the lowest id runs. A prefix naming an actor that cannot
// run takes the default too, so an edited schedule never diverges: the dfs driver and
// schedule shrinking (explore.hpp) run every schedule through it. Keyed (spec.keyed), a
// choice is found by who is at it and how many such choices it had before, not by position.
class PrefixStrategy final : public Strategy {
 public:
  PrefixStrategy(const std::vector<std::uint32_t> &d, bool keyed) : keyed_(keyed) {
    if (!keyed) {
      prefix_ = d;
      return;
    }
    for (std::size_t i = 0; i + 2 < d.size(); i += 3) by_key_[{d[i], d[i + 1]}] = d[i + 2];
  }
  std::size_t choose(std::span<Actor *const> c, Actor *running, std::uint64_t) override {
    std::size_t at = c.size(), lowest = 0;
    for (std::size_t i = 0; i < c.size(); i++) {
      if (c[i] == running) at = i;
      if (c[i]->id < c[lowest]->id) lowest = i;
    }
    std::uint32_t want = 0;
    if (keyed_) {
      std::uint32_t who = at < c.size() ? running->id : 0;
      std::uint32_t n = seen_[who]++;
      if (auto it = by_key_.find({who, n}); it != by_key_.end()) want = it->second;
    } else if (next_ < prefix_.size()) {
      want = prefix_[next_];
    }
    next_++;
    for (std::size_t i = 0; want && i < c.size(); i++)
      if (c[i]->id == want) return i;
    return at < c.size() ? at : lowest;  // the default
  }

 private:
  bool keyed_;
  std::vector<std::uint32_t> prefix_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> by_key_;
  std::map<std::uint32_t, std::uint32_t> seen_;
  std::size_t next_ = 0;
};

}  // namespace

// Racing steps a run is assumed to have when pct's k is not given. Measured on the race
// mutants' scenarios (docs/mutants.md): 2,000 found the most of k in 50..5,000.
constexpr std::int64_t kDefaultRacingSteps = 2000;

std::unique_ptr<Strategy> make_strategy(const StrategySpec &spec, Prng prng) {
  switch (spec.kind) {
    case StrategySpec::Kind::Random: return std::make_unique<RandomStrategy>(prng);
    case StrategySpec::Kind::Pct: return std::make_unique<PctStrategy>(prng, spec.depth, spec.pct_steps > 0 ? spec.pct_steps : kDefaultRacingSteps);
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
    case StrategySpec::Kind::Dfs: return std::make_unique<PrefixStrategy>(spec.decisions, spec.keyed);
  }
  return nullptr;
}

}  // namespace vdisim::sim
