# ctest label `memcheck`: a fast subset of the suite under Valgrind memcheck
# (scripts/memcheck), run by every CI run, plus a canary that proves the checker is awake.
# The whole suite under memcheck is `scripts/test --memcheck` (docs/limits.md). Slow tests
# are left out here (each is minutes under Valgrind); the subset touches the core, the
# fake runtime, the loader and simrun with forked seeds.
find_program(VDISIM_VALGRIND valgrind)
if(NOT VDISIM_VALGRIND)
  message(STATUS "valgrind not found: no memcheck tests (scripts/deps installs it)")
  return()
endif()
set(_mc ${PROJECT_SOURCE_DIR}/scripts/memcheck)

# The canary overflows a heap block by one byte inside an actor: memcheck must say so.
add_test(NAME memcheck_catches_heap_overflow COMMAND ${_mc} $<TARGET_FILE:memcheck_canary>)
set_tests_properties(memcheck_catches_heap_overflow PROPERTIES
  PASS_REGULAR_EXPRESSION "Invalid write of size 1[^\n]*\n[^\n]*plant_heap_overflow")

# Workspace slots are reused: a read through a pointer kept from a finished request's
# workspace must still be an invalid read.
add_test(NAME memcheck_catches_stale_workspace COMMAND ${_mc} $<TARGET_FILE:memcheck_stale_workspace>)
set_tests_properties(memcheck_catches_stale_workspace PROPERTIES
  PASS_REGULAR_EXPRESSION "Invalid read of size 1[^\n]*\n[^\n]*memcheck_stale_workspace.cpp")

add_test(NAME memcheck_core COMMAND ${_mc} $<TARGET_FILE:sim_core_tests> --gtest_brief=1
  "--gtest_filter=Determinism.pct_same_seed_same_digest:Shrink.*:Replay.*:Deadlock.*:Misuse.*:CondVar.*:RwLock.*:Dfs.finds*:Livelock.*:Pos.same_seed*")
add_test(NAME memcheck_fake_vrt COMMAND ${_mc} $<TARGET_FILE:fake_vrt_tests> --gtest_brief=1
  "--gtest_filter=-RuntimeFix.A7_*:RuntimeFix.A10_*:E2.*:Determinism.*")
add_test(NAME memcheck_scenario_loader COMMAND ${_mc} $<TARGET_FILE:scenario_loader_tests>
  --gtest_brief=1
  "--gtest_filter=Loader/*:LoadGood.*:ShippedScenarios.*:BadFiles.*:Robustness.hostile_inputs:VclFileRobustness.hostile_inputs:VclFile.*")
# Seeds in two worker children: memcheck follows simrun's forked workers.
add_test(NAME memcheck_simrun_forked_seeds COMMAND ${_mc} $<TARGET_FILE:simrun>
  ${PROJECT_SOURCE_DIR}/sim/scenarios/flap_fast.yaml --seeds 1..4 --jobs 2 --quiet)
# A memory error in a job of a worker child fails that job (runner::Workers).
add_test(NAME memcheck_catches_errors_in_workers COMMAND ${_mc} $<TARGET_FILE:runner_isolate_test>
  --gtest_filter=UnderMemcheck.*)
set_tests_properties(memcheck_catches_heap_overflow memcheck_catches_stale_workspace memcheck_core memcheck_fake_vrt
  memcheck_scenario_loader memcheck_simrun_forked_seeds memcheck_catches_errors_in_workers PROPERTIES LABELS memcheck)
