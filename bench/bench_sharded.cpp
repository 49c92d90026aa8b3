// SPDX-License-Identifier: MIT
// ShardedLog: writes from 1 and 2 threads on shards of their own (the scaling), next to a
// plain Log's write, and the cost of choosing a shard (FnvSharder, KeySharder).
#include "bench_support.hpp"
#include "write_loop.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace memlog::bench {
namespace {

constexpr std::size_t kShards = 16;
// Large enough that a seal and purge comes once per 4096 writes, small enough that each
// shard holds at most 2 * 4096 one-line slots (512 KiB).
constexpr std::size_t kShardedSegmentSize = 4096;
constexpr int kMaxWriters = 2;

std::span<const std::byte> bytes_of(std::string_view s) noexcept {
  return std::as_bytes(std::span{s.data(), s.size()});
}

// The log and one key per writer thread, each key on a shard of its own: writers that share
// nothing but the ShardedLog's read-only table, so threads:2 / threads:1 is the scaling.
struct ShardedFixture {
  std::shared_ptr<ShardedLog> log;
  std::vector<std::string> keys;  // keys[thread_index]
};

ShardedFixture make_sharded_fixture() {
  ShardedOptions options;
  options.shards = kShards;
  options.log.segment_size = kShardedSegmentSize;  // the sharder: FnvSharder, the default
  ShardedFixture fixture{ShardedLog::create(std::move(options)).value(), {}};
  std::vector<bool> taken(kShards, false);
  for (int i = 0; fixture.keys.size() < kMaxWriters; ++i) {
    std::string key = "k" + std::to_string(i);
    const std::size_t shard = fixture.log->shard_of(key).value();
    if (taken[shard]) continue;
    taken[shard] = true;
    fixture.keys.push_back(std::move(key));
  }
  // Past the first seal and purge on each writer's shard (slots of both segments allocated),
  // so the timed writes are the steady state, as in write/memlog.
  for (const std::string& key : fixture.keys)
    write_past_first_purge(kShardedSegmentSize, [&] { return fixture.log->write(key, payload()); });
  return fixture;
}

// items_per_second over real time is the total throughput of all threads.
void BM_ShardedWrite(benchmark::State& state) {
  // Made once, by whichever thread gets here first (a function-local static is thread-safe),
  // and shared by the threads:1 and threads:2 runs, as read_parallel does.
  static const ShardedFixture fixture = make_sharded_fixture();
  const std::string& key = fixture.keys.at(static_cast<std::size_t>(state.thread_index()));
  ShardedLog& log = *fixture.log;
  const auto write_one = [&log, &key] { return log.write(key, payload()); };
  time_writes(state, write_one, "sharded write failed");
}

// A plain Log with the shards' options, measured the same way: what the key and the shard
// choice add to one thread's write.
void BM_PlainWrite_ForSharded(benchmark::State& state) {
  auto log = Log::create({.segment_size = kShardedSegmentSize}).value();
  const auto write_one = [&log] { return log->write(payload()); };
  write_past_first_purge(kShardedSegmentSize, write_one);
  time_writes(state, write_one, "write failed");
}

// FNV-1a over the key plus the modulo, for keys of range(0) bytes, as ShardedLog::write does.
void BM_FnvShardChoice(benchmark::State& state) {
  const std::string key(static_cast<std::size_t>(state.range(0)), 'k');
  const auto bytes = bytes_of(key);
  for (auto _ : state) {
    benchmark::DoNotOptimize(bytes.data());  // the key as if new each time: no hoisted hash
    auto shard = FnvSharder{}.shard(bytes, 1024);
    benchmark::DoNotOptimize(shard);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

// A hash-map lookup of one of 64 short keys (the string it builds fits the SSO, so no
// allocation: allocs_per_op shows it), walking over all keys.
void BM_KeySharderChoice(benchmark::State& state) {
  constexpr std::size_t kKeys = 64;
  std::vector<std::string> keys;
  keys.reserve(kKeys);
  for (std::size_t i = 0; i < kKeys; ++i) keys.push_back("key-" + std::to_string(i));
  const KeySharder sharder{keys};

  std::size_t i = 0;
  const AllocCounter allocs;
  for (auto _ : state) {
    auto shard = sharder.shard(bytes_of(keys[i]), kKeys);
    benchmark::DoNotOptimize(shard);
    if (!shard) [[unlikely]] {
      state.SkipWithError("KeySharder rejected a known key");
      break;
    }
    if (++i == kKeys) i = 0;
  }
  report_allocs(state, allocs, static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_PlainWrite_ForSharded)->UseRealTime();
BENCHMARK(BM_ShardedWrite)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_FnvShardChoice)->ArgName("key_bytes")->Arg(8)->Arg(32)->Arg(128);
BENCHMARK(BM_KeySharderChoice);

}  // namespace
}  // namespace memlog::bench
