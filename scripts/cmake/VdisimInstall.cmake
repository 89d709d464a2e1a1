# Install rules and the CMake package of vdisim (find_package(vdisim CONFIG)): the fake
# VRT headers, the runtime/runner/simrun/property libraries, simrun, the .vcc generator
# (bin/vdisim-vcc2if) and vdisim_add_vmod_test() (VdisimVmodTest.cmake) for vmod authors.
# Included last from the top-level CMakeLists.txt, once every target exists.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(VDISIM_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/vdisim)
set(VDISIM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/vdisim)
set(VDISIM_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/vdisim)

# Library targets, in dependency order, and their names in the package (vdisim::NAME).
set(VDISIM_EXPORTED
  vdisim_strategy_spec:strategy_spec vdisim_core:core vdisim_probe_window:probe_window vdisim_vrt_headers:vrt_headers
  vdisim_vrt_c:vrt_c vdisim_vrt:vrt vdisim_scenario_model:scenario vdisim_directors_if:directors_if
  vdisim_directors:directors vdisim_runner:runner
  vdisim_prop:prop simrun:simrun vdisim_vmod_suite_bin:vmod_suite_bin)

set(_vdisim_targets)
foreach(pair ${VDISIM_EXPORTED})
  string(REPLACE ":" ";" pair ${pair})
  list(GET pair 0 tgt)
  list(GET pair 1 export_name)
  if(NOT TARGET ${tgt})
    continue()
  endif()
  set_target_properties(${tgt} PROPERTIES EXPORT_NAME ${export_name})
  # Include directories point into the source and build trees; installed, every target
  # sees include/vdisim (sim/..., property_tests/...) and include/vdisim/vrt (vrt.h ...).
  get_target_property(type ${tgt} TYPE)
  if(NOT type STREQUAL "EXECUTABLE")
    get_target_property(dirs ${tgt} INTERFACE_INCLUDE_DIRECTORIES)
    set(wrapped)
    if(dirs)
      foreach(d ${dirs})
        if(d MATCHES "^\\$<")
          list(APPEND wrapped "${d}")
        else()
          list(APPEND wrapped "$<BUILD_INTERFACE:${d}>")
        endif()
      endforeach()
    endif()
    list(APPEND wrapped "$<INSTALL_INTERFACE:${VDISIM_INSTALL_INCLUDEDIR}>"
                        "$<INSTALL_INTERFACE:${VDISIM_INSTALL_INCLUDEDIR}/vrt>")
    set_property(TARGET ${tgt} PROPERTY INTERFACE_INCLUDE_DIRECTORIES "${wrapped}")
  endif()
  list(APPEND _vdisim_targets ${tgt})
endforeach()

install(TARGETS ${_vdisim_targets} EXPORT vdisimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT vdisimTargets NAMESPACE vdisim:: DESTINATION ${VDISIM_INSTALL_CMAKEDIR})

# Headers: the fake VRT (what director C code includes) and the C++ layers (what the
# generated glue includes).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/fake_vrt/include/ DESTINATION ${VDISIM_INSTALL_INCLUDEDIR}/vrt
  FILES_MATCHING PATTERN "*.h")
foreach(dir sim sim/fake_vrt sim/fake_vrt/testing sim/scenario sim/runner sim/simrun property_tests)
  file(GLOB hdrs ${PROJECT_SOURCE_DIR}/${dir}/*.hpp)
  install(FILES ${hdrs} DESTINATION ${VDISIM_INSTALL_INCLUDEDIR}/${dir})
endforeach()

install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/vcc2if DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME vdisim-vcc2if)
# vdisim check-vmod: a vmod checkout built and tested in one command (docs/vmod-authors.md).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/vdisim DESTINATION ${CMAKE_INSTALL_BINDIR})
# vdisim-vcc2if finds its modules in ../share/vdisim/vcc2if_lib.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scripts/vcc2if_lib DESTINATION ${VDISIM_INSTALL_DATADIR}
  FILES_MATCHING PATTERN "*.py")
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/cmake/vdisim-scenario-test DESTINATION ${VDISIM_INSTALL_DATADIR})
# A vmod's own autotools build against vdisim: aclocal finds varnish.m4 in share/aclocal,
# pkg-config finds varnishapi.pc in lib/pkgconfig, and that names vmodtool.py and
# vsctool.py (share/vdisim, beside vcc2if_lib). The .pc is written at install time, for
# the prefix being installed to (cmake --install --prefix P).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/scripts/vmodtool.py ${PROJECT_SOURCE_DIR}/scripts/vsctool.py
  DESTINATION ${VDISIM_INSTALL_DATADIR})
install(FILES ${PROJECT_SOURCE_DIR}/scripts/autotools/varnish.m4 DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/aclocal)
set(VDISIM_VARNISH_VERSION 8.0.0)
set(VDISIM_PC_PREFIX "@VDISIM_PC_PREFIX@")   # kept for install time
configure_file(${PROJECT_SOURCE_DIR}/scripts/autotools/varnishapi.pc.in
  ${PROJECT_BINARY_DIR}/autotools/varnishapi.pc.in @ONLY)
install(CODE "
  set(VDISIM_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(pc \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/varnishapi.pc\")
  message(STATUS \"Installing: \${pc}\")
  configure_file(\"${PROJECT_BINARY_DIR}/autotools/varnishapi.pc.in\" \"\${pc}\" @ONLY)
")
install(FILES ${PROJECT_SOURCE_DIR}/docs/scenario-format.md ${PROJECT_SOURCE_DIR}/docs/scenario.schema.json
              ${PROJECT_SOURCE_DIR}/docs/vmod-authors.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/scripts/cmake/vdisimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/vdisimConfig.cmake
  INSTALL_DESTINATION ${VDISIM_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR VDISIM_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/vdisimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/vdisimConfig.cmake ${PROJECT_BINARY_DIR}/cmake/vdisimConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/scripts/cmake/VdisimVmodTest.cmake
              ${PROJECT_SOURCE_DIR}/scripts/cmake/vdisim_config.h.in
  DESTINATION ${VDISIM_INSTALL_CMAKEDIR})
