// Prng implementation: splitmix64 seeding, xoshiro256** generation.
#include "sim/prng.hpp"

#include <cassert>

namespace vdisim::sim {

std::uint64_t splitmix64(std::uint64_t &state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t h) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

void Prng::reseed(std::uint64_t seed) {
  seed_ = seed;
  std::uint64_t st = seed;
  for (auto &w : s_) w = splitmix64(st);
}

static inline std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::uint64_t Prng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Prng::below(std::uint64_t bound) {
  assert(bound > 0);
  for (;;) {
    unsigned __int128 m = static_cast<unsigned __int128>(next()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low >= bound || low >= (-bound) % bound) return static_cast<std::uint64_t>(m >> 64);
  }
}

double Prng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

Prng Prng::stream(std::string_view name) const {
  std::uint64_t st = seed_ ^ fnv1a64(name);
  return Prng(splitmix64(st));
}

}  // namespace vdisim::sim
