# vdisim_add_vmod_test(): test a director vmod's unmodified C sources with vdisim from the
# vmod's own CMake project (docs/vmod-authors.md).
#
#   vdisim_add_vmod_test(NAME <name> VCC <vmod_x.vcc> SOURCES <c files...>
#                        [SCENARIOS <yaml...>] [PROPERTY_CASES <n>] [SEEDS <A..B>]
#                        [STRATEGY <random|pct:d>] [COMPILE_DEFINITIONS <defs...>]
#                        [INCLUDE_DIRECTORIES <dirs...>] [LABELS <labels...>]
#                        [VCC_OUTPUT <prefix>] [CONFIG_H <file>])
#
# VCC_OUTPUT: the generated header's name without .h, as vmodtool's -o (default
# vcc_<module>_if). CONFIG_H: the project's own config.h; without it the sources get
# vdisim's (vdisim_config.h.in), since every vmod starts with #include "config.h".
#
# Builds the vmod as varnishd loads it: vdisim-vcc2if --c-file --descriptor writes
# vcc_<module>_if.{h,c} as vmodtool does (the function table, the JSON and
# Vmod_<module>_Data), and the sources and that .c become the target <name>_vmod,
# libvmod_<module>.so, compiled against the fake VRT headers with -fexceptions. The
# installed simrun and vdisim-vmod-suite load it (--vmod) as every vmod is loaded:
#   <name>.scenario.<file stem>  simrun --vmod libvmod_<module>.so <scenario> (one per
#       scenario; JSON report and, on failure, the Perfetto trace of the first failing
#       seed in ${CMAKE_BINARY_DIR}/vdisim-artifacts/<test>/)
#   <name>.lifecycle  vdisim-vmod-suite --vmod libvmod_<module>.so (the generic lifecycle
#       property suite on its objects; the shrunk failing case as a scenario there too)
# Both label `vdisim`; their repro lines name the installed simrun and the .so.
#
# VDISIM_TEST_LAUNCHER (cache; default: the environment variable of that name at the first
# configure, shell words): a command every test above runs under, e.g. Valgrind memcheck:
#   cmake -DVDISIM_TEST_LAUNCHER="valgrind --error-exitcode=97" ...
# VDISIM_TEST_TIMEOUT_FACTOR (cache; default: the environment variable, else 1): the
# tests' timeouts (900 s a scenario, 1800 s the lifecycle suite) times this, for slow
# launchers (Valgrind runs 20-50 times slower). vdisim's scripts/test --memcheck sets both.
include_guard(GLOBAL)
set(_VDISIM_VMOD_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})
set(VDISIM_TEST_LAUNCHER "$ENV{VDISIM_TEST_LAUNCHER}" CACHE STRING
    "command (shell words) that every vdisim_add_vmod_test test runs under, e.g. valgrind")
set(VDISIM_TEST_TIMEOUT_FACTOR "$ENV{VDISIM_TEST_TIMEOUT_FACTOR}" CACHE STRING
    "the vdisim tests' timeouts times this (a positive integer; empty: 1)")

# Tests are the point of this package: find_package(vdisim) turns ctest on for the
# directory that calls it (a function cannot).
enable_testing()

