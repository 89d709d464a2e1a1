// Chrome trace-event JSON (loads in Perfetto and chrome://tracing) from a run's events:
// one track per actor, refcount counter tracks per director, health tracks per backend.
#pragma once
#include <nlohmann/json.hpp>
#include <vector>

#include "sim/trace.hpp"

namespace vdisim::simrun {

nlohmann::json chrome_trace(const std::vector<sim::Event> &events);

}  // namespace vdisim::simrun
