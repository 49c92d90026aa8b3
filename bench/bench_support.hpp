// SPDX-License-Identifier: MIT
// What the benchmarks share: the workload of Go memlog's own benchmarks (a 32-byte payload,
// segments of 1000 records), the two logs under test behind one interface, and counters.
#pragma once

#include "alloc_counter.hpp"
#include "naive_log.hpp"

#include <benchmark/benchmark.h>
#include <memlog/memlog.hpp>

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

namespace memlog::bench {

inline constexpr std::size_t kSegmentSize = 1000;
// The payload of Go memlog's BenchmarkLog_write / BenchmarkLog_read.
inline constexpr std::string_view kPayload = R"({"id":"1","message":"benchmark"})";
static_assert(kPayload.size() == 32);

inline std::span<const std::byte> payload() noexcept {
  return std::as_bytes(std::span{kPayload.data(), kPayload.size()});
}

// The two implementations, so that every benchmark is one template run on both.
struct Memlog {
  using LogType = Log;
  using RecordType = Record;
  static std::shared_ptr<Log> make() { return Log::create({.segment_size = kSegmentSize}).value(); }
  static std::span<const std::byte> bytes(const Record& r) noexcept { return r.data(); }
};

struct Naive {
  using LogType = NaiveLog;
  using RecordType = NaiveRecord;
  static std::shared_ptr<NaiveLog> make() { return std::make_shared<NaiveLog>(0, kSegmentSize); }
  static std::span<const std::byte> bytes(const NaiveRecord& r) noexcept { return r.data; }
};

// A log holding two full segments (history [1000, 2000), active [2000, 3000)), with the first
// segment already purged: the steady state in which every read benchmark runs.
template <class Impl>
std::shared_ptr<typename Impl::LogType> make_full_log() {
  auto log = Impl::make();
  for (std::size_t i = 0; i < 3 * kSegmentSize; ++i) (void)log->write(payload());
  return log;
}

// allocs_per_op, averaged over the threads of a multi-threaded run (each counts its own).
inline void report_allocs(benchmark::State& state, const AllocCounter& allocs, double ops) {
  state.counters["allocs_per_op"] = benchmark::Counter(ops > 0 ? static_cast<double>(allocs.allocations()) / ops : 0.0,
                                                       benchmark::Counter::kAvgThreads);
}

}  // namespace memlog::bench
