#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every C++ file of the project is formatted as .clang-format says: clang-format --dry-run
# --Werror over the tracked sources (or, outside a git checkout, every .cpp/.hpp below the
# project's code folders). Prints each file that differs; exits non-zero if any does.
set -euo pipefail
root=${1:?usage: check_format.sh <project root>}
cd "$root"
command -v clang-format >/dev/null || { echo "format: clang-format is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp')
else
  mapfile -t files < <(find app bench core examples redis source tests ui -name '*.cpp' -o -name '*.hpp' | sort)
fi
((${#files[@]} > 0)) || { echo "format: no C++ files found under $root" >&2; exit 2; }
bad=()
for f in "${files[@]}"; do
  [[ -f $f ]] || continue
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]} > 0)); then
  printf 'format: not formatted as .clang-format says (run clang-format -i on it): %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "format: all ${#files[@]} C++ files are formatted ($(clang-format --version | head -n 1))"
