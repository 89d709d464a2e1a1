// Strategies (random, PCT, replay) and parsing of strategy specs.
#include "sim/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sim/sim.hpp"

namespace vdisim::sim {

StrategySpec StrategySpec::parse(const std::string &text) {
  StrategySpec s;
  if (text == "random") return s;
  if (text == "pct" || text.rfind("pct:", 0) == 0) {
    s.kind = Kind::Pct;
    if (text.size() > 4) {
      std::size_t used = 0;
      int d = 0;
      try {
        d = std::stoi(text.substr(4), &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != text.size() - 4 || d < 1 || d > 64)
        throw std::invalid_argument(fmt::format("bad pct depth in '{}': expected pct:D with D in 1..64", text));
      s.depth = d;
    }
    return s;
  }
  if (text.rfind("replay:", 0) == 0) {
    s.kind = Kind::Replay;
    s.replay_file = text.substr(7);
    s.decisions = load_decisions(s.replay_file);
    return s;
  }
  throw std::invalid_argument(fmt::format("unknown strategy '{}': expected random, pct, pct:D or replay:FILE", text));
}

std::string StrategySpec::to_string() const {
  switch (kind) {
    case Kind::Random: return "random";
    case Kind::Pct: return fmt::format("pct:{}", depth);
    case Kind::Replay: return "replay:" + replay_file;
  }
  return "?";
}

std::vector<std::uint32_t> load_decisions(const std::string &path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(fmt::format("cannot read replay file '{}'", path));
  std::vector<std::uint32_t> out;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    lineno++;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      std::size_t used = 0;
      unsigned long v = 0;
      try {
        v = std::stoul(w, &used);
      } catch (const std::exception &) {
        used = 0;
      }
      if (used != w.size() || v > UINT32_MAX)
        throw std::invalid_argument(fmt::format("{}:{}: bad decision '{}' (expected an actor id)", path, lineno, w));
      out.push_back(static_cast<std::uint32_t>(v));
    }
  }
  return out;
}

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
    a.pct_priority = ((prng_.next() >> 24) << 20 | (a.id & 0xfffff)) + depth_ + (1ULL << 40);
  }
  std::size_t choose(std::span<Actor *const> c, Actor *running, std::uint64_t step) override {
    while (next_change_ < change_points_.size() && change_points_[next_change_] <= step) {
      if (running) running->pct_priority = next_change_ + 1;
      next_change_++;
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < c.size(); i++)
      if (c[i]->pct_priority > c[best]->pct_priority) best = i;
    return best;
  }

 private:
  Prng prng_;
  std::vector<std::uint64_t> change_points_;
  std::size_t next_change_ = 0;
  std::uint64_t depth_ = 3;
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
    case StrategySpec::Kind::Replay: return std::make_unique<ReplayStrategy>(spec.decisions);
  }
  return nullptr;
}

}  // namespace vdisim::sim
