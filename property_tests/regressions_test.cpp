// Historical bugs (../shared/BUG_ZOO.md Z1-Z4): with a runtime regression switch on, the
// lifecycle property finds the bug within the stated budget, under `random` and under
// `pct:3`, with the expected rule; with the switch off the same budget passes. Each test
// prints its row of the table kept in docs/property-tests.md.
#include <gtest/gtest.h>

#include <iostream>

#include "property_tests/suites.hpp"
#include "property_tests/types.hpp"

using namespace prop;

namespace {

struct Zoo {
  std::string id, name;
  std::vector<std::string> rules;  // any of these is the expected finding
  bool dynamic = false;            // resolver-heavy profile
  int budget = 0;
};

LifecycleProperty property_for(const Zoo &z, const std::string &id) {
  return z.dynamic ? dynamic_profile(id, "dynamic") : lifecycle(id, real_types());
}

// Runs the switch on (random, pct:3) and off; returns the table row.
KillRow run_zoo(const Zoo &z, bool *found_any) {
  KillRow row;
  row.name = z.id + " " + z.name;
  row.property = z.dynamic ? "lifecycle (resolver profile)" : "lifecycle";
  *found_any = false;
  for (int depth : {0, 3}) {
    LifecycleProperty p = property_for(z, "zoo-" + z.name + (depth ? "-pct" : "-random"));
    p.exec.regressions = regressions_from({z.name});
    p.strategy = depth;
    Found f = check_lifecycle(p, budget(z.budget));
    std::cout << f.report << std::endl;
    if (!f.failed) continue;
    bool expected = std::find(z.rules.begin(), z.rules.end(), f.outcome.rule) != z.rules.end();
    EXPECT_TRUE(expected) << z.name << " found with rule " << f.outcome.rule << ", expected one of the zoo's";
    (depth ? row.pct_cases : row.random_cases) = f.cases_to_failure;
    row.rule = f.outcome.rule;
    *found_any = true;
  }
  LifecycleProperty off = property_for(z, "zoo-" + z.name + "-off");
  Found f = check_lifecycle(off, budget(z.budget));
  EXPECT_FALSE(f.failed) << "with " << z.name << " off the same budget must pass:\n" << f.report;
  row.note = f.failed ? "OFF FAILED" : "off: " + std::to_string(f.passed) + " cases pass";
  return row;
}

void expect_found(const Zoo &z) {
  bool found = false;
  KillRow row = run_zoo(z, &found);
  print_table("Historical bug " + z.id, {row}, z.budget, "zoo_" + z.name + ".md");
  EXPECT_GT(row.random_cases, 0) << z.name << " not found under random within " << z.budget << " cases";
  EXPECT_GT(row.pct_cases, 0) << z.name << " not found under pct:3 within " << z.budget << " cases";
}

}  // namespace

// A request re-assigns the slot it already holds while being the last holder (its
// target deleted meanwhile): deref-first retires it, then references freed memory.
TEST(Regressions, Z1_A5_assign_deref_first_found_A8) { expect_found({"Z1", "assign_deref_first", {"A8", "A5"}, false, 8000}); }

// __fini (VRT_DelDirector) while a parent or a request still holds the director.
TEST(Regressions, Z2_B1_delete_asserts_sole_ref_found) { expect_found({"Z2", "delete_asserts_sole_ref", {"B1"}, false, 1000}); }

// The event-order checker of run_case: directors must hear COLD before their VMODs.
TEST(Regressions, Z3_C3_vmod_cold_before_directors_found) { expect_found({"Z3", "vmod_cold_before_directors", {"C3"}, false, 300}); }

// The switch restores the pre-fix lock structure: the cold transition sends the
// directors' COLD with vcl_mtx held, and VRT_AddDirector waits for vcl_mtx. A resolver
// answer racing `vcl.state cold` then holds the dynamic director's update lock while it
// waits for vcl_mtx, and the director's COLD waits for that update: a wait-for cycle
// (DEADLOCK, or STUCK while probes keep timers pending).
TEST(Regressions, Z4_A3_add_director_blocks_when_cooling) {
  expect_found({"Z4", "add_director_blocks_when_cooling", {"DEADLOCK", "STUCK"}, true, 20000});
}
