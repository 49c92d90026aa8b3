#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A stand-in for scripts/setup.sh that installs only cmake: the package-coverage check must
# report the packages it lacks (package_coverage_sees_a_gap).
[[ ${1:-} == --list ]] && echo cmake
