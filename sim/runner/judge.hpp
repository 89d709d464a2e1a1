// A run's verdict: the scenario's `expect:` against what the run did.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/runner/runner.hpp"
#include "sim/scenario/model.hpp"

namespace vdisim::runner {

// What a run showed that its RunResult does not hold.
struct Observed {
  std::map<std::string, std::int64_t> discarded_at;  // VCL name -> when it was discarded
  std::map<std::string, std::vector<scenario::VclEvent>> vmod_events;  // of the VCLs with expect_events
};

// Sets r.outcome ("pass", "fail", or "not_hit" for `expect: failure` not reached), r.rule,
// r.message and r.unmet from s.expect, the failure in r.report and r.backends.
void judge(const scenario::Scenario &s, const Observed &seen, RunResult &r);

}  // namespace vdisim::runner
