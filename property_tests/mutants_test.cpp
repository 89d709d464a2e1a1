// Every mutant in directors/mutants/ is found by the property tests: the lifecycle
// property (the general profile, or the resolver profile for dynamic copies) or the
// director properties, under `random` and under `pct:3`. Each test prints its row of the
// "cases to first failure" table kept in docs/property-tests.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <iostream>

#include "property_tests/suites.hpp"
#include "property_tests/types.hpp"

using namespace prop;

namespace {

// Reports name the simrun built with these tests.
const bool kSimrunNamed = (set_simrun_program(VDISIM_SIMRUN), true);

// A property that can find a mutant: run it with a strategy, get the Found.
struct Hunter {
  std::string name;
  int budget;
  std::function<Found(int strategy)> run;
};

std::vector<Hunter> hunters(const std::string &mutant) {
  const std::string base = traits(mutant).base;
  auto life = [mutant](int s) {
    LifecycleProperty p = lifecycle("mutant-life-" + mutant + std::to_string(s), real_types());
    p.gen.types.insert(p.gen.types.end(), 3, mutant);  // mostly the mutant
    p.strategy = s;
    return check_lifecycle(p, budget(4000));
  };
  auto dyn = [mutant](int s) {
    LifecycleProperty p = dynamic_profile("mutant-dyn-" + mutant + std::to_string(s), mutant);
    p.strategy = s;
    return check_lifecycle(p, budget(6000));
  };
  auto flat = [mutant](int s) {
    return check_director("mutant-dir-" + mutant + std::to_string(s), director_config(mutant, 0, s), budget(3000));
  };
  auto nested = [mutant](int s) {
    return check_director("mutant-nest-" + mutant + std::to_string(s), director_config(mutant, 1, s), budget(2000));
  };
  if (base == "dynamic") return {{"lifecycle (resolver profile)", 6000, dyn}, {"director properties", 3000, flat}};
  return {{"lifecycle", 4000, life}, {"director properties (flat)", 3000, flat}, {"director properties (nested)", 2000, nested}};
}

std::vector<std::string> mutants() { return mutant_types(); }

}  // namespace

class Mutants : public ::testing::TestWithParam<std::string> {};

TEST_P(Mutants, is_found) {
  const std::string mutant = GetParam();
  KillRow row;
  row.name = mutant;
  for (const Hunter &h : hunters(mutant)) {
    Found r = h.run(0), p = h.run(3);
    if (!r.failed && !p.failed) continue;
    row.property = h.name;
    row.random_cases = r.failed ? r.cases_to_failure : 0;
    row.pct_cases = p.failed ? p.cases_to_failure : 0;
    const Found &f = r.failed ? r : p;
    row.rule = f.outcome.rule;
    row.note = f.outcome.message.substr(0, 90);
    std::cout << f.report << std::endl;
    EXPECT_EQ(f.report.find("prop_support.cpp"), std::string::npos) << f.report;  // no vdisim source lines
    if (!f.yaml_path.empty()) {  // a lifecycle finding: its scenario, and the simrun that reruns it
      EXPECT_NE(f.report.find("Rerun it: " + simrun_program() + " " + f.yaml_path), std::string::npos) << f.report;
      EXPECT_TRUE(std::filesystem::exists(simrun_program())) << simrun_program();
    }
    print_table("Mutant " + mutant, {row}, h.budget, "mutant_" + mutant.substr(7) + ".md");
    EXPECT_TRUE(r.failed || p.failed);
    return;
  }
  ADD_FAILURE() << mutant << " survived every property within its budget";
}

// Mutants are always built (directors/mutants); an empty table is a build error.
TEST(MutantTable, is_not_empty) { ASSERT_FALSE(mutant_types().empty()) << "no mutant registered (directors/mutants)"; }

INSTANTIATE_TEST_SUITE_P(All, Mutants, ::testing::ValuesIn(mutants()), [](const auto &info) {
  std::string n = info.param;
  return n.substr(n.find(':') + 1);
});
