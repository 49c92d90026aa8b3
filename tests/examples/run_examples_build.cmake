# SPDX-License-Identifier: MIT
# cmake -P script behind the examples_build test: installs memlog::core into a fresh prefix,
# then configures and builds examples/ against that prefix only. Any step that fails fails the
# test (message(FATAL_ERROR) gives a non-zero exit); the example_* tests then run the programs.
#
# Inputs (-D): CORE_BINARY_DIR, WORK_DIR, EXAMPLES_SOURCE_DIR, GENERATOR, MAKE_PROGRAM,
# CXX_COMPILER, CXX_COMPILER_LAUNCHER, BUILD_TYPE, CXX_FLAGS, EXE_LINKER_FLAGS, WITH_BRIDGE,
# QT6_DIR (with WITH_BRIDGE).
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/outside_project.cmake)

memlog_require_inputs(run_examples_build.cmake CORE_BINARY_DIR WORK_DIR EXAMPLES_SOURCE_DIR GENERATOR CXX_COMPILER)
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

# A fresh directory each run, so nothing left from an earlier run can make it pass.
set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run_step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "examples: step '${name}' failed (${result})\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  message(STATUS "examples: ${name}: ok")
endfunction()

# The core directory's install rules only: the `memlog` package (library, headers, CMake files),
# all the examples use. Unlike the install test (which installs the whole build), this works
# whether or not the rest of the project (the Qt application) has been built.
run_step("install memlog::core" ${CMAKE_COMMAND} --install ${CORE_BINARY_DIR} --prefix ${prefix} --config ${BUILD_TYPE})

# Only the installed package may be found.
memlog_outside_configure_args(configure_args ${EXAMPLES_SOURCE_DIR} ${build} ${prefix})
list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}")
if(CXX_COMPILER_LAUNCHER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_COMPILER_LAUNCHER}")
endif()
# Qt is taken from where this build found it, and only when the bridge is to be tested: then
# it must be found; otherwise it must not be looked for (the bridge is left out).
if(WITH_BRIDGE)
  list(APPEND configure_args -DQt6_DIR=${QT6_DIR} -DCMAKE_REQUIRE_FIND_PACKAGE_Qt6=ON)
else()
  list(APPEND configure_args -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON)
endif()
run_step("configure examples/" ${CMAKE_COMMAND} ${configure_args})

# The package found must be the one just installed.
memlog_found_package_dir(found_dir ${build})
file(REAL_PATH "${prefix}" real_prefix)
string(FIND "${found_dir}" "${real_prefix}/" position)
if(NOT position EQUAL 0)
  message(FATAL_ERROR "examples: found memlog in '${found_dir}', not under '${real_prefix}'")
endif()

run_step("build examples/" ${CMAKE_COMMAND} --build ${build} --config ${BUILD_TYPE})

set(examples write_read read_batch stream consumer_checkpoint sharded)
if(WITH_BRIDGE)
  list(APPEND examples bridge)
endif()
foreach(example ${examples})
  if(NOT EXISTS ${build}/${example} AND NOT EXISTS ${build}/${BUILD_TYPE}/${example})
    message(FATAL_ERROR "examples: ${example} was not built")
  endif()
endforeach()
