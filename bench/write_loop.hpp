// SPDX-License-Identifier: MIT
// What the write benchmarks share (write/*, BM_PlainWrite_ForSharded, BM_ShardedWrite): the
// set-up that brings a log to its steady state, and the timed loop with its counters. Each
// benchmark passes its one write as a lambda, which the template inlines: the loop measures
// the write and nothing more, as it did when each benchmark spelled it out.
#pragma once

#include "bench_support.hpp"

#include <cstddef>

namespace memlog::bench {

// Writes 2 * segment_size + 1 records with `write`: past the first seal and purge, so that the
// slots of both segments are allocated and the timed writes are the steady state (memlog's
// allocs_per_op must then be 0).
template <class Write>
void write_past_first_purge(std::size_t segment_size, Write&& write) {
  for (std::size_t i = 0; i < 2 * segment_size + 1; ++i) (void)write();
}

// The timed loop: one `write` per iteration, stopping with `error` if one fails; reports
// allocs_per_op and one item per write.
template <class Write>
void time_writes(benchmark::State& state, Write&& write, const char* error) {
  const AllocCounter allocs;
  for (auto _ : state) {
    auto offset = write();
    benchmark::DoNotOptimize(offset);
    if (!offset) [[unlikely]] {
      state.SkipWithError(error);
      break;
    }
  }
  report_allocs(state, allocs, static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

}  // namespace memlog::bench
