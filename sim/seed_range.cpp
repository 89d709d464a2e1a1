#include "sim/seed_range.hpp"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

namespace vdisim::sim {

namespace {

std::uint64_t number(std::string_view text) {
  std::string_view s = (!text.empty() && text[0] == '+') ? text.substr(1) : text;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) throw std::invalid_argument(fmt::format("number '{}' is out of range", text));
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    throw std::invalid_argument(fmt::format("expected a non-negative integer, got '{}'", text));
  return v;
}

}  // namespace

SeedRange SeedRange::parse(std::string_view text) {
  auto dots = text.find("..");
  if (dots == std::string_view::npos) {
    std::uint64_t v = number(text);
    return {v, v};
  }
  SeedRange r{number(text.substr(0, dots)), number(text.substr(dots + 2))};
  if (r.first > r.last)
    throw std::invalid_argument(fmt::format("range start {} is greater than its end {}", r.first, r.last));
  if (r.last - r.first >= kMaxSeeds)
    throw std::invalid_argument(fmt::format("{} is more than {} seeds", text, kMaxSeeds));
  return r;
}

}  // namespace vdisim::sim
