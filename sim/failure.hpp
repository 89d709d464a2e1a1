// Failure: what went wrong in a run, structured (rule id from VRT_SPEC.md or a core rule
// such as DEADLOCK), with the seed and strategy that reproduce it and the trace tail.
// FailureError carries one through the stack of the actor that found it.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/trace.hpp"

namespace vdisim::sim {

struct Failure {
  std::string rule;     // e.g. "A5", "DEADLOCK", "LIVELOCK", "ASSERT"
  std::string message;  // one paragraph, names the objects involved
  std::string actor;    // name of the actor that found it ("main" for the run loop)
  std::int64_t time_ns = 0;
  std::uint64_t seed = 0;
  std::string strategy;
  std::vector<std::string> trace_tail;
  std::string summary() const;  // "RULE at t=...s in actor: message"
};

// Thrown inside an actor to end the run with a failure. Not derived from std::exception
// on purpose: director code or handlers catching std::exception must not swallow it.
struct FailureError {
  Failure failure;
};

// Thrown inside parked actors when the run ends, to unwind their stacks.
struct Cancelled {};

}  // namespace vdisim::sim
