# SPDX-License-Identifier: MIT
# cmake -P script behind the package_deb test: cpack -G DEB into a fresh directory, control
# fields, file list, unpack, run the binary, desktop entry and AppStream metadata, then the
# outside consumer against the unpacked CMake package only (as tests/install does with an
# installed prefix). Any failing step fails the test (message(FATAL_ERROR): non-zero exit).
#
# Inputs (-D): CPACK_COMMAND, CPACK_CONFIG, VERSION, SOURCE_DIR, BUILD_DIR, WORK_DIR,
# CONSUMER_SOURCE_DIR, GENERATOR, MAKE_PROGRAM, CXX_COMPILER, BUILD_TYPE.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/outside_project.cmake)

memlog_require_inputs(run_package_test.cmake CPACK_COMMAND CPACK_CONFIG VERSION SOURCE_DIR BUILD_DIR WORK_DIR
                      CONSUMER_SOURCE_DIR GENERATOR CXX_COMPILER)
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

function(fail what)
  message(FATAL_ERROR "package test: ${what}")
endfunction()

# The tools, found at run time so that a machine without them fails this test, not the configure.
foreach(tool dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli readelf)
  string(MAKE_C_IDENTIFIER "${tool}" var)
  find_program(${var} ${tool})
  if(NOT ${var})
    fail("${tool} not found (dpkg-dev, desktop-file-utils, appstream, binutils: scripts/setup.sh installs them)")
  endif()
endforeach()

