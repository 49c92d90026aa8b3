#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The static-analysis gate: clang-tidy, with the checks of the project's .clang-tidy, over every
# first-party .cpp this build compiles (core, source, redis, ui, app, bench, tests; not the
# AUTOMOC/AUTORCC output), findings in our own headers included. Prints every finding, file by
# file, and a count per check; exits non-zero on any finding or on code clang cannot parse.
#
# Why clang-tidy-16 and the rewritten compile commands: Debian 12's clang-tidy 14 cannot parse
# C++23, and clang 16 knows the standard only as -std=c++2b. libstdc++ 12 enables <expected>
# only when __cpp_concepts >= 202002L, which clang 16 does not claim yet: it is redefined
# (undefined first, so that clang does not warn about the redefinition).
#
# Usage: check_tidy.sh <project root> <build dir> [<clang-tidy>]
# MEMLOG_TIDY_JOBS: how many clang-tidy processes at once (default 2).
# MEMLOG_TIDY_ONLY: a regular expression; only the sources whose path below the root matches
# it are checked (MEMLOG_TIDY_ONLY='^(core|tests/core)/' while fixing the core).
set -euo pipefail

root=$(realpath "${1:?usage: check_tidy.sh <project root> <build dir> [<clang-tidy>]}")
build=$(realpath "${2:?usage: check_tidy.sh <project root> <build dir> [<clang-tidy>]}")
tidy=${3:-clang-tidy-16}
jobs=${MEMLOG_TIDY_JOBS:-2}

command -v "$tidy" >/dev/null ||
  { echo "tidy: $tidy is not installed (scripts/setup.sh installs clang-tidy-16)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "tidy: needs python3" >&2; exit 2; }
[[ -f $build/compile_commands.json ]] ||
  { echo "tidy: no $build/compile_commands.json (configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Our own sources only, with the compile commands clang 16 understands. Generated sources
# (moc, rcc) live in the build tree, which may itself lie below the project root.
python3 - "$root" "$build" "$work" "${MEMLOG_TIDY_ONLY:-}" <<'EOF'
import json, os, re, sys
root, build, work, only = sys.argv[1:5]
folders = ("core", "source", "redis", "ui", "app", "bench", "tests")
def ours(path):
    path = os.path.realpath(path)
    if path.startswith(build + os.sep) or "_autogen" in path or not path.endswith(".cpp"):
        return False
    rel = os.path.relpath(path, root)
    return rel.split(os.sep)[0] in folders and re.search(only, rel) is not None
entries = []
for entry in json.load(open(os.path.join(build, "compile_commands.json"))):
    file = os.path.join(entry["directory"], entry["file"])
    if not ours(file):
        continue
    if "command" in entry:
        entry["command"] = entry["command"].replace("-std=c++23", "-std=c++2b")
    if "arguments" in entry:
        entry["arguments"] = ["-std=c++2b" if a == "-std=c++23" else a for a in entry["arguments"]]
    entries.append(entry)
json.dump(entries, open(os.path.join(work, "compile_commands.json"), "w"), indent=1)
with open(os.path.join(work, "files"), "w") as files:
    for name in sorted({os.path.realpath(os.path.join(e["directory"], e["file"])) for e in entries}):
        files.write(name + "\n")
EOF
mapfile -t files < "$work/files"
((${#files[@]} > 0)) || { echo "tidy: no first-party sources in $build/compile_commands.json" >&2; exit 2; }

# Findings in headers count when the header is ours: anchored at the project root, so that
# Qt's headers, the system's, and moc output in a build tree below the root never match.
header_filter="^$(printf '%s' "$root" | sed 's/[][\.*^$+?(){}|]/\\&/g')/(core|source|redis|ui|app|bench|tests)/"

echo "tidy: $(${tidy} --version | grep -m1 -o 'LLVM version [0-9.]*'), ${#files[@]} sources, $jobs at once"
start=$SECONDS
export tidy work header_filter root
printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P "$jobs" bash -c '
  out=$work/$(printf "%s" "${1#"$root"/}" | tr / _).log
  "$tidy" -p "$work" --quiet --header-filter="$header_filter" \
    --extra-arg=-U__cpp_concepts --extra-arg=-D__cpp_concepts=202002L "$1" >"$out" 2>&1 ||
    echo "exit status $?" >>"$out"
' tidy-one

# A header included by many sources is reported by each of them: every finding once.
python3 - "$work" "$root" "$((SECONDS - start))" <<'EOF'
import collections, glob, os, re, sys
work, root, seconds = sys.argv[1], sys.argv[2], sys.argv[3]
finding = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|error): (?P<text>.*?)(?: \[(?P<check>[^\]]+)\])?$")
found, failed = {}, []
for log in sorted(glob.glob(os.path.join(work, "*.log"))):
    text = open(log, errors="replace").read().splitlines()
    mine = [m for m in map(finding.match, text) if m]
    for m in mine:
        path = os.path.relpath(os.path.realpath(m["file"]), root)
        key = (path, int(m["line"]), int(m["col"]), m["check"] or m["kind"])
        found.setdefault(key, f'{path}:{m["line"]}:{m["col"]}: {m["kind"]}: {m["text"]} [{key[3]}]')
    if not mine and any(line.startswith("exit status") for line in text):
        failed.append((os.path.basename(log), text))
for name, text in failed:   # clang-tidy failed without a located finding: show what it said
    print(f"tidy: clang-tidy failed on {name}:", *text[-20:], sep="\n  ", file=sys.stderr)
if found:
    by_file = collections.defaultdict(list)
    for key in sorted(found):
        by_file[key[0]].append(found[key])
    for path, lines in by_file.items():
        print(f"\n{path}: {len(lines)}", *lines, sep="\n  ", file=sys.stderr)
    checks = collections.Counter(key[3] for key in found)
    print("\ntidy: findings per check:", file=sys.stderr)
    for check, count in checks.most_common():
        print(f"  {count:5}  {check}", file=sys.stderr)
    print(f"tidy: {len(found)} findings in {len(by_file)} files ({seconds} s)", file=sys.stderr)
if found or failed:
    sys.exit(1)
print(f"tidy: no findings ({seconds} s)")
EOF
