// The property suites the tests run: lifecycle profiles (general, resolver-heavy), the
// director-property check, budgets (CI vs soak) and the "cases to first failure" tables
// that regressions_test and mutants_test print and docs/property-tests.md keeps.
#pragma once
#include <string>
#include <vector>

#include "property_tests/director_props.hpp"
#include "property_tests/prop_support.hpp"

namespace prop {

// General lifecycle profile over these director types (templates and director.new).
LifecycleProperty lifecycle(const std::string &id, std::vector<std::string> types);
// Resolver-heavy profile: dynamic directors of `type`, answers racing traffic and
// temperature changes (what vmod_dynamic's resolver thread does).
LifecycleProperty dynamic_profile(const std::string &id, const std::string &type);

// Director properties (flat: depth 0, nested: depth 1) with the director under test at the root.
Found check_director(const std::string &id, const DirGenConfig &cfg, const Budget &b, const ExecOptions &o = {});
DirGenConfig director_config(const std::string &root, int depth, int strategy = -1);

// The CI budget, or VDISIM_SOAK_CASES when the soak label runs the property.
Budget budget(int ci_cases, int max_size = 30);

// One row of a "cases to first failure" table.
struct KillRow {
  std::string name;      // switch or mutant
  std::string property;  // which property found it
  int random_cases = 0;  // cases to first failure with `random` (0: not found)
  int pct_cases = 0;     // ... with `pct:3`
  std::string rule;      // rule of the shrunk failure
  std::string note;
};
// Prints the table and writes it as Markdown to scratch_dir()/<file>.
std::string print_table(const std::string &title, const std::vector<KillRow> &rows, int budget, const std::string &file);

}  // namespace prop
