// Turns a (shrunk) lifecycle case into a simrun scenario (docs/scenario-format.md) so a
// found bug becomes a regression scenario: the template becomes the VCL definitions, CLI
// ops the timeline (add/remove_backend and set_health of template objects too), endpoint
// flips server scripts, requests generators of exactly their requests (a re-assignment:
// hint_again), objects made and ended at run time timeline new:/fini:/backend_new:/
// backend_delete:, each op on its actor. Ops the format cannot express (an op on a load of
// a VCL that a newer load of the same name hides) are listed in a comment and left out.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "property_tests/case.hpp"
#include "property_tests/executor.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/model.hpp"

namespace prop {

struct ScenarioExport {
  std::string yaml;
  std::vector<std::string> dropped;  // ops left out, one line each
};

// expect_rule: the rule the scenario must fail with ("" = no expectation written). The
// scenario runs the case's seed and strategy with the options' regression switches, PCT
// run length and step budget, so simrun replays the case's run: run_case runs this
// scenario. `described`: the scenario starts with the case in words, as comments (a file
// for people); run_case, which only loads it, leaves them out (the parser reads every byte).
ScenarioExport to_scenario(const Case &c, const std::string &name, const ExecOptions &opts,
                           const std::string &expect_rule, bool described = true);

// How a property case's scenario starts (lifecycle and director cases alike): `about` and
// the case's text form `shown` as comments (none when `about` is empty), version and name, `run:` with the duration,
// the case's seed and strategy, the options' pct_steps (pct) and step budget, and
// `extra_run` (more run: lines, "  key: value\n"), then the options' regression switches.
void case_head(std::ostream &os, const std::string &about, const std::string &shown, const std::string &name,
               std::int64_t duration_ns, std::uint64_t seed, const StrategyChoice &strategy, const ExecOptions &opts,
               const std::string &extra_run = "");

// The run a case's scenario names, as simrun runs it: its first seed and its strategy
// (run: pct_steps included).
vdisim::runner::RunRequest own_run(const vdisim::scenario::Scenario &sc);

// One entry of a VCL's `directors:` list as the loader reads it (docs/scenario-format.md):
// members by name, a weight where the type is weighted and it is not 1, a fallback's
// sticky, a dynamic director's resolver and probe (a flow map such as "{interval: 20ms,
// ...}"; "" for none).
struct DirectorEntry {
  std::string name, type;
  std::vector<std::string> members;
  std::vector<int> weights;  // one per member
  bool sticky = false;
  std::string resolver, probe;
};
std::string director_yaml(const DirectorEntry &d);
// The arguments of a timeline `call: "DIR.add_backend(ARGS)"` adding `member` with `weight`
// to a director of `type` (TypeTraits::weight_arg); "" when the weight cannot be written.
std::string add_backend_args(const std::string &type, const std::string &member, double weight);

// The hosts of mask ("h0:80" for bit 0, ...) as a YAML flow list: a resolver's answer.
std::string answer_list(int mask);

// `vmods: [...]` naming the .so files (absolute) that the modules of these director types
// were loaded from ("VMOD.OBJECT" or "VMOD"; linked-in and built-in modules need none), so the file
// reruns with the plain simrun; "" when there is none.
std::string vmods_yaml(const std::vector<std::string> &types);

// Writes it under dir (created if missing); returns the path.
std::string write_scenario(const ScenarioExport &s, const std::string &dir, const std::string &name);

}  // namespace prop
