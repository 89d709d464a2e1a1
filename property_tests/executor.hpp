// Runs one lifecycle case: its scenario (yaml_export.hpp) run by the scenario runner as
// simrun runs it, the model compared with the runtime at each phase's quiescent point,
// the event order (C3), the requests' VCLs and the CLI's output checked beside it. Every
// failure (a runtime rule, a model mismatch, a check) ends the run with a rule id. The
// checks leave no mark on the run: simrun replays the scenario with the same digest.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "property_tests/case.hpp"
#include "sim/fake_vrt/runtime.hpp"

namespace prop {

// Interleavings the runtime once mishandled (docs/property-tests.md, "Runtime bugs
// fixed"): a case that reaches one lists it in Outcome::seen, so the regression tests
// can show that the generated cases still get there.
inline constexpr const char *kSeenProbeTaskFrees = "backend freed by its cooling probe task (E5)";
inline constexpr const char *kSeenAddDuringSetHealth = "director added during backend.set_health (A7)";
inline constexpr const char *kSeenUseOfBusyVcl = "vcl.use of a BUSY VCL (C2)";
inline constexpr const char *kSeenResignDuringCold = "director resigned during a cold transition (A6/A7)";
inline constexpr const char *kSeenBusyAtCold = "cold transition found tasks in the VCL (C3)";

// VDISIM_PCT_STEPS or 300: PCT spreads its d-1 change points over that many steps, so
// it should be about a case's length (lifecycle cases run a few hundred steps).
std::int64_t pct_steps_default();

struct ExecOptions {
  vdisim::vrt::Regressions regressions;
  std::int64_t pct_steps = pct_steps_default();  // pct: expected length of a run in steps
  std::uint64_t step_budget = 4'000'000;
  // Each case in the worker child (child_cases.hpp): the vmod suites' code under test
  // may crash or keep globals that a failed run leaves pointing at freed memory; a crash
  // is the outcome CRASH and the case after a failed one starts in a fresh child.
  bool isolate = false;
};

struct Outcome {
  bool ok = true;
  std::string rule;     // VRT_SPEC rule id, core rule, or one of run_case's own checks (runtime_rule)
  std::string message;
  std::string actor;
  std::int64_t time_ns = 0;
  std::uint64_t digest = 0;
  std::uint64_t steps = 0;
  std::vector<std::uint32_t> decisions;
  std::vector<std::string> trace_tail;
  std::set<std::string> seen;  // kSeen* interleavings this case reached
  std::string summary() const;  // "RULE at t=..s in actor: message"
};

// A rule the run itself reports (a runtime or core rule, CRASH), so simrun reports it too;
// false for "" and for run_case's own checks beside the run (MODEL, C3, P-VCL), which
// simrun, without them, shows only by what they leave behind.
bool runtime_rule(const std::string &rule);

Outcome run_case(const Case &c, const ExecOptions &opts = {});
// run_case in a child when opts.isolate (in this process otherwise).
Outcome run_case_isolated(const Case &c, const ExecOptions &opts);

// A runtime regression switch by name ("assign_deref_first"); throws on unknown names.
vdisim::vrt::Regressions regressions_from(const std::vector<std::string> &names);

// The options a case runs with, as JSON for the worker child (child_cases.hpp), and back;
// `isolate` is not in it (the child runs the case where it is).
nlohmann::json options_json(const ExecOptions &o);
ExecOptions options_from(const nlohmann::json &j);

}  // namespace prop
