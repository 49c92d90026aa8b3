#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets everything up (packages, configure, build) and runs every test: the whole ctest suite
# in a release build, then the core and source suites again under ThreadSanitizer and under
# AddressSanitizer + UBSan, the HTTP/WebSocket server's suites under ASan + UBSan too, and the
# monitor built without Redis (-DMEMLOG_WITH_REDIS=OFF).
# Stops at the first failing stage with a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

stage() { printf '\n==== %s ====\n' "$*"; }

for preset in release tsan asan asan-server no-redis; do
  stage "configure + build: $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
done

for preset in release tsan asan asan-server no-redis; do
  stage "tests: $preset"
  ctest --preset "$preset"
done
