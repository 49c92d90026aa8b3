#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds memlog_bench (release preset) and runs it: memlog against a naive C++ port of Go
# memlog's design. Prints Google Benchmark's medians over 5 repetitions, then a table of
# naive/memlog ratios and memlog's targets. Extra arguments go to memlog_bench, e.g.
#   scripts/bench.sh --benchmark_filter='read'      scripts/bench.sh --benchmark_repetitions=10
# The raw results are kept in build/release/bench/memlog_bench.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -x scripts/setup.sh ]]; then
  scripts/setup.sh
fi
cmake --preset release >/dev/null
cmake --build --preset release --target memlog_bench

bench=build/release/bench/memlog_bench
json=build/release/bench/memlog_bench.json
"$bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$json" --benchmark_out_format=json "$@"

python3 - "$json" <<'PY'
import json, sys

runs = json.load(open(sys.argv[1]))["benchmarks"]
# Medians only (the mean of a noisy machine's runs is pulled by its outliers).
median = {r["run_name"]: r for r in runs if r.get("aggregate_name") == "median"}
if not median:  # run without repetitions: the single runs
    median = {r["run_name"]: r for r in runs if r.get("run_type") == "iteration"}

def key(run_name):
    """(family, implementation, variant): 'read_parallel/naive/real_time/threads:2' ->
    ('read_parallel', 'naive', 'threads:2'); sample counts and iteration counts dropped."""
    parts = run_name.split("/")
    rest = [p for p in parts[2:] if not p.isdigit() and not p.startswith("iterations:") and p != "real_time"]
    return parts[0], parts[1] if len(parts) > 1 else "", "/".join(rest)

def ns_per_item(r):
    return 1e9 / r["items_per_second"] if r.get("items_per_second") else None

# family -> (metric label, value function, lower is better)
metrics = {
    "write": [("ns/op", ns_per_item, True)],
    "read": [("ns/op", ns_per_item, True)],
    "read_parallel": [("M items/s", lambda r: r["items_per_second"] / 1e6, False)],
    "read_batch": [("ns/record", ns_per_item, True)],
    "stream_latency": [("p50 µs", lambda r: r.get("p50_us"), True), ("p99 µs", lambda r: r.get("p99_us"), True)],
    "memory": [("overhead B/record", lambda r: r.get("overhead_per_record"), True)],
    "clock": [],
}
# memlog's upper limits (docs/performance.md), for every variant: (family, metric) -> limit
targets = {
    ("write", "ns/op"): 18, ("read", "ns/op"): 13, ("read_batch", "ns/record"): 3,
    ("stream_latency", "p50 µs"): 10, ("stream_latency", "p99 µs"): 50,
    ("memory", "overhead B/record"): 64,
}

by_key = {key(name): r for name, r in median.items()}
rows = []
for (family, impl, variant), r in sorted(by_key.items()):
    if impl != "memlog":
        continue
    naive = by_key.get((family, "naive", variant))
    for label, value, lower_better in metrics.get(family, []):
        m = value(r)
        n = value(naive) if naive else None
        ratio = (n / m if lower_better else m / n) if (m and n) else None
        limit = targets.get((family, label))
        verdict = "" if limit is None else ("ok" if m is not None and m <= limit else "MISSED") + f" (≤ {limit})"
        allocs = lambda x: "" if x is None or "allocs_per_op" not in x else f'{x["allocs_per_op"]:.3g}'
        name = f"{family}/{variant}" if variant else family
        rows.append((name, label, n, m, ratio, allocs(naive), allocs(r), verdict))

def fmt(x):
    return "-" if x is None else (f"{x:.3g}" if abs(x) < 100 else f"{x:.0f}")

print()
print("Medians. 'memlog gain' = how many times better memlog is than the naive Go-like log.")
header = ("benchmark", "metric", "naive", "memlog", "memlog gain", "allocs/op naive", "allocs/op memlog", "target")
table = [header] + [(a, b, fmt(n), fmt(m), "-" if q is None else f"{q:.1f}x", an, am, v)
                    for a, b, n, m, q, an, am, v in rows]
widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
for i, row in enumerate(table):
    print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    if i == 0:
        print("  ".join("-" * w for w in widths))

# Reader scaling: throughput of 2 reader threads over 1.
print()
for impl in ("memlog", "naive"):
    one = by_key.get(("read_parallel", impl, "threads:1"))
    two = by_key.get(("read_parallel", impl, "threads:2"))
    if one and two:
        scaling = two["items_per_second"] / one["items_per_second"]
        note = f"  target ≥ 1.8x: {'ok' if scaling >= 1.8 else 'MISSED'}" if impl == "memlog" else ""
        print(f"read_parallel scaling, {impl}: 2 threads = {scaling:.2f}x one{note}")

# ShardedLog: writers on shards of their own should scale; and what the key costs one writer.
# (BM_* names: key() does not apply, so these go by run_name.)
sharded = {t: median.get(f"BM_ShardedWrite/real_time/threads:{t}") for t in (1, 2)}
plain = median.get("BM_PlainWrite_ForSharded/real_time")
if sharded[1] and sharded[2]:
    scaling = sharded[2]["items_per_second"] / sharded[1]["items_per_second"]
    print(f"sharded write 2 threads / 1 thread = {scaling:.2f} (target ≥ 1.7): {'ok' if scaling >= 1.7 else 'MISSED'}")
if sharded[1] and plain:
    print(f"sharded write / plain write (1 thread) = {plain['real_time'] / sharded[1]['real_time']:.2f} "
          f"(sharded {fmt(sharded[1]['real_time'])} ns, plain {fmt(plain['real_time'])} ns)")

floor = by_key.get(("stream_latency", "condvar_floor", ""))
if floor:
    print(f"stream wake-up floor (bare condition variable): p50 {fmt(floor.get('p50_us'))} µs, "
          f"p99 {fmt(floor.get('p99_us'))} µs")
offset = by_key.get(("clock", "fast_clock_offset", ""))
if offset:
    print(f"FastClock: max |offset| from system_clock {fmt(offset.get('max_offset_us'))} µs, "
          f"backward steps {offset.get('backward_steps', 0):.0f}")
sysc, fast = by_key.get(("clock", "system_clock_now", "")), by_key.get(("clock", "fast_clock_now", ""))
if sysc and fast:
    print(f"clock: system_clock::now {fmt(sysc['real_time'])} ns, FastClock::now {fmt(fast['real_time'])} ns")
PY
