# Vmod threads, sleeps, clocks and DNS on the simulator (include/vdisim_os.h) and their
# tests. Included from sim/fake_vrt/CMakeLists.txt once vdisim_vrt exists.

target_sources(vdisim_vrt PRIVATE ${CMAKE_CURRENT_LIST_DIR}/vmod_threads.cpp ${CMAKE_CURRENT_LIST_DIR}/dns.cpp)

# thread_vmod.c is built the way vdisim_add_vmod_test builds a vmod's sources: with
# vdisim_vmod_prelude.h force-included and -fexceptions (VAS_Fail and cancellation
# unwind through it).
add_executable(fake_vrt_os_tests ${CMAKE_CURRENT_LIST_DIR}/tests/vmod_os_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tests/dns_test.cpp ${CMAKE_CURRENT_LIST_DIR}/tests/thread_vmod.c)
target_link_libraries(fake_vrt_os_tests PRIVATE vdisim_vrt GTest::gtest_main)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/tests/thread_vmod.c PROPERTIES COMPILE_OPTIONS
  "-fexceptions;-Wall;-Werror;-include;${CMAKE_CURRENT_LIST_DIR}/include/vdisim_vmod_prelude.h")
gtest_discover_tests(fake_vrt_os_tests PROPERTIES LABELS fake_vrt)
