// SPDX-License-Identifier: MIT
// RedisMirror: every record appended to a memlog::Log is also appended to a Redis stream.
//
// The mirror is a reader of the log on its own thread (the writers are never held up): it
// reads batches after the last offset Redis confirmed and sends them pipelined — a batch of
//   XADD <stream> MAXLEN ~ <maxlen> <created_ms>-<offset> offset <offset> created <created_ns> payload <bytes>
// commands, then their replies. The entry ID is made of the record: its creation time in
// milliseconds and its offset as the sequence part, so IDs grow with offsets and a record's
// offset can be read from its ID as well as from its `offset` field (resuming from either
// side). A record Redis already holds (an ID not above the stream's top) counts as a
// duplicate, not an error.
//
// The mirror's sessions run on a RetryingWorker: when the connection fails the mirror retries
// with back-off (250 ms doubling to 30 s, reset once a batch goes through or the mirror has
// caught up). On every (re)connection it reads the stream's top entry: if Redis lost entries
// (restarted without persistence), it sends again from the top's offset + 1 — the gap is
// filled from the log, and whatever the log has already purged is reported exactly as lost
// (count and ranges). Its state while connected is WorkerState::running ("mirroring").
//
// Threading: every public member may be called from any thread; the session, reconcile() and
// send_batch() run on the worker's thread. The mirror's mutex (in Impl) is taken before the
// worker's, never after.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include <memlog/log.hpp>
#include <memlog/source/redis_stream_address.hpp>
#include <memlog/source/retrying_worker.hpp>

namespace memlog::redis {

struct MirrorOptions {
  std::size_t batch = 512;     // XADDs per pipelined round trip
  std::size_t max_length = 0;  // MAXLEN ~ of the stream; 0 = the log's retention (2 × segment_size)
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds backoff_initial{250}, backoff_max{30'000};
};

// How far the mirror of one log — or of one shard, into its own stream — got.
struct ShardMirrorStatus {
  Offset confirmed = -1;         // the highest offset Redis has confirmed (-1: none yet)
  std::int64_t lag = 0;          // records in the log after `confirmed` (not yet in Redis)
  std::uint64_t sent = 0;        // XADDs confirmed (new entries)
  std::uint64_t duplicates = 0;  // XADDs Redis already held (sent again after a reconnection)
  std::uint64_t lost = 0;        // records that never reached Redis: purged from the log first
};

// The mirror's health (state, failures, problems, …: WorkerHealth) and how far it got. For a
// sharded mirror (ShardedRedisMirror) the figures are the shards' totals — confirmed is -1
// there, as no one offset stands for shards that each have their own — and `shards` holds them
// shard by shard; for a mirror of one log `shards` is empty.
struct MirrorStatus : WorkerHealth, ShardMirrorStatus {
  std::string lost_ranges;  // the newest lost ranges, "120-340, 900-905" ("3:120-340": shard 3's)
  std::vector<ShardMirrorStatus> shards;
};

namespace detail {
class Connection;
}

class RedisMirror {
 public:
  RedisMirror(std::shared_ptr<Log> log, RedisStreamAddress target, MirrorOptions options = {});
  RedisMirror(const RedisMirror&) = delete;
  RedisMirror& operator=(const RedisMirror&) = delete;
  ~RedisMirror();  // stops

  const RedisStreamAddress& target() const noexcept { return target_; }
  void start();  // no-op while running
  void stop();   // stops and joins promptly
  // The log was replaced: mirror `log` from now on, from confirmed + 1 when it holds that
  // offset or starts before it (a replay of the same history, which may still be under way:
  // what Redis has is not sent again), else from its earliest record (the old log's records
  // that never reached Redis are then lost).
  void attach(std::shared_ptr<Log> log);

  MirrorStatus status() const;

 private:
  struct Impl;
  // One connection: reconcile, then send what the log has, batch by batch, until stopped.
  SessionEnd session(const std::stop_token& stop);
  // On (re)connection: where the stream ends decides what to send next.
  void reconcile(detail::Connection& redis, const std::string& where);
  // `batch`, read from `log`, as one pipeline of XADDs; then their replies.
  void send_batch(detail::Connection& redis, const std::string& where, const Log& log, std::span<const Record> batch);

  const RedisStreamAddress target_;
  const MirrorOptions options_;
  RetryingWorker worker_;  // runs session(); the health and the back-off
  std::unique_ptr<Impl> impl_;
};

}  // namespace memlog::redis
