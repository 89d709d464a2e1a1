// Duration text <-> ns. Exact decimal arithmetic (no floating point), so "0.1s" is
// exactly 100'000'000 ns and a file means the same on every machine.
#include "sim/scenario/durations.hpp"

#include <fmt/format.h>

#include <array>
#include <limits>

namespace vdisim::scenario {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ns;
};
constexpr std::array<Unit, 7> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"\xC2\xB5s", 1'000},  // µs
                                      {"ms", 1'000'000},
                                      {"s", 1'000'000'000},
                                      {"m", 60'000'000'000},
                                      {"h", 3'600'000'000'000}}};
constexpr std::string_view kUnitList = "use ns, us, ms, s, m or h";
constexpr __int128 kMax = std::numeric_limits<std::int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_unit_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                   static_cast<unsigned char>(c) >= 0x80; }

struct Part {
  std::string_view int_digits, frac_digits, unit;
};

// Scans one "<digits>[.<digits>]<unit>" starting at *pos. Returns an error text or "".
std::string scan_part(std::string_view t, std::size_t* pos, Part* p) {
  std::size_t i = *pos, b = i;
  while (i < t.size() && is_digit(t[i])) ++i;
  p->int_digits = t.substr(b, i - b);
  if (i < t.size() && t[i] == '.') {
    std::size_t f = ++i;
    while (i < t.size() && is_digit(t[i])) ++i;
    p->frac_digits = t.substr(f, i - f);
    if (p->frac_digits.empty()) return "expected digits after '.'";
  }
  if (p->int_digits.empty() && p->frac_digits.empty())
    return fmt::format("expected a number at '{}'", t.substr(b));
  std::size_t u = i;
  while (i < t.size() && is_unit_char(t[i])) ++i;
  p->unit = t.substr(u, i - u);
  *pos = i;
  return "";
}

const Unit* find_unit(std::string_view name) {
  for (const auto& u : kUnits)
    if (u.name == name) return &u;
  return nullptr;
}

// Value of one part in ns, or an error text.
std::string part_value(const Part& p, __int128* out) {
  if (p.int_digits.size() > 19 || p.frac_digits.size() > 18) return "too large or too precise";
  const Unit* u = find_unit(p.unit);
  if (!u) return fmt::format("unknown unit '{}' ({})", p.unit, kUnitList);
  __int128 ip = 0, fp = 0, scale = 1;
  for (char c : p.int_digits) ip = ip * 10 + (c - '0');
  for (char c : p.frac_digits) fp = fp * 10 + (c - '0'), scale *= 10;
  __int128 frac_ns = fp * u->ns;
  if (frac_ns % scale != 0) return "not a whole number of nanoseconds";
  *out = ip * u->ns + frac_ns / scale;
  return "";
}

bool all_numeric(std::string_view t) {
  for (char c : t)
    if (!is_digit(c) && c != '.') return false;
  return true;
}

}  // namespace

std::optional<std::int64_t> parse_duration(std::string_view text, std::string* error) {
  auto bad = [&](const std::string& why) -> std::optional<std::int64_t> {
    *error = fmt::format("bad duration '{}': {}", text, why);
    return std::nullopt;
  };
  if (text.empty()) return bad("empty");
  if (text[0] == '-') return bad("must not be negative");
  if (text == "0") return 0;
  if (all_numeric(text))
    return bad(fmt::format("missing unit ({}, e.g. '{}s')", kUnitList, text));
  __int128 total = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    Part p;
    std::string why = scan_part(text, &pos, &p);
    if (why.empty() && p.unit.empty()) why = fmt::format("missing unit after '{}'", p.int_digits);
    __int128 v = 0;
    if (why.empty()) why = part_value(p, &v);
    if (!why.empty()) return bad(why);
    total += v;
    if (total > kMax) return bad("too large");
  }
  return static_cast<std::int64_t>(total);
}

std::string format_duration(std::int64_t ns) {
  if (ns < 0) {
    if (ns == std::numeric_limits<std::int64_t>::min()) return "-292y";  // not representable
    return "-" + format_duration(-ns);
  }
  constexpr std::int64_t S = 1'000'000'000, M = 60 * S, H = 60 * M;
  if (ns == 0) return "0s";
  if (ns < S) {
    if (ns % 1'000'000 == 0) return fmt::format("{}ms", ns / 1'000'000);
    if (ns % 1'000 == 0) return fmt::format("{}us", ns / 1'000);
    return fmt::format("{}ns", ns);
  }
  std::string out;
  if (ns >= H) out += fmt::format("{}h", ns / H), ns %= H;
  if (ns >= M) out += fmt::format("{}m", ns / M), ns %= M;
  if (ns == 0) return out;
  std::string frac = fmt::format("{:09}", ns % S);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  out += fmt::format("{}", ns / S);
  if (!frac.empty()) out += "." + frac;
  return out + "s";
}

}  // namespace vdisim::scenario
