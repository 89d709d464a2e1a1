// Shared by the scenario loader tests: small YAML fragments and helpers that load text
// under a fixed file name. Test-only; never included by the library.
#pragma once
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "sim/scenario/loader.hpp"

namespace vdisim::scenario::testing {

inline const std::string kRun = "run: {duration: 60s}\n";
inline const std::string kVcl = R"(vcls:
  - name: boot
    backends:
      - {name: web1, host: 10.0.0.1:80}
      - {name: web2, host: 10.0.0.2:80}
)";

inline Scenario load(const std::string& text) { return load_string(text, "dir/test.yaml"); }

// `text` with 1..4 random edits (insert, erase a run, replace) drawn from `alphabet`: the
// robustness tests feed such texts to a reader that must end in a result or a LoadError.
inline std::string mutate(std::string t, std::mt19937_64& rng, const std::string& alphabet) {
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < edits && !t.empty(); ++k) {
    std::size_t at = rng() % t.size();
    char c = alphabet[rng() % alphabet.size()];
    if (rng() % 3 == 0) t.insert(at, 1, c);
    else if (rng() % 2 == 0) t.erase(at, 1 + rng() % 8);
    else t[at] = c;
  }
  return t;
}

// "line:col: message" of the error loading `text`, or "loaded".
inline std::string error_of(const std::string& text) {
  try {
    load(text);
  } catch (const LoadError& e) {
    return std::to_string(e.line) + ":" + std::to_string(e.col) + ": " + e.message;
  }
  return "loaded";
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Durations in nanoseconds, as the loader gives them.
inline constexpr std::int64_t kUs = 1'000, kMs = 1'000'000, kS = 1'000'000'000, kMin = 60 * kS;

}  // namespace vdisim::scenario::testing
