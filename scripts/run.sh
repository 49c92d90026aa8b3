#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets everything up (packages, configure, build) and starts memlog-monitor.
# Arguments go to the application, e.g. scripts/run.sh --segment-size 500 --rate 2000
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target memlog-monitor

app=build/release/app/memlog-monitor
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "run: no display found; starting memlog-monitor in a virtual X server (xvfb-run)." >&2
  echo "run: pass --screenshot FILE --quit-after SECONDS to see what it shows." >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$@"
fi
exec "$app" "$@"
