// How a run chooses among ready actors, as text ("random", "pct:3", "pos", "replay:FILE")
// and parsed. Kept apart from the scheduler so that the scenario model can hold one
// without the Boost.Fiber headers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vdisim::sim {

struct StrategySpec {
  enum class Kind { Random, Pct, Pos, Portfolio, Replay, Dfs } kind = Kind::Random;
  int depth = 3;                        // pct: bug depth d; dfs: preemption bound P
  std::int64_t pct_steps = 0;  // pct: expected racing steps k for change points (0: the default)
  // replay: chosen actor ids in order. dfs: the prefix to follow (0 = the default choice:
  // the running actor goes on, else the lowest id), default choices after it.
  std::vector<std::uint32_t> decisions;
  // dfs with keyed: decisions are triples (actor, n, chosen): when `actor` is at its n-th
  // choice (0 = the n-th choice nobody was at), `chosen` runs. Edits elsewhere in the
  // schedule do not shift them (schedule shrinking, explore.hpp).
  bool keyed = false;
  std::string replay_file;              // replay: where decisions came from (for reports)

  // "random", "pct", "pct:3", "pos", "portfolio" (each seed draws one of random, pct:3 and
  // pos: the default a user need not choose), "replay:FILE" (FILE holds decisions, see
  // load_decisions; read now unless load is false). The one parser of strategy texts: the
  // CLI, the scenario loader and the property tests all go through it.
  static StrategySpec parse(const std::string &text, bool load = true);
  // "dfs:P": every schedule with at most P preemptions, one run each (simrun drives it,
  // explore.hpp); a single run is the prefix in `decisions` followed by default choices.
  static constexpr int kMaxPctDepth = 64;
  static constexpr int kMaxPreemptions = 8;
  static constexpr const char *kForms =
      "random, pct, pct:D (D in 1..64), pos, portfolio, dfs:P (P in 0..8) or replay:FILE";
  std::string to_string() const;
};

// Reads a decisions file: whitespace-separated actor ids, '#' comments.
std::vector<std::uint32_t> load_decisions(const std::string &path);

}  // namespace vdisim::sim
