// Durations as written in scenarios ("250ms", "1.5s", "1m30s", "0") <-> int64 ns.
// Used by the loader and by reports that print times back in the same notation.
// Pure functions: no YAML, no exceptions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vdisim::scenario {

// Units ns, us (or µs), ms, s, m, h; parts may be compound ("1m30s") and decimal
// ("1.5s") if the result is a whole number of ns. A bare "0" is accepted; any other
// number without a unit is not. On failure returns nullopt and sets *error.
std::optional<std::int64_t> parse_duration(std::string_view text, std::string* error);

// Shortest exact form: 0 -> "0s", 1'500'000'000 -> "1.5s", 90 s -> "1m30s".
std::string format_duration(std::int64_t ns);

}  // namespace vdisim::scenario
