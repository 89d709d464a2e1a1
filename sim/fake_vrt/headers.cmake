# Fake VRT public headers, their two pure-C parts (VSB, WS) and the vcc2if generator.
# Included from sim/fake_vrt/CMakeLists.txt. Director code links vdisim_vrt_headers
# (and vdisim_vrt_c); the C++ runtime defines what the headers declare (VAS_Fail, VRT_*...).

set(VDISIM_VRT_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(vdisim_vrt_headers INTERFACE)
target_include_directories(vdisim_vrt_headers INTERFACE ${VDISIM_VRT_DIR}/include)
# pthread_rwlock_t, strdup() etc. are hidden by glibc under a strict -std=c11.
target_compile_definitions(vdisim_vrt_headers INTERFACE
  $<$<COMPILE_LANGUAGE:C>:_GNU_SOURCE>)

add_library(vdisim_vrt_c STATIC ${VDISIM_VRT_DIR}/vsb.c ${VDISIM_VRT_DIR}/ws.c)
target_link_libraries(vdisim_vrt_c PUBLIC vdisim_vrt_headers)
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

add_executable(fake_vrt_vsb_ws_test ${VDISIM_VRT_DIR}/tests/vsb_ws_test.cpp)
target_link_libraries(fake_vrt_vsb_ws_test PRIVATE vdisim_vrt_c GTest::gtest_main)
target_compile_options(fake_vrt_vsb_ws_test PRIVATE -Wall -Wextra)
gtest_discover_tests(fake_vrt_vsb_ws_test PROPERTIES LABELS fake_vrt)

find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME fake_vrt_vcc2if
  COMMAND bash ${VDISIM_VRT_DIR}/tests/vcc2if_test.sh
          ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/vcc2if
          ${VDISIM_VRT_DIR} ${CMAKE_C_COMPILER})
set_tests_properties(fake_vrt_vcc2if PROPERTIES LABELS fake_vrt)
