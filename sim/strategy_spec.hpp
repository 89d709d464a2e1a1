// How a run chooses among ready actors, as text ("random", "pct:3", "pos", "replay:FILE")
// and parsed. Kept apart from the scheduler so that the scenario model can hold one
// without the Boost.Fiber headers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vdisim::sim {

struct StrategySpec {
  enum class Kind { Random, Pct, Pos, Portfolio, Replay } kind = Kind::Random;
  int depth = 3;                        // pct: bug depth d
  std::int64_t pct_steps = 20000;       // pct: expected steps k for change points
  std::vector<std::uint32_t> decisions;  // replay: chosen actor ids in order
  std::string replay_file;              // replay: where decisions came from (for reports)

  // "random", "pct", "pct:3", "pos", "portfolio" (each seed draws one of random, pct:3 and
  // pos: the default a user need not choose), "replay:FILE" (FILE holds decisions, see
  // load_decisions; read now unless load is false). The one parser of strategy texts: the
  // CLI, the scenario loader and the property tests all go through it.
  static StrategySpec parse(const std::string &text, bool load = true);
  static constexpr int kMaxPctDepth = 64;
  static constexpr const char *kForms = "random, pct, pct:D (D in 1..64), pos, portfolio or replay:FILE";
  std::string to_string() const;
};

// Reads a decisions file: whitespace-separated actor ids, '#' comments.
std::vector<std::uint32_t> load_decisions(const std::string &path);

}  // namespace vdisim::sim
