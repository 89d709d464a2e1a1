// Typed reading of YAML nodes with positions; see yaml_reader.hpp.
#include "sim/scenario/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "sim/scenario/durations.hpp"

namespace vdisim::scenario::detail {

Mark mark_of(const YNode& n) {
  const Mark m = n.mark();
  return m.line > 0 ? m : Mark{1, 1};
}

void fail(const Ctx& ctx, Mark at, const std::string& message) {
  throw LoadError(ctx.file, at.line, at.col, message);
}

Mark Field::mark() const {
  if (!node.IsDefined() || node.IsNull() || node.mark().line == 0) return key_mark;
  return mark_of(node);
}

void fail(const Ctx& ctx, const Field& f, const std::string& message) {
  fail(ctx, f.mark(), message);
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string_view trim_plus(std::string_view s) {
  return (!s.empty() && s[0] == '+') ? s.substr(1) : s;
}

// The scalar text of a field, or a type error naming what was expected.
const std::string& scalar(const Ctx& ctx, const Field& f, std::string_view expected) {
  if (!f.node.IsDefined() || !f.node.IsScalar())
    fail(ctx, f, fmt::format("{}: expected {}, got {}", f.key, expected, describe(f.node)));
  return f.node.Scalar();
}

}  // namespace

std::string suggest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return "";
  std::string w = lower(word), best;
  std::size_t best_d = std::numeric_limits<std::size_t>::max();
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(w, lower(c));
    if (d < best_d) best_d = d, best = c;
  }
  std::size_t limit = std::max<std::size_t>(2, w.size() / 3);
  if (best.empty() || best_d > limit || best_d >= w.size()) return "";
  return fmt::format("did you mean '{}'?", best);
}

std::string one_of(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) out += (i + 1 == choices.size()) ? " or " : ", ";
    out += choices[i];
  }
  return out;
}

std::string describe(const YNode& n) {
  if (!n.IsDefined() || n.IsNull()) return "an empty value";
  if (n.IsSequence()) return "a list";
  if (n.IsMap()) return "a map";
  const std::string& s = n.Scalar();
  if (s.size() > 40) return fmt::format("'{}...'", s.substr(0, 37));
  return fmt::format("'{}'", s);
}

MapReader::MapReader(const Ctx& ctx, const Field& f, std::string what,
                     std::vector<std::string> known, bool open)
    : ctx_(ctx), what_(std::move(what)), mark_(f.mark()) {
  if (!f.node.IsDefined() || f.node.IsNull()) return;
  if (!f.node.IsMap())
    fail(ctx, f, fmt::format("{}: expected a map, got {}", what_, describe(f.node)));
  for (const auto& [k, value] : f.node.pairs()) {
    Mark km = mark_of(k);
    if (!k.IsScalar())
      fail(ctx, km, fmt::format("keys in {} must be strings, got {}", what_, describe(k)));
    std::string key = k.Scalar();
    for (const auto& seen : fields_)
      if (seen.key == key)
        fail(ctx, km, fmt::format("duplicate key '{}' in {} (first at line {})", key, what_,
                                  seen.key_mark.line));
    if (!open && std::find(known.begin(), known.end(), key) == known.end()) {
      std::string hint = suggest(key, known);
      fail(ctx, km, hint.empty()
                        ? fmt::format("unknown key '{}' in {}; known keys: {}", key, what_,
                                      fmt::join(known, ", "))
                        : fmt::format("unknown key '{}' in {}; {}", key, what_, hint));
    }
    fields_.push_back(Field{key, km, value});
  }
}

std::optional<Field> MapReader::get(std::string_view key) const {
  for (const auto& f : fields_)
    if (f.key == key) return f;
  return std::nullopt;
}

Field MapReader::require(std::string_view key) const {
  auto f = get(key);
  if (!f) missing(key);
  return *f;
}

void MapReader::missing(std::string_view key, const std::string& why) const {
  fail(ctx_, mark_, fmt::format("missing required key '{}' in {}{}", key, what_, why));
}

