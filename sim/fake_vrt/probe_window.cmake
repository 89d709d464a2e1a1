# Health-probe window (VRT_SPEC.md section E): pure logic, no sim core needed.
add_library(vdisim_probe_window STATIC ${CMAKE_CURRENT_LIST_DIR}/probe_window.cpp)
target_include_directories(vdisim_probe_window PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(vdisim_probe_window PRIVATE fmt::fmt)
target_compile_options(vdisim_probe_window PRIVATE -Wall -Wextra)

add_executable(probe_window_tests ${CMAKE_CURRENT_LIST_DIR}/tests/probe_window_test.cpp)
target_link_libraries(probe_window_tests PRIVATE vdisim_probe_window GTest::gtest_main)
target_compile_options(probe_window_tests PRIVATE -Wall -Wextra)
gtest_discover_tests(probe_window_tests PROPERTIES LABELS fake_vrt)
