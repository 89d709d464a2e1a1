# Fake VRT public headers, their two pure-C parts (VSB, WS) and the vcc2if generator.
# Included from sim/fake_vrt/CMakeLists.txt. Director code links vdisim_vrt_headers
# (and vdisim_vrt_c); the C++ runtime defines what the headers declare (VAS_Fail, VRT_*...).

set(VDISIM_VRT_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(vdisim_vrt_headers INTERFACE)
target_include_directories(vdisim_vrt_headers INTERFACE ${VDISIM_VRT_DIR}/include)
# pthread_rwlock_t, strdup() etc. are hidden by glibc under a strict -std=c11.
target_compile_definitions(vdisim_vrt_headers INTERFACE
  $<$<COMPILE_LANGUAGE:C>:_GNU_SOURCE>)

# vlib/: Varnish's libvarnish utilities that vmods call (VSA, VTCP, VNUM, VAV, VBH,
# VSHA256, VRE over libpcre2-8, VTE, VCS). They allocate what a vmod may free() through
# vdisim_malloc (defined in vdisim_vrt, which links this library).
find_package(PkgConfig REQUIRED)
pkg_check_modules(VDISIM_PCRE2 REQUIRED libpcre2-8)
set(VDISIM_VLIB_SOURCES
  ${VDISIM_VRT_DIR}/vlib/vav.c ${VDISIM_VRT_DIR}/vlib/vbh.c ${VDISIM_VRT_DIR}/vlib/vcli.c ${VDISIM_VRT_DIR}/vlib/vcs.c
  ${VDISIM_VRT_DIR}/vlib/vfil.c ${VDISIM_VRT_DIR}/vlib/vnum.c ${VDISIM_VRT_DIR}/vlib/vre.c ${VDISIM_VRT_DIR}/vlib/vsa.c
  ${VDISIM_VRT_DIR}/vlib/vsha256.c ${VDISIM_VRT_DIR}/vlib/vss.c ${VDISIM_VRT_DIR}/vlib/vtcp.c ${VDISIM_VRT_DIR}/vlib/vte.c)

add_library(vdisim_vrt_c STATIC ${VDISIM_VRT_DIR}/vsb.c ${VDISIM_VRT_DIR}/ws.c ${VDISIM_VRT_DIR}/vtim.c
  ${VDISIM_VLIB_SOURCES})
target_link_libraries(vdisim_vrt_c PUBLIC vdisim_vrt_headers)
# Absolute library paths (not an imported target), so the installed package needs no
# extra find step.
target_include_directories(vdisim_vrt_c PUBLIC ${VDISIM_PCRE2_INCLUDE_DIRS})
target_link_libraries(vdisim_vrt_c PUBLIC ${VDISIM_PCRE2_LINK_LIBRARIES} m)
# vlib's vss.c resolves through the simulated DNS (dns.cpp, in vdisim_vrt), which calls
# back into these C files: a cycle between the two archives, declared so that CMake lists
# them twice and the linker finds vdisim_getaddrinfo whichever objects it pulled first.
target_link_libraries(vdisim_vrt_c INTERFACE vdisim_vrt)
# VAS_Fail() throws a C++ exception through these C frames.
target_compile_options(vdisim_vrt_c PRIVATE -fexceptions -Wall -Wextra)
set_target_properties(vdisim_vrt_c PROPERTIES
  C_STANDARD 11 C_EXTENSIONS OFF POSITION_INDEPENDENT_CODE ON)

# Compile-only check: every header, every macro, strict C11 with -Werror.
add_library(fake_vrt_headers_compile OBJECT ${VDISIM_VRT_DIR}/tests/headers_compile.c)
target_link_libraries(fake_vrt_headers_compile PRIVATE vdisim_vrt_headers)
target_compile_options(fake_vrt_headers_compile PRIVATE
  -Wall -Wextra -Werror -fexceptions)
set_target_properties(fake_vrt_headers_compile PROPERTIES
  C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
  EXCLUDE_FROM_ALL OFF)
add_test(NAME fake_vrt_headers_compile
  COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}
          --target fake_vrt_headers_compile)
set_tests_properties(fake_vrt_headers_compile PROPERTIES LABELS fake_vrt)

# Compile-only check of vcl.h, vrt_obj.h, vapi/vsl_int.h and the tbl/*.h X-macro tables:
# 8.0.0's counts and values as _Static_asserts, strict C11 with -Werror.
add_library(fake_vrt_headers_tbl_compile OBJECT ${VDISIM_VRT_DIR}/tests/headers_tbl_compile.c)
target_link_libraries(fake_vrt_headers_tbl_compile PRIVATE vdisim_vrt_headers)
target_compile_options(fake_vrt_headers_tbl_compile PRIVATE -Wall -Wextra -Werror)
set_target_properties(fake_vrt_headers_tbl_compile PROPERTIES
  C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
add_test(NAME fake_vrt_headers_tbl_compile
  COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}
          --target fake_vrt_headers_tbl_compile)
