#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that scripts/setup.sh installs everything this build found. A machine that already
# has a package hides a missing install step (Qt6Charts needs Qt6OpenGL, whose -dev package
# qt6-charts-dev does not pull in without recommends), so this looks at what the configured
# build really used: every CMake package config (the *_DIR entries of CMakeCache.txt), every
# pkg-config library, and every program it found (compiler, build tool, clang for the fuzzer)
# must belong to a Debian package that setup.sh installs, or to one of their dependencies.
# (Optional finds that nothing links, such as FindOpenGL's GLU and EGL, are not asked for.)
#
# Usage: check_package_coverage.sh <build dir> [<setup.sh>]
set -euo pipefail

build=${1:?usage: check_package_coverage.sh <build dir> [<setup.sh>]}
setup=${2:-$(dirname "$0")/../../scripts/setup.sh}
cache=$build/CMakeCache.txt
[[ -f $cache ]] || { echo "package coverage: no $cache (configure first)" >&2; exit 2; }
command -v dpkg-query >/dev/null && command -v apt-cache >/dev/null ||
  { echo "package coverage: needs dpkg and apt (Debian)" >&2; exit 2; }

mapfile -t listed < <(bash "$setup" --list)
((${#listed[@]} > 0)) || { echo "package coverage: $setup --list printed no packages" >&2; exit 2; }

# What setup.sh brings onto a machine: its packages and their dependencies, without
# recommends (it installs with --no-install-recommends). Virtual names come out as <name>.
declare -A allowed=()
while read -r name; do
  name=${name#<}; name=${name%>}; allowed[${name%%:*}]=1
done < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
           --no-replaces --no-enhances "${listed[@]}" | grep -v '^ ')

# The files the build found: package configs in *_DIR folders, pkg-config libraries, tools.
declare -A found=()   # path -> cache entry that found it
while IFS= read -r line; do
  entry=${line%%:*}; value=${line#*=}
  [[ $value == /usr/* && $value != /usr/local/* ]] || continue
  if [[ $entry == *_DIR && -d $value ]]; then
    for config in "$value"/*Config.cmake "$value"/*-config.cmake; do
      [[ -f $config ]] && found[$config]=$entry
    done
  elif [[ -f $value ]]; then
    found[$value]=$entry
  fi
done < <(grep -E '^([A-Za-z0-9_.+-]+_DIR:PATH|pkgcfg_lib_[A-Za-z0-9_.+-]+:FILEPATH|[A-Za-z0-9_.+-]+:FILEPATH=/usr/s?bin/)' "$cache")
((${#found[@]} > 0)) || { echo "package coverage: found nothing to check in $cache" >&2; exit 2; }

# dpkg -S knows the packaged path; a symlink made by update-alternatives is not packaged,
# the file it resolves to is.
owner_of() {
  local path=$1 owners
  owners=$(dpkg-query -S "$path" 2>/dev/null | grep -v '^diversion' | head -n 1) ||
    owners=$(dpkg-query -S "$(realpath "$path")" 2>/dev/null | grep -v '^diversion' | head -n 1) || return 1
  echo "${owners%%: /*}"
}

failures=0
checked=0
for path in "${!found[@]}"; do
  checked=$((checked + 1))
  if ! owners=$(owner_of "$path"); then
    echo "package coverage: ${found[$path]} found $path, which no Debian package installs" >&2
    failures=$((failures + 1))
    continue
  fi
  covered=0
  IFS=', ' read -r -a packages <<< "$owners"
  for package in "${packages[@]}"; do
    [[ -n ${allowed[${package%%:*}]:-} ]] && covered=1
  done
  if ((!covered)); then
    echo "package coverage: ${found[$path]} found $path from package '${owners}'," \
         "which scripts/setup.sh does not install (nor does anything it installs depend on it):" \
         "add '${packages[0]%%:*}' to scripts/setup.sh" >&2
    failures=$((failures + 1))
  fi
done

if ((failures > 0)); then
  echo "package coverage: $failures of $checked files the build found are not covered by scripts/setup.sh" >&2
  exit 1
fi
echo "package coverage: all $checked files the build found come from ${#listed[@]} packages of scripts/setup.sh or their dependencies"
