#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what building, running and testing memlog needs on Debian (12 or newer), skipping
# what is already there. Uses sudo when not root. Safe to run again.
# `setup.sh --list` prints the packages, one a line (the package-coverage test reads them).
# This is the one list of the project's packages.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev libgl-dev        # Qt 6 Core, Gui, Widgets, Test, Charts
  libqt6opengl6-dev                            # Qt6Charts' CMake config needs Qt6OpenGL(Widgets),
                                               # which qt6-charts-dev only recommends
  qt6-httpserver-dev qt6-websockets-dev        # serving the log (ui/server)
  redis-server libhiredis-dev                  # the Redis Streams bridge (redis/) and its tests
  curl                                         # the server test with a real HTTP client
  libbenchmark-dev                             # bench/
  xvfb xauth                                   # the real-window test (xvfb-run)
  fonts-dejavu-core                            # text in offscreen and Xvfb renderings
  imagemagick                                  # screenshots of a whole X screen (import)
  xdotool                                      # the real-window test drives the menus by keyboard
  python3                                      # scripts/bench.sh post-processing
  clang-format                                 # the formatting gate (tests/format)
  clang-tidy-16                                # the static-analysis gate (tests/tidy; 14 cannot parse C++23)
  desktop-file-utils appstream                 # the package test checks the .desktop and metainfo
  clang-16 libclang-rt-16-dev                  # the libFuzzer run (tests/fuzz, asan preset)
)

if [[ ${1:-} == --list ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
