# SPDX-License-Identifier: MIT
# cmake -P script behind the install_consumer test: install, configure, build, run. Any step
# that fails fails the test (message(FATAL_ERROR) gives a non-zero exit).
#
# Inputs (-D): MEMLOG_BUILD_DIR, WORK_DIR, CONSUMER_SOURCE_DIR, GENERATOR, MAKE_PROGRAM,
# CXX_COMPILER, BUILD_TYPE, CXX_FLAGS, EXE_LINKER_FLAGS.
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/outside_project.cmake)

memlog_require_inputs(run_install_test.cmake MEMLOG_BUILD_DIR WORK_DIR CONSUMER_SOURCE_DIR GENERATOR CXX_COMPILER)
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

# A fresh directory each run, so nothing left from an earlier run can make it pass.
set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

function(run_step name)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "install test: step '${name}' failed (${result})\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  message(STATUS "install test: ${name}: ok")
endfunction()

run_step("install" ${CMAKE_COMMAND} --install ${MEMLOG_BUILD_DIR} --prefix ${prefix} --config ${BUILD_TYPE})

foreach(file include/memlog/memlog.hpp include/memlog/log.hpp include/memlog/version.hpp)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "install test: ${file} was not installed")
  endif()
endforeach()

# Only the installed package may be found.
memlog_outside_configure_args(configure_args ${CONSUMER_SOURCE_DIR} ${consumer_build} ${prefix})
list(APPEND configure_args "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}")
run_step("configure the consumer" ${CMAKE_COMMAND} ${configure_args})

# The package found must be the one just installed.
memlog_found_package_dir(found_dir ${consumer_build})
file(REAL_PATH "${prefix}" real_prefix)
string(FIND "${found_dir}" "${real_prefix}/" position)
if(NOT position EQUAL 0)
  message(FATAL_ERROR "install test: found memlog in '${found_dir}', not under '${real_prefix}'")
endif()

run_step("build the consumer" ${CMAKE_COMMAND} --build ${consumer_build} --config ${BUILD_TYPE})

set(exe ${consumer_build}/memlog_consumer)
if(EXISTS ${consumer_build}/${BUILD_TYPE}/memlog_consumer)  # multi-config generators
  set(exe ${consumer_build}/${BUILD_TYPE}/memlog_consumer)
endif()
run_step("run the consumer" ${exe})
