# Vmods built here the way a vmod's own build makes them for varnishd, and loaded by
# simrun from a scenario's `vmods:` (runner/vmod_load.hpp). examples/vmods' ringlist and
# saintish become libvmod_NAME.so (vcc2if --c-file --descriptor: vmodtool's .c with
# Vmod_NAME_Data and its JSON); both run in one scenario, and again with ringlist's
# deliberate bug, which must be found. vdisim's own directors/ as libvmod_directors.so
# must give the digests of the built-in (linked, glue-called) copy of the same C code.
# Included from sim/runner/CMakeLists.txt.

# vdisim_test_so_vmod(NAME SRCDIR OUTDIR [DEFINITIONS...]): SRCDIR/vmod_NAME.vcc and the
# C files listed in VDISIM_SO_SOURCES (default SRCDIR/vmod_NAME.c) as OUTDIR/libvmod_NAME.so.
function(vdisim_test_so_vmod name srcdir outdir)
  get_filename_component(tag ${outdir} NAME)
  set(target vdisim_test_so_${tag}_${name})
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/so_gen/${tag}_${name})
  set(if_c ${gen}/vcc_${name}_if.c)
  add_custom_command(OUTPUT ${if_c} ${gen}/vcc_${name}_if.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/vcc2if --c-file --descriptor
            ${srcdir}/vmod_${name}.vcc ${gen}
    DEPENDS ${srcdir}/vmod_${name}.vcc ${VDISIM_VCC2IF_DEPS}
    COMMENT "vcc2if --descriptor vmod_${name}.vcc (${tag})"
    VERBATIM)
  set(VDISIM_CFG_NAME ${name})
  configure_file(${PROJECT_SOURCE_DIR}/scripts/cmake/vdisim_config.h.in ${gen}/config.h @ONLY)
  set(srcs ${srcdir}/vmod_${name}.c)
  if(VDISIM_SO_SOURCES)
    set(srcs ${VDISIM_SO_SOURCES})
  endif()
  add_library(${target} MODULE ${srcs} ${if_c})
  target_include_directories(${target} PRIVATE ${gen} ${srcdir})
  target_link_libraries(${target} PRIVATE vdisim_vrt_headers)
  target_compile_definitions(${target} PRIVATE ${ARGN})
  # As vdisim_add_vmod_test builds a vmod: VAS_Fail throws through its C frames, and its
  # locks, threads, clocks and malloc go to the simulator (all found in simrun).
  target_compile_options(${target} PRIVATE -fexceptions -include vdisim_vmod_prelude.h)
  set_target_properties(${target} PROPERTIES C_STANDARD 11 OUTPUT_NAME vmod_${name}
    LIBRARY_OUTPUT_DIRECTORY ${outdir})
endfunction()

# vdisim_simrun_pair(NAME GOOD BUG REGEX FILES...): FILES (from tests/, the first the
# scenario) copied beside the vmods built in GOOD and in BUG; simrun on the scenario must
# pass in GOOD (test NAME) and report REGEX in BUG (test NAME_bug).
function(vdisim_simrun_pair name good bug regex)
  foreach(d ${good} ${bug})
    foreach(f ${ARGN})
      configure_file(${CMAKE_CURRENT_SOURCE_DIR}/tests/${f} ${d}/${f} COPYONLY)
    endforeach()
  endforeach()
  list(GET ARGN 0 scenario)
  add_test(NAME ${name} COMMAND simrun --quiet --jobs 2 ${good}/${scenario})
  add_test(NAME ${name}_bug COMMAND simrun --quiet --jobs 2 ${bug}/${scenario})
  set_tests_properties(${name} ${name}_bug PROPERTIES LABELS simrun TIMEOUT 600)
  set_tests_properties(${name}_bug PROPERTIES PASS_REGULAR_EXPRESSION "${regex}")
endfunction()

