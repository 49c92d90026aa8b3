#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets everything up (packages, configure, build: release preset) and makes the Debian package
# with `cpack -G DEB` in build/release. Prints the path of the .deb on standard output (all the
# rest goes to standard error), so `sudo apt install "$(scripts/package.sh)"` works; the package
# settings are in cmake/packaging.cmake.
set -euo pipefail
cd "$(dirname "$0")/.."

{
  scripts/setup.sh
  cmake --preset release >/dev/null
  cmake --build --preset release
} >&2

cd build/release
out=$(cpack -G DEB 2>&1) || { printf '%s\n' "$out" >&2; echo "package: cpack failed" >&2; exit 1; }
printf '%s\n' "$out" >&2
deb=$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' <<<"$out")
if [[ -z $deb || ! -f $deb ]]; then
  echo "package: cpack did not say which .deb it made" >&2
  exit 1
fi
echo "$deb"
