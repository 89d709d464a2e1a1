// Prng: the one source of chance in a run. Seeded from the run seed; named sub-streams
// are derived by hashing the name, so adding a consumer never shifts another's draws.
// Never seed from the wall clock or the address of anything.
#pragma once
#include <cstdint>
#include <string_view>

namespace vdisim::sim {

std::uint64_t splitmix64(std::uint64_t &state);
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t h = 0xcbf29ce484222325ULL);

// xoshiro256** (Blackman & Vigna): fast, 256-bit state, good enough for schedules.
class Prng {
 public:
  explicit Prng(std::uint64_t seed = 0) { reseed(seed); }
  void reseed(std::uint64_t seed);
  std::uint64_t next();
  // Uniform in [0, bound); bound > 0. Lemire's multiply-shift with rejection.
  std::uint64_t below(std::uint64_t bound);
  // Uniform double in [0, 1) with 53 bits.
  double unit();
  // A sub-stream derived from this stream's seed and a name; independent of draws so far.
  Prng stream(std::string_view name) const;
  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_ = 0;
  std::uint64_t s_[4] = {};
};

}  // namespace vdisim::sim