set(examples ${PROJECT_SOURCE_DIR}/examples/vmods)
set(two ${VDISIM_TEST_VMOD_DIR}/two)
set(two_bug ${VDISIM_TEST_VMOD_DIR}/two_bug)
vdisim_test_so_vmod(ringlist ${examples}/ringlist/src ${two})
vdisim_test_so_vmod(saintish ${examples}/saintish/src ${two})
vdisim_test_so_vmod(ringlist ${examples}/ringlist/src ${two_bug} RINGLIST_BUG=1)
vdisim_test_so_vmod(saintish ${examples}/saintish/src ${two_bug})
vdisim_simrun_pair(simrun_vmods_two ${two} ${two_bug} "rules violated: B1" vmods_two.yaml)
# The same with the boot VCL a .vcl file whose `import NAME from "PATH"` loads the vmods.
vdisim_simrun_pair(simrun_vmods_two_vcl_import ${two} ${two_bug} "rules violated: B1"
  vmods_two_vcl.yaml vmods_two.vcl)

# The same C code, linked with glue or loaded from its .so, runs the same: equal digests.
set(own ${VDISIM_TEST_VMOD_DIR}/own)
set(VDISIM_SO_SOURCES vdir.c round_robin.c fall_back.c random.c hash.c shard.c shard_cfg.c dynamic.c)
list(TRANSFORM VDISIM_SO_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/directors/)
vdisim_test_so_vmod(directors ${PROJECT_SOURCE_DIR}/directors ${own})
unset(VDISIM_SO_SOURCES)
add_test(NAME simrun_vmods_same_digest
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/tests/same_digest.py
          $<TARGET_FILE:simrun> ${CMAKE_CURRENT_SOURCE_DIR}/tests/vmods_builtin.yaml ${own}/libvmod_directors.so)
set_tests_properties(simrun_vmods_same_digest PROPERTIES LABELS simrun TIMEOUT 600)

# The lifecycle suite loads vmods the same way (vdisim-vmod-suite --vmod): the two pass,
# ringlist's bug is found, and its repro line repeats the --vmod options.
set(suite_env "VDISIM_VMOD_CASES=100;VDISIM_REPRO_PROGRAM=$<TARGET_FILE:simrun>")
add_test(NAME vmod_suite_so_two COMMAND vdisim_vmod_suite_bin
  --vmod ${two}/libvmod_ringlist.so --vmod=${two}/libvmod_saintish.so)
add_test(NAME vmod_suite_so_two_bug COMMAND vdisim_vmod_suite_bin --vmod ${two_bug}/libvmod_ringlist.so)
set_tests_properties(vmod_suite_so_two vmod_suite_so_two_bug PROPERTIES LABELS property TIMEOUT 600
  ENVIRONMENT "${suite_env}")
set_tests_properties(vmod_suite_so_two_bug PROPERTIES PASS_REGULAR_EXPRESSION
  "failure B1: [^\n]*\n(.*\n)*Reproduce: [^\n]*vdisim-vmod-suite --vmod [^\n]*/two_bug/libvmod_ringlist.so")
add_test(NAME vmod_suite_so_none COMMAND vdisim_vmod_suite_bin --vmod)
set_tests_properties(vmod_suite_so_none PROPERTIES LABELS property WILL_FAIL TRUE)

# simrun --vmod: the same scenario without its `vmods:`, the vmods named on the command
# line; the failure's repro line names them.
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/tests/vmods_two.yaml two_yaml)
string(REGEX REPLACE "\nvmods: [^\n]*" "" two_yaml "${two_yaml}")
file(WRITE ${VDISIM_TEST_VMOD_DIR}/vmods_two_cli.yaml "${two_yaml}")
add_test(NAME simrun_vmod_option COMMAND simrun --quiet --jobs 2 --vmod ${two_bug}/libvmod_ringlist.so
  --vmod ${two_bug}/libvmod_saintish.so ${VDISIM_TEST_VMOD_DIR}/vmods_two_cli.yaml)
set_tests_properties(simrun_vmod_option PROPERTIES LABELS simrun TIMEOUT 600 PASS_REGULAR_EXPRESSION
  "repro: [^\n]*simrun --vmod [^\n]*two_bug/libvmod_ringlist.so --vmod [^\n]*libvmod_saintish.so [^\n]*vmods_two_cli.yaml")

