// Seed ranges as text ("7", "1..50", a leading '+' allowed on each number) and parsed:
// the one parser of seed texts, with the one limit. The scenario loader (run.seeds, with
// file:line:col) and simrun (--seeds) both go through it and only add their prefix.
#pragma once
#include <cstdint>
#include <string_view>

namespace vdisim::sim {

struct SeedRange {
  // The most seeds one sweep runs: a sweep keeps a record per seed, so a range must not be
  // able to exhaust memory (docs/limits.md).
  static constexpr std::uint64_t kMaxSeeds = 100'000'000;
  std::uint64_t first = 1;
  std::uint64_t last = 1;  // >= first, at most kMaxSeeds seeds
  // Throws std::invalid_argument with a message naming what is wrong ("range start 9 is
  // greater than its end 3", "expected a non-negative integer, got 'many'", ...).
  static SeedRange parse(std::string_view text);
};

}  // namespace vdisim::sim
