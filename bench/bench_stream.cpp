// SPDX-License-Identifier: MIT
// stream_latency: how long a record takes from write() on one thread to a stream's next()
// on another, with a writer at ~1 kHz (a steady trickle, so the stream is usually waiting).
#include "bench_support.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace memlog::bench {
namespace {

using steady = std::chrono::steady_clock;

constexpr int kWarmup = 20;  // the first records also measure thread start-up: not counted

// The q-quantile of sorted latencies (nearest rank), in microseconds.
double percentile_us(const std::vector<double>& sorted_ns, double q) {
  const auto index = static_cast<std::size_t>(std::lround(q * static_cast<double>(sorted_ns.size() - 1)));
  return sorted_ns[index] / 1000.0;
}

// Runs `write(sent)` `total` times at ~1 kHz on its own thread, `sent` being the steady_clock
// reading taken just before. Paced against the start time, so late wake-ups do not drift.
template <class Write>
std::jthread paced_writer(int total, Write write) {
  return std::jthread([total, write = std::move(write)]() mutable {
    const auto start = steady::now();
    for (int i = 0; i < total; ++i) {
      std::this_thread::sleep_until(start + std::chrono::milliseconds(i + 1));
      write(steady::now().time_since_epoch().count());
    }
  });
}

void report_latencies(benchmark::State& state, std::vector<double>& latencies, double allocs_per_record) {
  if (latencies.empty()) return;
  std::sort(latencies.begin(), latencies.end());
  state.counters["p50_us"] = percentile_us(latencies, 0.50);
  state.counters["p99_us"] = percentile_us(latencies, 0.99);
  state.counters["max_us"] = latencies.back() / 1000.0;
  state.counters["samples"] = static_cast<double>(latencies.size());
  state.counters["allocs_per_op"] = allocs_per_record;
}

// The writer puts its steady_clock reading, taken just before write(), in the first 8 bytes
// of the 32-byte payload; the consumer subtracts it from its own reading after next().
template <class Impl>
void stream_latency(benchmark::State& state) {
  const auto samples = static_cast<int>(state.range(0));
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(samples) * static_cast<std::size_t>(state.max_iterations));
  double allocs_per_record = 0;

  for (auto _ : state) {
    auto log = Impl::make();
    const int total = kWarmup + samples;
    std::jthread writer =
        paced_writer(total, [&log, buffer = std::array<char, kPayload.size()>{}](std::int64_t sent) mutable {
          std::memcpy(buffer.data(), kPayload.data(), kPayload.size());
          std::memcpy(buffer.data(), &sent, sizeof sent);
          (void)log->write(std::as_bytes(std::span{buffer}));
        });

    auto stream = log->stream(0);
    AllocCounter allocs;  // the consumer's allocations, per record received after the warm-up
    for (int i = 0; i < total; ++i) {
      if (i == kWarmup) allocs = AllocCounter{};
      auto record = stream.next();
      const std::int64_t received = steady::now().time_since_epoch().count();
      if (!record) {
        state.SkipWithError("the stream ended early");
        break;
      }
      std::int64_t sent = 0;
      std::memcpy(&sent, Impl::bytes(*record).data(), sizeof sent);
      if (i >= kWarmup) latencies.push_back(static_cast<double>(received - sent));
    }
    allocs_per_record = static_cast<double>(allocs.allocations()) / samples;
  }
  report_latencies(state, latencies, allocs_per_record);
}

// The floor under any blocking stream on this machine: the same 1 kHz hand-off of a timestamp
// through a bare mutex and condition variable, no log. What memlog adds is its latency minus
// this one; the rest is the kernel (and hypervisor) waking a sleeping thread.
void condvar_floor(benchmark::State& state) {
  const auto samples = static_cast<int>(state.range(0));
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(samples) * static_cast<std::size_t>(state.max_iterations));

  for (auto _ : state) {
    const int total = kWarmup + samples;
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<std::int64_t> sent(static_cast<std::size_t>(total));  // [i] guarded by mutex
    int published = 0;                                                // guarded by mutex
    std::jthread writer = paced_writer(total, [&](std::int64_t now) {
      {
        std::lock_guard lock(mutex);
        sent[static_cast<std::size_t>(published++)] = now;
      }
      cv.notify_one();
    });
    std::unique_lock lock(mutex);
    for (int i = 0; i < total; ++i) {
      cv.wait(lock, [&] { return published > i; });
      const std::int64_t received = steady::now().time_since_epoch().count();
      if (i >= kWarmup) latencies.push_back(static_cast<double>(received - sent[static_cast<std::size_t>(i)]));
    }
  }
  report_latencies(state, latencies, 0);
}

// A fixed number of samples per run; the run lasts samples ms at 1 kHz whatever the log (the
// writer sets the pace), so the naive log gets fewer only to keep the whole suite short.
BENCHMARK(stream_latency<Memlog>)
    ->Name("stream_latency/memlog")
    ->Arg(300)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(condvar_floor)
    ->Name("stream_latency/condvar_floor")
    ->Arg(300)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(stream_latency<Naive>)
    ->Name("stream_latency/naive")
    ->Arg(200)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memlog::bench
