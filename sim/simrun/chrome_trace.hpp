// Chrome trace-event JSON (loads in Perfetto and chrome://tracing) from a run's events:
// one track per actor, refcount counter tracks per director, health tracks per backend.
// Decision, timer and lock events are not drawn.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/trace.hpp"

namespace vdisim::simrun {

// `dropped`: events past run.max_trace_events, not in `events`; said in "otherData".
nlohmann::json chrome_trace(const std::vector<sim::Event> &events, std::uint64_t dropped = 0);

}  // namespace vdisim::simrun
