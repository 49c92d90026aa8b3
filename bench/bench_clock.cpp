// SPDX-License-Identifier: MIT
// The clock that stamps every write: the cost of system_clock::now() against FastClock::now(),
// and how far FastClock strays from the system clock, and whether it ever steps back.
#include "bench_support.hpp"

#include <memlog/fast_clock.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace memlog::bench {
namespace {

using std::chrono::system_clock;

std::int64_t ns_of(Timestamp t) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

void system_clock_now(benchmark::State& state) {
  const AllocCounter allocs;
  for (auto _ : state) benchmark::DoNotOptimize(system_clock::now());
  report_allocs(state, allocs, static_cast<double>(state.iterations()));
}

void fast_clock_now(benchmark::State& state) {
  const AllocCounter allocs;
  for (auto _ : state) benchmark::DoNotOptimize(FastClock::now());
  report_allocs(state, allocs, static_cast<double>(state.iterations()));
  state.counters["uses_tsc"] = FastClock::uses_tsc() ? 1 : 0;
}

// For 600 ms (several of FastClock's re-anchoring periods of ~100 ms): brackets each
// FastClock reading between two system_clock readings and keeps the largest distance from
// their midpoint, using only tight brackets (under 1 µs wide) so a preemption in between is
// not mistaken for clock error. Also counts consecutive FastClock readings that go backwards.
void fast_clock_offset(benchmark::State& state) {
  constexpr auto kDuration = std::chrono::milliseconds(600);
  constexpr std::int64_t kTightBracketNs = 1000;
  double max_offset_ns = 0;
  std::int64_t backward_steps = 0, max_backward_ns = 0, samples = 0;

  for (auto _ : state) {
    const auto end = std::chrono::steady_clock::now() + kDuration;
    std::int64_t previous = ns_of(FastClock::now());
    while (std::chrono::steady_clock::now() < end) {
      for (int i = 0; i < 1000; ++i) {
        const std::int64_t before = ns_of(system_clock::now());
        const std::int64_t fast = ns_of(FastClock::now());
        const std::int64_t after = ns_of(system_clock::now());
        if (fast < previous) {
          ++backward_steps;
          max_backward_ns = std::max(max_backward_ns, previous - fast);
        }
        previous = fast;
        if (after - before > kTightBracketNs) continue;
        ++samples;
        const double midpoint = static_cast<double>(before) + static_cast<double>(after - before) / 2;
        max_offset_ns = std::max(max_offset_ns, std::abs(static_cast<double>(fast) - midpoint));
      }
    }
  }
  state.counters["max_offset_us"] = max_offset_ns / 1000.0;
  state.counters["backward_steps"] = static_cast<double>(backward_steps);
  state.counters["max_backward_us"] = static_cast<double>(max_backward_ns) / 1000.0;
  state.counters["samples"] = static_cast<double>(samples);
}

BENCHMARK(system_clock_now)->Name("clock/system_clock_now");
BENCHMARK(fast_clock_now)->Name("clock/fast_clock_now");
BENCHMARK(fast_clock_offset)->Name("clock/fast_clock_offset")->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memlog::bench
