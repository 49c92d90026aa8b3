// SPDX-License-Identifier: MIT
// write, read, read_parallel, read_batch and memory: memlog against the naive Go-like log.
#include "bench_support.hpp"
#include "write_loop.hpp"

#include <type_traits>
#include <vector>

namespace memlog::bench {
namespace {

// One writer appending 32-byte records; both slot buffers exist already (steady state), so
// memlog's allocs_per_op must be 0. The naive log allocates each payload, plus a segment
// every 1000 writes.
template <class Impl>
void write(benchmark::State& state) {
  auto log = Impl::make();
  const auto write_one = [&log] { return log->write(payload()); };
  write_past_first_purge(kSegmentSize, write_one);
  time_writes(state, write_one, "write failed");
}

// Reads by offset, walking over all 2000 retained records (Go's benchmark reads one offset
// again and again; walking also counts the cache misses a real reader sees).
template <class Impl>
void read_offsets(benchmark::State& state, const typename Impl::LogType& log, Offset first, Offset end) {
  // Threads start at different places so they do not read the same records in lock step.
  Offset offset = first + (Offset{state.thread_index()} * 997) % (end - first);
  const AllocCounter allocs;
  for (auto _ : state) {
    auto record = log.read(offset);
    benchmark::DoNotOptimize(record);
    if (!record) [[unlikely]] {
      state.SkipWithError("read failed");
      break;
    }
    if (++offset == end) offset = first;
  }
  report_allocs(state, allocs, static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

template <class Impl>
void read(benchmark::State& state) {
  const auto log = make_full_log<Impl>();
  const Range range = log->range();
  read_offsets<Impl>(state, *log, range.earliest, range.latest + 1);
}

// The same, from 1 and 2 threads on one log: items_per_second over real time is the total
// throughput, so threads:2 / threads:1 is the scaling.
template <class Impl>
void read_parallel(benchmark::State& state) {
  // Made once, by whichever thread gets here first (a function-local static is thread-safe),
  // and shared by both runs; nobody writes to it.
  static const auto log = make_full_log<Impl>();
  const Range range = log->range();
  read_offsets<Impl>(state, *log, range.earliest, range.latest + 1);
}

// Batches of 100 consecutive records into a reused array; items = records, so the per_record
// counter is the time per record.
template <class Impl>
void read_batch(benchmark::State& state) {
  constexpr std::size_t kBatch = 100;
  const auto log = make_full_log<Impl>();
  const Range range = log->range();
  std::vector<typename Impl::RecordType> batch(kBatch);
  const Offset last_from = range.latest + 1 - static_cast<Offset>(kBatch);

  // One batch first, so that the reused array is not counted as filled for the first time.
  (void)log->read_batch(range.earliest, batch);
  Offset from = range.earliest;
  const AllocCounter allocs;
  for (auto _ : state) {
    const BatchResult result = log->read_batch(from, batch);
    benchmark::DoNotOptimize(result);
    if (result.count != kBatch) [[unlikely]] {
      state.SkipWithError("read_batch returned a partial batch");
      break;
    }
    from += static_cast<Offset>(kBatch);
    if (from > last_from) from = range.earliest;
  }
  const auto records = static_cast<double>(state.iterations() * kBatch);
  report_allocs(state, allocs, records);  // per record, not per batch
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.counters["per_record"] = benchmark::Counter(
      static_cast<double>(kBatch), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Heap bytes the log holds per retained record beyond its payload, after five segments'
// worth of writes (so two full segments retained and three purged). Measured with the
// allocation counter: everything allocated while creating and filling the log and not freed
// since (the Log object, slot buffers, payload copies, segment vectors...), in malloc's usable
// sizes. The argument is the payload size: 32 (inline in memlog's slot) and 200 (a shared
// block of its own).
template <class Impl>
void memory(benchmark::State& state) {
  const auto payload_size = static_cast<std::size_t>(state.range(0));
  std::vector<std::byte> data(payload_size, std::byte{'x'});
  double live = 0, retained = 0;
  for (auto _ : state) {
    track_bytes(true);
    const AllocCounter allocs;
    {
      auto log = Impl::make();
      for (std::size_t i = 0; i < 5 * kSegmentSize; ++i) (void)log->write(data);
      const Range range = log->range();
      retained = static_cast<double>(range.latest - range.earliest + 1);
      live = static_cast<double>(allocs.live_bytes());
      if constexpr (std::is_same_v<Impl, Memlog>) {
        // The log's own account (slots and shared payload blocks), next to the measured one.
        state.counters["stats_bytes_per_record"] = static_cast<double>(log->stats().memory_bytes) / retained;
      }
    }
    track_bytes(false);
  }
  state.counters["bytes_per_record"] = live / retained;
  state.counters["overhead_per_record"] = live / retained - static_cast<double>(payload_size);
  state.counters["retained_records"] = retained;
}

BENCHMARK(write<Memlog>)->Name("write/memlog");
BENCHMARK(write<Naive>)->Name("write/naive");
BENCHMARK(read<Memlog>)->Name("read/memlog");
BENCHMARK(read<Naive>)->Name("read/naive");
BENCHMARK(read_parallel<Memlog>)->Name("read_parallel/memlog")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(read_parallel<Naive>)->Name("read_parallel/naive")->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(read_batch<Memlog>)->Name("read_batch/memlog");
BENCHMARK(read_batch<Naive>)->Name("read_batch/naive");
BENCHMARK(memory<Memlog>)
    ->Name("memory/memlog")
    ->ArgName("payload")
    ->Arg(32)
    ->Arg(200)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(memory<Naive>)
    ->Name("memory/naive")
    ->ArgName("payload")
    ->Arg(32)
    ->Arg(200)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace memlog::bench
