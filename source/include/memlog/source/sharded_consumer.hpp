// SPDX-License-Identifier: MIT
// ShardedConsumer: a consumer of a sharded log — of one shard, or of all of them — on ONE
// thread, however many shards it reads (a thousand shards are not a thousand threads). It goes
// round the shards a batch at a time (read_batch), so a busy shard cannot starve a quiet one,
// paced like a Consumer; when it has read everything it sleeps until an append wakes it (an
// observer on each of its shards), never polling. Each shard keeps its own position and
// checkpoint: when the purge overtakes it on one shard, that shard is marked fell_behind and
// skipped while the others go on; resume() takes the shards that fell back up.
//
// Threading: all members may be called from any thread; the reading thread is the only writer
// of the positions, checkpoints and counts (atomics).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include <memlog/sharded_log.hpp>
#include <memlog/source/consumer.hpp>
#include <memlog/source/rate_window.hpp>

namespace memlog::sim {

class ShardedConsumer {
 public:
  static constexpr std::size_t kBatch = 64;  // records read from one shard before the next

  // Reads shard options.shard of `log`, or every shard when it is -1 (asserted in range).
  ShardedConsumer(int id, ConsumerOptions options, std::shared_ptr<const ShardedLog> log);
  ShardedConsumer(const ShardedConsumer&) = delete;
  ShardedConsumer& operator=(const ShardedConsumer&) = delete;
  ~ShardedConsumer();  // stops

  // Starts reading each of its shards where options().start says (earliest, latest, the offset,
  // its checkpoint there; a time: the earliest). Stops a running thread first.
  void start();
  void stop();
  // Restarts; the shards the purge overtook resume from their earliest retained record, or
  // from their checkpoint (which, if purged, overtakes them again).
  void resume(bool from_checkpoint);

  ConsumerSnapshot snapshot() const;
  int id() const noexcept { return id_; }
  const ConsumerOptions& options() const noexcept { return options_; }
  bool running() const noexcept { return running_.load(std::memory_order_acquire); }

 private:
  struct Shard;  // one shard's position, checkpoint, state and subscription
  class Wake;    // the observer: counts appends, wakes the thread
  void run(const std::stop_token& stop);
  void start_at(const std::vector<Offset>& positions);

  const int id_;
  const ConsumerOptions options_;
  const std::shared_ptr<const ShardedLog> log_;
  std::vector<std::size_t> indices_;                     // the shards it reads
  std::unique_ptr<Shard[]> shards_;                      // parallel to indices_
  std::shared_ptr<std::atomic<std::uint64_t>> appends_;  // bumped by the observers and by stop
  std::atomic<std::uint64_t> consumed_{0};
  std::atomic<bool> running_{false};
  mutable std::mutex mutex_;  // guards the rate below and the thread's start and stop
  mutable RateWindow rate_;
  std::jthread thread_;
};

}  // namespace memlog::sim
