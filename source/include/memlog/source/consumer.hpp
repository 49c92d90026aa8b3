// SPDX-License-Identifier: MIT
// Consumers: streams over a log, each on its own thread with its own pace, start and
// checkpoint — the downstream systems of memlog's story.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <memlog/log.hpp>
#include <memlog/source/rate_window.hpp>

namespace memlog::sim {

enum class ConsumerStart { earliest, latest, offset, checkpoint, time };

enum class ConsumerState {
  live,         // keeping up: less than half a segment behind the newest record
  lagging,      // half a segment or more behind: at risk of being overtaken by the purge
  fell_behind,  // the purge overtook it: its stream ended with out_of_range
  stopped,      // not running (removed, or stopped for a reconfiguration)
};

std::string_view to_string(ConsumerState state) noexcept;

struct ConsumerOptions {
  std::string name;
  int shard = -1;   // a sharded log: the shard it reads, or -1 for all of them (ShardedConsumer)
  double pace = 0;  // records per second; 0 = as fast as it can
  ConsumerStart start = ConsumerStart::earliest;
  Offset offset = 0;  // for ConsumerStart::offset
  Timestamp at{};     // for ConsumerStart::time: the first record created at or after it
};

// A sharded consumer's place in one of its shards.
struct ShardPosition {
  std::size_t shard = 0;
  Offset position = -1;  // the offset it reads next there
  std::int64_t lag = 0;  // records of that shard it has not read yet
  ConsumerState state = ConsumerState::stopped;
};

struct ConsumerSnapshot {
  int id = 0;
  std::string name;
  double pace = 0;
  Offset position = -1;    // the offset it reads next
  Offset checkpoint = -1;  // the offset after the last one it processed (-1: none yet)
  std::int64_t lag = 0;    // records written that it has not read yet: latest - position + 1, >= 0
  std::uint64_t consumed = 0;
  double rate = 0;  // records/s over the last second or so
  ConsumerState state = ConsumerState::stopped;
  std::error_code error;  // why its stream ended (out_of_range, ...); empty while it runs
  // A sharded consumer (ShardedConsumer): the shard it reads (-1: all), and where it is in each
  // of its shards; lag is then the total, state the worst of its shards', and position and
  // checkpoint those in one shard (the only one, or the one the monitor shows).
  int shard = -1;
  std::vector<ShardPosition> shards;
  ConsumerState position_state = ConsumerState::stopped;  // sharded: its state in position's shard
};

// One consumer. Threading: all members may be called from any thread; the reading thread is
// the only writer of position/consumed/checkpoint (atomics). Stopping goes through the
// stream's stop_token, which also interrupts a pace sleep: prompt, no sleep to wait out.
class Consumer {
 public:
  Consumer(int id, ConsumerOptions options);
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;
  ~Consumer();  // stops

  // Starts reading `log` at `position` (a resolved offset). Stops a running thread first.
  void start(std::shared_ptr<const Log> log, Offset position);
  void stop();
  // Where `start` resolves to on `log` now: earliest, latest + 1, the offset, the checkpoint,
  // or the first retained record created at or after options().at (next offset if none).
  Offset resolve(const Log& log, ConsumerStart start) const;

  ConsumerSnapshot snapshot() const;
  int id() const noexcept { return id_; }
  const ConsumerOptions& options() const noexcept { return options_; }
  Offset checkpoint() const noexcept { return checkpoint_.load(std::memory_order_acquire); }
  bool running() const noexcept { return running_.load(std::memory_order_acquire); }

 private:
  void run(const std::stop_token& stop, Stream stream);
  Offset first_at_or_after(const Log& log, Timestamp at) const;

  const int id_;
  const ConsumerOptions options_;
  std::shared_ptr<const Log> log_;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::error_code error_;  // guarded by mutex_
  std::atomic<Offset> position_{-1};
  std::atomic<Offset> checkpoint_{-1};
  std::atomic<std::uint64_t> consumed_{0};
  std::atomic<bool> running_{false};
  mutable RateWindow rate_;  // guarded by mutex_
  std::jthread thread_;
};

// The set of consumers of one log. Threading: all members may be called from any thread.
class ConsumerGroup {
 public:
  explicit ConsumerGroup(std::shared_ptr<const Log> log);
  ~ConsumerGroup();

  int add(ConsumerOptions options);  // starts it; returns its id
  bool remove(int id);               // stops and forgets it
  // Restarts a consumer (e.g. one that fell behind) from the earliest retained offset, or from
  // its checkpoint (which, if purged meanwhile, ends it with out_of_range again).
  bool resume(int id, bool from_checkpoint);

  void stop_all();
  // Switches every consumer to `log`: from its checkpoint if `from_checkpoints` (crash and
  // replay: the new log holds the same offsets again), else from the new log's earliest.
  void attach(std::shared_ptr<const Log> log, bool from_checkpoints);

  std::vector<ConsumerSnapshot> snapshots() const;
  // The lowest checkpoint of all consumers (-1 if none has one): what a replay must start at
  // so that no consumer misses a record.
  Offset lowest_checkpoint() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Log> log_;
  std::vector<std::unique_ptr<Consumer>> consumers_;
  int next_id_ = 1;
};

}  // namespace memlog::sim
