// SPDX-License-Identifier: MIT
// Counts heap allocations made through operator new, per thread, for the benchmarks'
// allocs_per_op and retained-memory counters.
//
// alloc_counter.cpp replaces the global operator new/delete of memlog_bench. The counters are
// thread-local plain integers, not shared atomics: a counter every thread incremented would
// itself be a contended cache line and would slow down exactly the parallel benchmarks it
// measures. A benchmark therefore sees the allocations of its own thread only.
// Byte accounting (malloc_usable_size on every new and delete) is off unless a benchmark
// turns it on, so the other benchmarks do not pay for it.
#pragma once

#include <cstdint>

namespace memlog::bench {

struct AllocStats {
  std::uint64_t allocations = 0;      // calls of any operator new
  std::uint64_t bytes_allocated = 0;  // usable bytes handed out (only while tracking bytes)
  std::uint64_t bytes_freed = 0;      // usable bytes given back (only while tracking bytes)
};

// This thread's totals since it started.
AllocStats thread_alloc_stats() noexcept;

// Turns byte accounting on or off for every thread.
void track_bytes(bool on) noexcept;

// Allocations of this thread since construction: the counter of one measured region.
class AllocCounter {
 public:
  AllocCounter() noexcept : start_(thread_alloc_stats()) {}
  std::uint64_t allocations() const noexcept { return thread_alloc_stats().allocations - start_.allocations; }
  // Bytes allocated and not freed since construction; meaningful only while tracking bytes.
  std::int64_t live_bytes() const noexcept {
    const AllocStats now = thread_alloc_stats();
    return static_cast<std::int64_t>(now.bytes_allocated - start_.bytes_allocated) -
           static_cast<std::int64_t>(now.bytes_freed - start_.bytes_freed);
  }

 private:
  AllocStats start_;
};

}  // namespace memlog::bench
