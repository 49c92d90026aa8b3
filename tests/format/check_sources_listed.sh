#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every C++ file of the Qt targets (ui/, app/) is listed in its folder's CMakeLists.txt. AUTOMOC
# runs moc over the files a target lists, and sees a header that is not listed only when a
# listed .cpp of the same name happens to include it: a new Q_OBJECT header that is not listed
# builds once and then fails to link (or is missed by an incremental build). Listing every file
# makes the CMakeLists.txt change, so CMake reconfigures and AUTOMOC sees the header at once.
# Prints each file that is not listed; exits non-zero if any is not.
set -euo pipefail
root=${1:?usage: check_sources_listed.sh <project root> [folder...]}
shift
folders=("$@")
((${#folders[@]} > 0)) || folders=(ui app)
cd "$root"
mapfile -t files < <(find "${folders[@]}" -name '*.cpp' -o -name '*.hpp' | sort)
((${#files[@]} > 0)) || { echo "sources: no C++ files under ${folders[*]} in $root" >&2; exit 2; }
missing=()
for f in "${files[@]}"; do
  list=$(dirname "$f")/CMakeLists.txt
  # A word of its own in the list: "x.hpp" does not count as listed through "my_x.hpp".
  if [[ ! -f $list ]] || ! grep -Eq "(^|[[:space:]/(])$(basename "$f" | sed 's/\./\\./g')([[:space:])#]|$)" "$list"; then
    missing+=("$f")
  fi
done
if ((${#missing[@]} > 0)); then
  printf 'sources: not listed in its folder'"'"'s CMakeLists.txt (AUTOMOC would not see it): %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "sources: all ${#files[@]} C++ files of ${folders[*]} are listed"
