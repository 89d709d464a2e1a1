// Running a property with a case budget and reporting what it found: RapidCheck's
// checkTestable with our TestParams (RC_PARAMS still wins for seed, max_success, max_size
// and reproduce), the minimal failing case with its sim seed, strategy and RC_PARAMS line,
// and the case written as a scenario YAML under the test's temp dir.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "property_tests/case.hpp"
#include "property_tests/executor.hpp"
#include "property_tests/generators.hpp"

namespace prop {

struct Budget {
  int cases = 100;    // max_success unless RC_PARAMS sets it
  int max_size = 30;  // max_size unless RC_PARAMS sets it
  std::uint64_t seed = 0;  // RapidCheck seed unless RC_PARAMS sets it (0: from the property id)
};

struct Found {
  bool failed = false;
  int passed = 0;            // cases that passed before the first failure (or in all)
  int cases_to_failure = 0;  // passed + 1 when failed
  Case minimal;              // the shrunk case
  Outcome outcome;           // of the shrunk case
  std::string rc_params;     // RC_PARAMS="reproduce=..." for this property id
  std::string yaml_path;     // scenario written for the shrunk case ("" if none)
  std::string report;        // everything above, printable
  double seconds = 0;
  int executions = 0;        // cases run including shrinking
  std::map<std::string, int> seen;  // cases that reached each kSeen* interleaving
};

// A lifecycle property: generate (template, commands, seed, strategy), run it in one Sim.
struct LifecycleProperty {
  std::string id;  // unique per test; keys RC_PARAMS reproduce and the seed
  GenConfig gen;
  ExecOptions exec;
  int max_pct_depth = 3;
  int strategy = -1;  // -1: random or pct:1..max_pct_depth; 0: random only; d: pct:d only
  // Acceptance of an outcome; default: ok.
  std::function<bool(const Outcome &)> passes;
};

Found check_lifecycle(const LifecycleProperty &p, const Budget &b);

// A generic property (director properties): the body returns "" or why it failed and
// fills the case text to print; wrapped the same way (budget, RC_PARAMS, report).
Found check_generic(const std::string &id, const Budget &b, const std::function<std::string(std::string *shown)> &body);

// The test's scratch directory for scenario files (gtest TempDir()/vdisim-prop).
std::string scratch_dir();
// The simrun that reruns a shrunk case's scenario, as the reports name it: set by the
// program's main (the installed suite: the simrun beside it; the in-tree tests: the one
// built with them); "simrun" until then.
void set_simrun_program(std::string path);
const std::string &simrun_program();
std::uint64_t seed_for(const std::string &id);
// Whether RC_PARAMS sets `key` (then the budget does not override it).
bool rc_param_set(const std::string &key);
// VDISIM_ISOLATE=1: every case runs in a child process (ExecOptions::isolate), so that a
// crash of the code under test is a failure that is shrunk (the crash note's rerun).
bool isolate_from_env();

}  // namespace prop