function(vdisim_add_vmod_test)
  cmake_parse_arguments(PARSE_ARGV 0 V "" "NAME;VCC;PROPERTY_CASES;SEEDS;STRATEGY;VCC_OUTPUT;CONFIG_H"
                        "SOURCES;SCENARIOS;COMPILE_DEFINITIONS;INCLUDE_DIRECTORIES;LABELS")
  foreach(req NAME VCC SOURCES)
    if(NOT V_${req})
      message(FATAL_ERROR "vdisim_add_vmod_test: ${req} is required")
    endif()
  endforeach()
  if(NOT V_PROPERTY_CASES)
    set(V_PROPERTY_CASES 1000)
  endif()
  get_filename_component(vcc ${V_VCC} ABSOLUTE)
  file(STRINGS ${vcc} module_line REGEX "^\\$Module[ \t]+[A-Za-z][A-Za-z0-9_]*")
  if(NOT module_line)
    message(FATAL_ERROR "vdisim_add_vmod_test: no $Module line in ${vcc}")
  endif()
  list(GET module_line 0 module_line)
  string(REGEX REPLACE "^\\$Module[ \t]+([A-Za-z][A-Za-z0-9_]*).*" "\\1" module "${module_line}")

  set(gen ${CMAKE_CURRENT_BINARY_DIR}/vdisim_${V_NAME})
  if(NOT V_VCC_OUTPUT)
    set(V_VCC_OUTPUT vcc_${module}_if)
  endif()
  set(if_h ${gen}/${V_VCC_OUTPUT}.h)
  set(if_c ${gen}/${V_VCC_OUTPUT}.c)
  # config.h: the project's, else vdisim's.
  if(V_CONFIG_H)
    get_filename_component(cfg ${V_CONFIG_H} ABSOLUTE)
    configure_file(${cfg} ${gen}/config.h COPYONLY)
  else()
    set(VDISIM_CFG_NAME ${V_NAME})
    configure_file(${_VDISIM_VMOD_TEST_DIR}/vdisim_config.h.in ${gen}/config.h @ONLY)
  endif()
  add_custom_command(
    OUTPUT ${if_h} ${if_c}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}
    COMMAND ${Python3_EXECUTABLE} ${VDISIM_VCC2IF} --c-file --descriptor -o ${V_VCC_OUTPUT} ${vcc} ${gen}
    DEPENDS ${vcc} ${VDISIM_VCC2IF}
    COMMENT "vdisim-vcc2if ${V_VCC}"
    VERBATIM)
  # One target owns the generated files: two targets listing them as sources would each
  # run the command, at the same time under make -j.
  add_custom_target(${V_NAME}_vcc DEPENDS ${if_h} ${if_c})

  # The vmod's own C code, as it builds for Varnish, but against the fake VRT: VRT_*,
  # VSB_*, Lck_* ... stay undefined until simrun or the suite dlopen()s it.
  add_library(${V_NAME}_vmod MODULE ${V_SOURCES} ${if_c} ${if_h})
  # As automake's DEFAULT_INCLUDES (-I. -I$(srcdir)): the sources' own directories, so a
  # vmod's private headers are found with <...> too (libvmod-dynamic's <vmb.h>).
  set(src_dirs)
  foreach(src ${V_SOURCES} ${vcc})
    get_filename_component(d ${src} ABSOLUTE)
    get_filename_component(d ${d} DIRECTORY)
    list(APPEND src_dirs ${d})
  endforeach()
  list(REMOVE_DUPLICATES src_dirs)
  target_include_directories(${V_NAME}_vmod PUBLIC ${gen} ${V_INCLUDE_DIRECTORIES} PRIVATE ${src_dirs})
  target_link_libraries(${V_NAME}_vmod PRIVATE vdisim::vrt_headers m)
  target_compile_definitions(${V_NAME}_vmod PRIVATE ${V_COMPILE_DEFINITIONS})
  # VAS_Fail() (assert, AN, CHECK_OBJ ...) throws a C++ exception through these C frames.
  # vdisim_vmod_prelude.h comes first in every file: pthreads, sleeps, clocks, getaddrinfo
  # and malloc/free go to the simulator whatever the sources include, in whatever order.
  target_compile_options(${V_NAME}_vmod PRIVATE -fexceptions -include vdisim_vmod_prelude.h)
  set_target_properties(${V_NAME}_vmod PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                        OUTPUT_NAME vmod_${module} PREFIX lib LIBRARY_OUTPUT_DIRECTORY ${gen})
  add_dependencies(${V_NAME}_vmod ${V_NAME}_vcc)

  set(labels vdisim ${V_LABELS})
  separate_arguments(launcher UNIX_COMMAND "${VDISIM_TEST_LAUNCHER}")
  set(factor 1)
  if(NOT "${VDISIM_TEST_TIMEOUT_FACTOR}" STREQUAL "")
    if(NOT VDISIM_TEST_TIMEOUT_FACTOR MATCHES "^[1-9][0-9]*$")
      message(FATAL_ERROR "VDISIM_TEST_TIMEOUT_FACTOR: '${VDISIM_TEST_TIMEOUT_FACTOR}' is not a positive integer")
    endif()
    set(factor ${VDISIM_TEST_TIMEOUT_FACTOR})
  endif()
  math(EXPR scenario_timeout "900 * ${factor}")
  math(EXPR suite_timeout "1800 * ${factor}")
  set(run_args --quiet --jobs 2)
  if(V_SEEDS)
    list(APPEND run_args --seeds ${V_SEEDS})
  endif()
  if(V_STRATEGY)
    list(APPEND run_args --strategy ${V_STRATEGY})
  endif()
  foreach(s ${V_SCENARIOS})
    get_filename_component(abs ${s} ABSOLUTE)
    get_filename_component(stem ${s} NAME_WE)
    set(test ${V_NAME}.scenario.${stem})
    add_test(NAME ${test}
      COMMAND ${launcher} ${VDISIM_SCENARIO_TEST} $<TARGET_FILE:vdisim::simrun> ${abs}
              ${CMAKE_BINARY_DIR}/vdisim-artifacts/${test} --vmod $<TARGET_FILE:${V_NAME}_vmod> ${run_args})
    set_tests_properties(${test} PROPERTIES LABELS "${labels}" TIMEOUT ${scenario_timeout})
  endforeach()
  # The shrunk failing case is also written as a scenario YAML under TEST_TMPDIR.
  set(art ${CMAKE_BINARY_DIR}/vdisim-artifacts/${V_NAME}.lifecycle)
  file(MAKE_DIRECTORY ${art})
  add_test(NAME ${V_NAME}.lifecycle COMMAND ${launcher} $<TARGET_FILE:vdisim::vmod_suite_bin> --vmod $<TARGET_FILE:${V_NAME}_vmod>
    --cases=${V_PROPERTY_CASES})
  set_tests_properties(${V_NAME}.lifecycle PROPERTIES LABELS "${labels}" TIMEOUT ${suite_timeout}
    ENVIRONMENT "TEST_TMPDIR=${art}")
endfunction()
