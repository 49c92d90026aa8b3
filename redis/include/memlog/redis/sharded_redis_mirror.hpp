// SPDX-License-Identifier: MIT
// ShardedRedisMirror: every shard of a memlog::ShardedLog mirrored into a Redis stream of its
// own — shard i into `STREAM:i` — so that the streams, being separate keys, can be spread over
// the nodes of a Redis Cluster (behind a cluster proxy: the mirror speaks to one address).
//
// The guarantees are RedisMirror's, per stream: each shard's records reach its stream in
// offset order, as XADDs with IDs <created_ms>-<offset> and the fields offset, created and
// payload; on every (re)connection the top entry of each shard's stream says where that shard
// goes on (a Redis that lost entries gets them again from the shard, or they are reported
// lost); a record Redis already holds counts as a duplicate. A shard's own figures are in
// MirrorStatus::shards.
//
// A thousand shards are not a thousand threads or connections: one connection, on one
// RetryingWorker thread. Each round trip pipelines the XADDs of the shards that have records
// to send, a batch of each in turn, round robin from the shard after the last one served, up to
// MirrorOptions::batch XADDs — a busy shard cannot starve the others. A (re)connection asks
// all the streams' tops in pipelined round trips too. When no shard has anything to send the
// thread sleeps on one counter that an observer on every shard bumps on each append (and a
// stop request bumps too): no polling, and a stop is prompt.
//
// Threading: every public member may be called from any thread; session(), reconcile() and
// send_round() run on the worker's thread. The mirror's mutex (in Impl) is taken before the
// worker's, never after.
#pragma once

#include <cstddef>
#include <memory>
#include <stop_token>
#include <string>

#include <memlog/redis/redis_mirror.hpp>
#include <memlog/sharded_log.hpp>
#include <memlog/source/redis_stream_address.hpp>
#include <memlog/source/retrying_worker.hpp>

namespace memlog::redis {

class ShardedRedisMirror {
 public:
  // Mirrors every shard of `log` into `target`'s stream name followed by ":<shard>".
  // MirrorOptions::max_length 0 = each stream keeps its shard's retention (2 × segment_size).
  ShardedRedisMirror(std::shared_ptr<const ShardedLog> log, RedisStreamAddress target, MirrorOptions options = {});
  ShardedRedisMirror(const ShardedRedisMirror&) = delete;
  ShardedRedisMirror& operator=(const ShardedRedisMirror&) = delete;
  ~ShardedRedisMirror();  // stops

  // The address given: its stream name is the prefix of the shards' streams.
  const RedisStreamAddress& target() const noexcept { return target_; }
  std::size_t shard_count() const noexcept { return log_->shard_count(); }
  std::string stream_of(std::size_t shard) const;  // "STREAM:<shard>"
  void start();                                    // no-op while running
  void stop();                                     // stops and joins promptly

  // The totals (lag, sent, duplicates and lost summed over the shards; confirmed -1; the newest
  // lost ranges of any shard, "3:120-340") and each shard's figures in `shards`.
  MirrorStatus status() const;

 private:
  struct Impl;
  // One connection: reconcile, then send what the shards have, round trip after round trip,
  // sleeping while none has anything, until stopped.
  SessionEnd session(const std::stop_token& stop);
  // On (re)connection: where each shard's stream ends decides what to send of that shard next.
  void reconcile(detail::Connection& redis);
  // One round trip (see above); false when no shard had anything to send or skip.
  bool send_round(detail::Connection& redis);

  const std::shared_ptr<const ShardedLog> log_;
  const RedisStreamAddress target_;
  const MirrorOptions options_;
  RetryingWorker worker_;  // runs session(); the health and the back-off
  std::unique_ptr<Impl> impl_;
};

}  // namespace memlog::redis
