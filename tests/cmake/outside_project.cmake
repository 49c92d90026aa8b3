# SPDX-License-Identifier: MIT
# What the cmake -P scripts behind the install, examples and package tests share: checking
# their inputs, configuring an outside project so that it can find memlog only where the test
# put it, and reading which memlog package it found. include() it from such a script.

# Fails naming the script when one of the -D inputs is missing or empty.
function(memlog_require_inputs script)
  foreach(var ${ARGN})
    if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
      message(FATAL_ERROR "${script}: ${var} is not set")
    endif()
  endforeach()
endfunction()

# Sets <out> to the arguments that configure <source> into <build> with the test's compiler,
# build type and generator (GENERATOR, CXX_COMPILER, BUILD_TYPE, MAKE_PROGRAM from the caller),
# finding packages under <prefix> only: not the build tree through the package registries, nor
# a copy installed system-wide.
function(memlog_outside_configure_args out source build prefix)
  set(args
    -S ${source} -B ${build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF)
  if(MAKE_PROGRAM)
    list(APPEND args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
  endif()
  set(${out} ${args} PARENT_SCOPE)
endfunction()

# Sets <out> to the real path of the memlog package the project configured in <build> found.
function(memlog_found_package_dir out build)
  file(STRINGS ${build}/CMakeCache.txt found REGEX "^memlog_DIR:")
  string(REGEX REPLACE "^memlog_DIR:[A-Z]+=" "" found "${found}")
  file(REAL_PATH "${found}" found)
  set(${out} ${found} PARENT_SCOPE)
endfunction()