std::vector<Field> read_list(const Ctx& ctx, const Field& f) {
  std::vector<Field> out;
  if (!f.node.IsDefined() || f.node.IsNull()) return out;
  if (!f.node.IsSequence())
    fail(ctx, f, fmt::format("{}: expected a list, got {}", f.key, describe(f.node)));
  std::size_t i = 0;
  for (const auto& item : f.node.items()) {
    Mark m = mark_of(item);
    if (item.IsNull()) m = f.mark();
    out.push_back(Field{fmt::format("{}[{}]", f.key, i++), m, item});
  }
  return out;
}

std::string read_string(const Ctx& ctx, const Field& f) {
  return scalar(ctx, f, "a string");
}

bool is_name(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string read_name(const Ctx& ctx, const Field& f) {
  const std::string& s = scalar(ctx, f, "a name");
  if (!is_name(s))
    fail(ctx, f, fmt::format("{}: invalid name {} (use letters, digits, '_' and '-', "
                             "starting with a letter)", f.key, describe(f.node)));
  return s;
}

std::int64_t read_int(const Ctx& ctx, const Field& f, std::int64_t lo, std::int64_t hi) {
  std::string_view s = trim_plus(scalar(ctx, f, "an integer"));
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range)
    fail(ctx, f, fmt::format("{}: number {} is out of range", f.key, describe(f.node)));
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    fail(ctx, f, fmt::format("{}: expected an integer, got {}", f.key, describe(f.node)));
  if (v < lo || v > hi) {
    if (hi == std::numeric_limits<std::int64_t>::max())
      fail(ctx, f, fmt::format("{}: must be at least {}, got {}", f.key, lo, v));
    fail(ctx, f, fmt::format("{}: must be between {} and {}, got {}", f.key, lo, hi, v));
  }
  return v;
}

double read_number(const Ctx& ctx, const Field& f, double lo, double hi) {
  std::string_view s = trim_plus(scalar(ctx, f, "a number"));
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || !std::isfinite(v))
    fail(ctx, f, fmt::format("{}: expected a number, got {}", f.key, describe(f.node)));
  if (v < lo || v > hi)
    fail(ctx, f, fmt::format("{}: must be between {} and {}, got {}", f.key, lo, hi, v));
  return v;
}

bool read_bool(const Ctx& ctx, const Field& f) {
  std::string s = lower(scalar(ctx, f, "true or false"));
  if (s == "true") return true;
  if (s == "false") return false;
  fail(ctx, f, fmt::format("{}: expected true or false, got {}", f.key, describe(f.node)));
}

std::int64_t read_duration(const Ctx& ctx, const Field& f, bool positive) {
  const std::string& s = scalar(ctx, f, "a duration");
  std::string why;
  auto v = parse_duration(s, &why);
  if (!v) fail(ctx, f, fmt::format("{}: {}", f.key, why));
  if (positive && *v == 0) fail(ctx, f, fmt::format("{}: must be greater than 0", f.key));
  return *v;
}

std::size_t read_choice(const Ctx& ctx, const Field& f, const std::vector<std::string>& choices) {
  const std::string& s = scalar(ctx, f, fmt::format("one of {}", one_of(choices)));
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == s) return i;
  std::string hint = suggest(s, choices);
  fail(ctx, f, hint.empty() ? fmt::format("{}: unknown value '{}' (expected {})", f.key, s,
                                          one_of(choices))
                            : fmt::format("{}: unknown value '{}'; {}", f.key, s, hint));
}

std::string host_port_problem(std::string_view s) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return "expected 'host:port'";
  std::string_view host = s.substr(0, colon), port = s.substr(colon + 1);
  if (host.front() == '[' && host.back() != ']') return "unbalanced '[' in host";
  for (char c : host)
    if (c == ' ' || c == '\t' || c == '/' || c == ',') return "host contains a bad character";
  int p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc() || end != port.data() + port.size() || p < 1 || p > 65535)
    return "port must be a number from 1 to 65535";
  return "";
}

std::string read_host_port(const Ctx& ctx, const Field& f) {
  const std::string& s = scalar(ctx, f, "'host:port'");
  std::string why = host_port_problem(s);
  if (!why.empty()) fail(ctx, f, fmt::format("{}: bad address '{}': {}", f.key, s, why));
  return s;
}

}  // namespace vdisim::scenario::detail
