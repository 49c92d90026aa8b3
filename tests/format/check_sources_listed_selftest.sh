#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_sources_listed.sh finds what it is for: a tree whose every file is listed passes; a
# header that is not listed, or listed only as part of a longer name, fails and is named.
set -euo pipefail
check=${1:?usage: check_sources_listed_selftest.sh <check_sources_listed.sh>}
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/ui/panels"
touch "$tree/ui/panels/a_panel.hpp" "$tree/ui/panels/a_panel.cpp" "$tree/ui/panels/panel.hpp"
printf 'target_sources(t PRIVATE\n  a_panel.hpp a_panel.cpp\n  panel.hpp)\n' >"$tree/ui/panels/CMakeLists.txt"
bash "$check" "$tree" ui >/dev/null || { echo "selftest: a fully listed tree was refused" >&2; exit 1; }
printf 'target_sources(t PRIVATE a_panel.hpp a_panel.cpp)\n' >"$tree/ui/panels/CMakeLists.txt"
if out=$(bash "$check" "$tree" ui 2>&1); then
  echo "selftest: panel.hpp (only inside a_panel.hpp) was taken as listed" >&2
  exit 1
fi
[[ $out == *ui/panels/panel.hpp* ]] || { echo "selftest: the message does not name the file: $out" >&2; exit 1; }
echo "selftest: the check sees an unlisted header"