# A vmod's $Function in vcl_backend_response (saintish.mark, as saintmode.denylist), and
# a call of a function the vmod has not, refused with file:line:col.
foreach(f vmods_function vmods_function_bad)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/tests/${f}.yaml ${two}/${f}.yaml COPYONLY)
endforeach()
add_test(NAME simrun_vmods_function COMMAND simrun --quiet --jobs 2 ${two}/vmods_function.yaml)
add_test(NAME simrun_vmods_function_bad COMMAND simrun ${two}/vmods_function_bad.yaml)
set_tests_properties(simrun_vmods_function simrun_vmods_function_bad PROPERTIES LABELS simrun TIMEOUT 600)
set_tests_properties(simrun_vmods_function_bad PROPERTIES PASS_REGULAR_EXPRESSION
  "vmods_function_bad.yaml:10:54: saintish.unmark\\(10s\\): vmod saintish has no function .unmark\\(\\) \\(it has .mark\\(\\)\\)")

# A vmod that includes cache/cache_varnishd.h (object-event subscription and a counter
# segment at load, given back at the last discard, as xkey does) loads, counts and
# unloads; with KEYED_BUG its second unsubscribe trips varnishd's assert.
set(keyed ${VDISIM_TEST_VMOD_DIR}/keyed)
set(keyed_bug ${VDISIM_TEST_VMOD_DIR}/keyed_bug)
vdisim_test_so_vmod(keyed ${CMAKE_CURRENT_SOURCE_DIR}/tests ${keyed})
vdisim_test_so_vmod(keyed ${CMAKE_CURRENT_SOURCE_DIR}/tests ${keyed_bug} KEYED_BUG=1)
vdisim_simrun_pair(simrun_vmods_keyed ${keyed} ${keyed_bug} "ObjUnsubscribeEvents" vmods_keyed.yaml)

# A sweep's seeds end as each does alone, though workers run seed after seed: built-in
# directors, a mutant, the vmods above loaded from their .so, and a crashing director whose
# static data decides (sim/simrun/tests/workers_test.sh).
set(scn ${PROJECT_SOURCE_DIR}/sim/scenarios)
add_test(NAME simrun_workers_same_digest COMMAND ${PROJECT_SOURCE_DIR}/sim/simrun/tests/workers_test.sh
  $<TARGET_FILE:simrun> $<TARGET_FILE:simrun_crashtest> ${PROJECT_SOURCE_DIR}/sim/simrun/tests/crash.yaml
  10 ${PROJECT_SOURCE_DIR}/bench/race_seeds.yaml ${scn}/nested_reload.yaml
  ${scn}/dynamic_discard_while_adding.yaml ${scn}/cli_labels.yaml ${scn}/flap_fast.yaml
  ${scn}/vcl_shard_reload.yaml ${scn}/mutant_rr_release_frees.yaml
  ${keyed}/vmods_keyed.yaml ${two}/vmods_two.yaml ${two_bug}/vmods_two.yaml)
set_tests_properties(simrun_workers_same_digest PROPERTIES LABELS simrun TIMEOUT 600)

# vcl_recv calls get the URL and headers a scenario's traffic chose (urls:, headers:):
# req.url as a STRING, req.http.X-Tenant as a HEADER; the checks of ctest simrun_requests.
set(reqcheck ${VDISIM_TEST_VMOD_DIR}/reqcheck)
vdisim_test_so_vmod(reqcheck ${CMAKE_CURRENT_SOURCE_DIR}/tests ${reqcheck})
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/tests/vmods_reqcheck.yaml ${reqcheck}/vmods_reqcheck.yaml COPYONLY)
set(VDISIM_REQCHECK_SCENARIO ${reqcheck}/vmods_reqcheck.yaml PARENT_SCOPE)

