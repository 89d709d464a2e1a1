// Internal to the scenario loader: typed, position-aware reading of YAML nodes (yaml_node.hpp).
// Every check failure throws LoadError at the offending node. Reads only what the schema
// asks for (never walks a node generically), so aliased cycles cannot recurse forever.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/yaml_node.hpp"

namespace vdisim::scenario::detail {

struct Ctx {
  std::string file;
};

Mark mark_of(const YNode& n);
[[noreturn]] void fail(const Ctx& ctx, Mark at, const std::string& message);

// A value together with the key (or "list[i]") it was found under.
struct Field {
  std::string key;
  Mark key_mark;
  YNode node;
  Mark mark() const;  // the value's position, or the key's when the value is empty
};
[[noreturn]] void fail(const Ctx& ctx, const Field& f, const std::string& message);

// " did you mean 'x'?" ("" when nothing is close) and "a, b or c".
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);
std::string one_of(const std::vector<std::string>& choices);
std::string describe(const YNode& n);  // "a map", "a list", "an empty value", "'txt'"

// A YAML map read by key: rejects non-maps, non-scalar and duplicate keys, and (unless
// `open`) keys outside `known`. An empty value counts as an empty map.
class MapReader {
 public:
  MapReader(const Ctx& ctx, const Field& f, std::string what, std::vector<std::string> known,
            bool open = false);
  std::optional<Field> get(std::string_view key) const;
  Field require(std::string_view key) const;
  const std::vector<Field>& fields() const { return fields_; }
  Mark mark() const { return mark_; }
  const std::string& what() const { return what_; }
  [[noreturn]] void missing(std::string_view key, const std::string& why = "") const;

 private:
  const Ctx& ctx_;
  std::string what_;
  Mark mark_;
  std::vector<Field> fields_;
};

// List items as Fields named "key[i]"; an empty value is an empty list.
std::vector<Field> read_list(const Ctx& ctx, const Field& f);

std::string read_string(const Ctx& ctx, const Field& f);
std::string read_name(const Ctx& ctx, const Field& f);  // [A-Za-z][A-Za-z0-9_-]*
std::int64_t read_int(const Ctx& ctx, const Field& f, std::int64_t lo, std::int64_t hi);
double read_number(const Ctx& ctx, const Field& f, double lo, double hi);
bool read_bool(const Ctx& ctx, const Field& f);
// positive: > 0 required, else >= 0.
std::int64_t read_duration(const Ctx& ctx, const Field& f, bool positive);
// Index into choices; "state: unknown value 'x' (expected a, b or c)".
std::size_t read_choice(const Ctx& ctx, const Field& f, const std::vector<std::string>& choices);
std::string read_host_port(const Ctx& ctx, const Field& f);

bool is_name(std::string_view s);
// "" if s is "host:port" with a port in 1..65535, else why not.
std::string host_port_problem(std::string_view s);

}  // namespace vdisim::scenario::detail
