# SPDX-License-Identifier: MIT
# ctest: configures and builds tests/fuzz/project with clang, then runs the fuzz target for a
# bounded number of runs from the committed seed corpus (copied: new inputs stay in the build).
# -D SOURCE_DIR=<tests/fuzz> -D BINARY_DIR=<dir> -D CLANGXX=<clang++> -D RUNS=<n>
foreach(step
    "${CMAKE_COMMAND};-S;${SOURCE_DIR}/project;-B;${BINARY_DIR};-G;Ninja;-DCMAKE_CXX_COMPILER=${CLANGXX};-DCMAKE_BUILD_TYPE=None"
    "${CMAKE_COMMAND};--build;${BINARY_DIR}")
  execute_process(COMMAND ${step} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fuzz: `${step}` failed (${rc})")
  endif()
endforeach()
file(REMOVE_RECURSE ${BINARY_DIR}/corpus)
file(COPY ${SOURCE_DIR}/corpus/ DESTINATION ${BINARY_DIR}/corpus)
execute_process(COMMAND ${BINARY_DIR}/fuzz_log -runs=${RUNS} -max_len=1024 -seed=1 -print_final_stats=1 ${BINARY_DIR}/corpus
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz: fuzz_log found a failure (exit ${rc}); the input is saved in the working directory")
endif()