set_tests_properties(fake_vrt_headers_tbl_compile PROPERTIES LABELS fake_vrt)

# Compile-only check: every header Varnish 8.0.0 installs, all in one translation unit,
# strict C11 and C++ with -Werror; the tables' counts and some values are 8.0.0's.
add_library(fake_vrt_headers_installed_compile OBJECT
  ${VDISIM_VRT_DIR}/tests/headers_installed_compile.c
  ${VDISIM_VRT_DIR}/tests/headers_installed_compile.cpp)
target_link_libraries(fake_vrt_headers_installed_compile PRIVATE vdisim_vrt_headers)
target_include_directories(fake_vrt_headers_installed_compile PRIVATE ${VDISIM_PCRE2_INCLUDE_DIRS})
target_compile_options(fake_vrt_headers_installed_compile PRIVATE -Wall -Wextra -Werror
  -fexceptions)
set_target_properties(fake_vrt_headers_installed_compile PROPERTIES
  C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
  CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON EXCLUDE_FROM_ALL OFF)
add_test(NAME fake_vrt_headers_installed_compile
  COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}
          --target fake_vrt_headers_installed_compile)
set_tests_properties(fake_vrt_headers_installed_compile PROPERTIES LABELS fake_vrt)

add_executable(fake_vrt_vsb_ws_test ${VDISIM_VRT_DIR}/tests/vsb_ws_test.cpp)
target_link_libraries(fake_vrt_vsb_ws_test PRIVATE vdisim_vrt_c GTest::gtest_main)
target_compile_options(fake_vrt_vsb_ws_test PRIVATE -Wall -Wextra)
gtest_discover_tests(fake_vrt_vsb_ws_test PROPERTIES LABELS fake_vrt)

# Compile-only check of the vlib headers (vqueue.h, vtree.h, vsa.h, ...), every macro once.
add_library(fake_vrt_headers_vlib_compile OBJECT ${VDISIM_VRT_DIR}/tests/headers_vlib_compile.c)
target_link_libraries(fake_vrt_headers_vlib_compile PRIVATE vdisim_vrt_headers)
target_include_directories(fake_vrt_headers_vlib_compile PRIVATE ${VDISIM_PCRE2_INCLUDE_DIRS})
target_compile_options(fake_vrt_headers_vlib_compile PRIVATE
  -Wall -Wextra -Werror -fexceptions)
set_target_properties(fake_vrt_headers_vlib_compile PROPERTIES
  C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
  EXCLUDE_FROM_ALL OFF)
add_test(NAME fake_vrt_headers_vlib_compile
  COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}
          --target fake_vrt_headers_vlib_compile)
set_tests_properties(fake_vrt_headers_vlib_compile PROPERTIES LABELS fake_vrt)

# vlib behaviour. Links the runtime for vdisim_malloc and VAS_Fail (which aborts
# outside a run, so failed asserts are checked as death tests).
set(VDISIM_VLIB_TESTS vqueue vtree vsa vss vnum vav vbh vsha256 vre vte)
list(TRANSFORM VDISIM_VLIB_TESTS REPLACE "(.+)" "${VDISIM_VRT_DIR}/tests/vlib_\\1_test.cpp")
add_executable(fake_vrt_vlib_test ${VDISIM_VLIB_TESTS} ${VDISIM_VRT_DIR}/tests/vapi_test.cpp
  ${VDISIM_VRT_DIR}/tests/vlib_vtree_subset.c ${VDISIM_VRT_DIR}/tests/vlib_vtree_augment.c)
target_link_libraries(fake_vrt_vlib_test PRIVATE vdisim_vrt vdisim_vrt_c OpenSSL::Crypto
  GTest::gtest_main)
target_compile_options(fake_vrt_vlib_test PRIVATE -Wall -Wextra
  $<$<COMPILE_LANGUAGE:C>:-fexceptions -Werror>)
set_target_properties(fake_vrt_vlib_test PROPERTIES C_STANDARD 11 C_EXTENSIONS OFF)
gtest_discover_tests(fake_vrt_vlib_test PROPERTIES LABELS fake_vrt)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME fake_vrt_vcc2if
  COMMAND bash ${VDISIM_VRT_DIR}/tests/vcc2if_test.sh
          ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/vcc2if
          ${VDISIM_VRT_DIR} ${CMAKE_C_COMPILER})
set_tests_properties(fake_vrt_vcc2if PROPERTIES LABELS fake_vrt)
# scripts/vmodtool.py (what a vmod's autotools build runs): the .c compiles, its JSON
# spec names every function, object and method with the C symbols the table holds.
add_test(NAME vmodtool_outputs
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/tests/vmodtool_test.py
          ${PROJECT_SOURCE_DIR} ${CMAKE_C_COMPILER})
set_tests_properties(vmodtool_outputs PROPERTIES LABELS fake_vrt)