# run_step(<name> [OUTPUT <var>] COMMAND <command...>): runs it, fails on a non-zero exit.
function(run_step name)
  cmake_parse_arguments(ARG "" "OUTPUT" "COMMAND" ${ARGN})
  execute_process(COMMAND ${ARG_COMMAND} WORKING_DIRECTORY ${WORK_DIR}
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    fail("step '${name}' failed (${result})\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  message(STATUS "package test: ${name}: ok")
  if(ARG_OUTPUT)
    set(${ARG_OUTPUT} "${out}" PARENT_SCOPE)
  endif()
endfunction()

# A fresh directory each run, so nothing left from an earlier run can make it pass.
set(root ${WORK_DIR}/root)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# --- the package -----------------------------------------------------------------------------
run_step("cpack -G DEB"
  COMMAND ${CPACK_COMMAND} -G DEB --config ${CPACK_CONFIG} -C ${BUILD_TYPE} -B ${WORK_DIR}/cpack)
file(GLOB debs ${WORK_DIR}/cpack/*.deb)
list(LENGTH debs count)
if(NOT count EQUAL 1)
  fail("expected one .deb in ${WORK_DIR}/cpack, found ${count}: ${debs}")
endif()
message(STATUS "package test: ${debs}")

# --- control fields ------------------------------------------------------------------------
function(control_field field var)
  run_step("control field ${field}" OUTPUT value COMMAND ${dpkg_deb} -f ${debs} ${field})
  string(STRIP "${value}" value)
  set(${var} "${value}" PARENT_SCOPE)
endfunction()
control_field(Package package)
if(NOT package STREQUAL "memlog")
  fail("Package is '${package}', not 'memlog'")
endif()
control_field(Version version)
if(NOT version STREQUAL VERSION)
  fail("Version is '${version}', not the project's '${VERSION}'")
endif()
control_field(Depends depends)
message(STATUS "package test: Depends: ${depends}")
foreach(lib libqt6charts6 libqt6websockets6 libqt6httpserver6 libhiredis)
  if(NOT depends MATCHES "(^|, )${lib}")
    fail("Depends does not name ${lib} (is CPACK_DEBIAN_PACKAGE_SHLIBDEPS on?): ${depends}")
  endif()
endforeach()
foreach(field Maintainer Description Section Architecture)
  control_field(${field} value)
  if(value STREQUAL "")
    fail("control field ${field} is empty")
  endif()
endforeach()

# --- what it installs: all that must be there, and nothing else ------------------------------
run_step("unpack (dpkg-deb -x)" COMMAND ${dpkg_deb} -x ${debs} ${root})
set(required
  usr/bin/memlog-monitor
  usr/share/applications/memlog-monitor.desktop
  usr/share/icons/hicolor/scalable/apps/memlog-monitor.svg
  usr/share/metainfo/org.memlog.monitor.metainfo.xml
  usr/share/doc/memlog/copyright
  usr/include/memlog/memlog.hpp
  usr/include/memlog/version.hpp
  usr/lib/libmemlog.a
  usr/lib/cmake/memlog/memlogConfig.cmake
  usr/lib/cmake/memlog/memlogConfigVersion.cmake
  usr/lib/cmake/memlog/memlogTargets.cmake)
foreach(file IN LISTS required)
  if(NOT EXISTS ${root}/${file})
    fail("${file} is not in the package")
  endif()
endforeach()
# No tests, benchmarks, helper libraries (memlog_session, memlog_widgets, memlog_monitor_app, …) or third-party files.
set(allowed
  "usr/bin/memlog-monitor"
  "usr/share/applications/memlog-monitor\\.desktop"
  "usr/share/icons/hicolor/scalable/apps/memlog-monitor\\.svg"
  "usr/share/metainfo/org\\.memlog\\.monitor\\.metainfo\\.xml"
  "usr/share/doc/memlog/copyright"
  "usr/include/memlog/[a-z_]+\\.hpp"
  "usr/lib/libmemlog\\.a"
  "usr/lib/cmake/memlog/memlog(Config|ConfigVersion|Targets|Targets-[a-z]+)\\.cmake")
list(JOIN allowed "|" allowed)
file(GLOB_RECURSE files RELATIVE ${root} LIST_DIRECTORIES false ${root}/*)
foreach(file IN LISTS files)
  if(NOT file MATCHES "^(${allowed})$")
    fail("${file} should not be in the package")
  endif()
endforeach()
list(LENGTH files count)
message(STATUS "package test: ${count} files, none unexpected")

# --- the application ---------------------------------------------------------------------------
set(exe ${root}/usr/bin/memlog-monitor)
run_step("memlog-monitor --version" OUTPUT out COMMAND ${exe} --version)
string(STRIP "${out}" out)
if(NOT out STREQUAL "memlog-monitor ${VERSION}")
  fail("memlog-monitor --version printed '${out}', not 'memlog-monitor ${VERSION}'")
endif()
# No run path into the build tree (or anywhere): the system's Qt and hiredis are used.
run_step("readelf -d memlog-monitor" OUTPUT dynamic COMMAND ${readelf} -d ${exe})
if(dynamic MATCHES "R(UN)?PATH")
  fail("memlog-monitor has a run path:\n${dynamic}")
endif()

# --- desktop entry, icon, AppStream metadata ---------------------------------------------------
set(desktop ${root}/usr/share/applications/memlog-monitor.desktop)
run_step("desktop-file-validate" OUTPUT out COMMAND ${desktop_file_validate} ${desktop})
file(STRINGS ${desktop} icon REGEX "^Icon=")
if(NOT icon STREQUAL "Icon=memlog-monitor")  # the hicolor icon's name
  fail("the desktop entry's icon is '${icon}', not 'Icon=memlog-monitor'")
endif()
file(STRINGS ${desktop} exec REGEX "^Exec=")
if(NOT exec MATCHES "^Exec=memlog-monitor( |$)")
  fail("the desktop entry runs '${exec}', not memlog-monitor")
endif()
set(metainfo ${root}/usr/share/metainfo/org.memlog.monitor.metainfo.xml)
run_step("appstreamcli validate" COMMAND ${appstreamcli} validate --no-net ${metainfo})
file(READ ${metainfo} text)
foreach(expected "<id>org.memlog.monitor</id>"
                 "<launchable type=\"desktop-id\">memlog-monitor.desktop</launchable>"
                 "<binary>memlog-monitor</binary>")
  string(FIND "${text}" "${expected}" position)
  if(position EQUAL -1)
    fail("the AppStream metadata lacks ${expected}")
  endif()
endforeach()

# --- the CMake package, found under the unpacked tree: relocatable ---------------------------
file(GLOB cmake_files ${root}/usr/lib/cmake/memlog/*.cmake)
foreach(file IN LISTS cmake_files)
  file(READ ${file} text)
  foreach(dir ${SOURCE_DIR} ${BUILD_DIR})
    string(FIND "${text}" "${dir}" position)
    if(NOT position EQUAL -1)
      fail("${file} names ${dir}")
    endif()
  endforeach()
endforeach()

# Only the unpacked package may be found (not through PATH or the environment either).
memlog_outside_configure_args(configure_args ${CONSUMER_SOURCE_DIR} ${consumer_build} ${root}/usr)
list(APPEND configure_args -DCMAKE_FIND_USE_SYSTEM_ENVIRONMENT_PATH=OFF -DCMAKE_FIND_USE_CMAKE_ENVIRONMENT_PATH=OFF)
run_step("configure the consumer" COMMAND ${CMAKE_COMMAND} ${configure_args})

memlog_found_package_dir(found_dir ${consumer_build})
file(REAL_PATH "${root}/usr/lib/cmake/memlog" expected_dir)
if(NOT found_dir STREQUAL expected_dir)
  fail("the consumer found memlog in '${found_dir}', not in '${expected_dir}'")
endif()

run_step("build the consumer" COMMAND ${CMAKE_COMMAND} --build ${consumer_build} --config ${BUILD_TYPE})
set(consumer ${consumer_build}/memlog_consumer)
if(EXISTS ${consumer_build}/${BUILD_TYPE}/memlog_consumer)  # multi-config generators
  set(consumer ${consumer_build}/${BUILD_TYPE}/memlog_consumer)
endif()
run_step("run the consumer" COMMAND ${consumer})