# $Restrict: vmod scoped's methods and functions assert the subroutine they run in. A
# scenario calls them where the .vcc allows (vcl_init, vcl_backend_response, a
# housekeeping function as a constructor's BACKEND argument) and runs; calls elsewhere are
# refused with file:line:col as VCC refuses them; the generated cases of the lifecycle
# suite call each only where it is allowed (100 cases, no assertion fires).
set(scoped ${VDISIM_TEST_VMOD_DIR}/scoped)
vdisim_test_so_vmod(scoped ${CMAKE_CURRENT_SOURCE_DIR}/tests ${scoped})
foreach(f vmods_scoped vmods_scoped_bad)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/tests/${f}.yaml ${scoped}/${f}.yaml COPYONLY)
endforeach()
add_test(NAME simrun_vmods_restrict COMMAND simrun --quiet --jobs 2 ${scoped}/vmods_scoped.yaml)
add_test(NAME simrun_vmods_restrict_bad COMMAND simrun ${scoped}/vmods_scoped_bad.yaml)
set_tests_properties(simrun_vmods_restrict simrun_vmods_restrict_bad PROPERTIES LABELS simrun TIMEOUT 600)
set_tests_properties(simrun_vmods_restrict_bad PROPERTIES PASS_REGULAR_EXPRESSION
  "vmods_scoped_bad.yaml:8:[0-9]+: g1.peek\\(\\): not allowed in vcl_init \\(\\$Restrict in the .vcc: only in vcl_backend_fetch, vcl_backend_refresh, vcl_backend_response, vcl_backend_error\\)\n.*vmods_scoped_bad.yaml:10:[0-9]+: scoped.find\\(\"web1\"\\): not allowed in vcl_recv \\(\\$Restrict in the .vcc: only in vcl_init, vcl_fini\\)\n.*vmods_scoped_bad.yaml:10:[0-9]+: g1.seal\\(\\): not allowed in vcl_recv")
add_test(NAME vmod_suite_so_restrict COMMAND vdisim_vmod_suite_bin --vmod ${scoped}/libvmod_scoped.so)
set_tests_properties(vmod_suite_so_restrict PROPERTIES LABELS property TIMEOUT 600 ENVIRONMENT "${suite_env}")

# A function that reaches what vdisim does not simulate (UNSIMULATED, as std.set_ip_tos()
# reaches the session's socket) is left out of the lifecycle suite's requests, named with
# the reason, and the suite passes on the rest; with UNSIM_BUG the other function's
# assertion is still found.
set(unsim ${VDISIM_TEST_VMOD_DIR}/unsim)
set(unsim_bug ${VDISIM_TEST_VMOD_DIR}/unsim_bug)
vdisim_test_so_vmod(unsim ${CMAKE_CURRENT_SOURCE_DIR}/tests ${unsim})
vdisim_test_so_vmod(unsim ${CMAKE_CURRENT_SOURCE_DIR}/tests ${unsim_bug} UNSIM_BUG=1)
add_test(NAME vmod_suite_so_unsimulated COMMAND vdisim_vmod_suite_bin --vmod ${unsim}/libvmod_unsim.so)
add_test(NAME vmod_suite_so_unsimulated_bug COMMAND vdisim_vmod_suite_bin --vmod ${unsim_bug}/libvmod_unsim.so)
set_tests_properties(vmod_suite_so_unsimulated vmod_suite_so_unsimulated_bug PROPERTIES LABELS property
  TIMEOUT 600 ENVIRONMENT "${suite_env}")
# PASS_REGULAR_EXPRESSION ignores the exit status: gtest's "[  PASSED  ] 1 test." is
# printed only when the test passed, "1 FAILED TEST" only when it failed.
set_tests_properties(vmod_suite_so_unsimulated PROPERTIES PASS_REGULAR_EXPRESSION
  "unsim.local_tos: not driven: [^\n]*SES_Get_local_addr is not simulated(.*\n)*\\[  PASSED  \\] 1 test\\.")
set_tests_properties(vmod_suite_so_unsimulated_bug PROPERTIES PASS_REGULAR_EXPRESSION
  "Failure: ASSERT [^\n]*strlen\\(s\\) < 4(.*\n)* 1 FAILED TEST")
