// SPDX-License-Identifier: MIT
// ShardedRedisMirror: each shard of a sharded log into a Redis stream of its own, over one
// connection on one thread (see sharded_redis_mirror.hpp for the contract).
#include <memlog/redis/sharded_redis_mirror.hpp>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "mirrored_stream.hpp"

namespace memlog::redis {

namespace {
using namespace std::chrono_literals;

constexpr auto kReplyTimeout = 5s;

using AppendCount = std::atomic<std::uint64_t>;

void bump(AppendCount& appends) {
  appends.fetch_add(1, std::memory_order_release);
  appends.notify_all();
}

// Wakes the mirror thread on an append to any shard: one counter it waits on (an atomic wait,
// a futex: nothing to pay while nobody waits beyond one increment per append).
class Wake final : public LogObserver {
 public:
  explicit Wake(std::shared_ptr<AppendCount> appends) : appends_(std::move(appends)) {}
  void on_append(Offset, Offset) override { bump(*appends_); }

 private:
  std::shared_ptr<AppendCount> appends_;
};
}  // namespace

struct ShardedRedisMirror::Impl {
  explicit Impl(std::size_t batch) : records(batch) {}

  // The mirror thread's own, no lock needed.
  std::vector<std::string> names;   // shard i's stream, "STREAM:i"
  std::vector<std::string> wheres;  // "HOST:PORT/STREAM:i", for messages; set by each session
  std::string max_length;           // MAXLEN ~ of every stream (the shards share their options)
  std::vector<Record> records;      // one shard's batch as read, until its XADDs are pipelined
  detail::XaddText text;
  std::vector<std::pair<std::size_t, Offset>> pending;  // the XADDs of a round trip: shard, offset
  std::size_t cursor = 0;                               // the shard the next round trip starts at

  std::shared_ptr<AppendCount> appends = std::make_shared<AppendCount>(0);
  std::vector<Subscription> subscriptions;  // a Wake on every shard

  mutable std::mutex mutex;  // guards the two below
  detail::LostRanges lost;   // the newest lost ranges of any shard: the total's
  // Shard i's account (a deque: its elements never move, and they point at `lost`).
  std::deque<detail::MirroredStream> streams;

  Offset next_of(std::size_t shard) const {
    std::lock_guard lock(mutex);
    return streams[shard].next();
  }
};

ShardedRedisMirror::ShardedRedisMirror(std::shared_ptr<const ShardedLog> log, RedisStreamAddress target,
                                       MirrorOptions options)
    : log_(std::move(log)),
      target_(std::move(target)),
      options_(options),
      worker_("", [this](const std::stop_token& stop) { return session(stop); }),
      impl_(std::make_unique<Impl>(std::max<std::size_t>(1, options.batch))) {
  assert(log_ && "ShardedRedisMirror: the log must exist");
  Impl& m = *impl_;
  m.max_length = detail::max_length_of(options_, log_->options().log.segment_size);
  const auto wake = std::make_shared<Wake>(m.appends);
  for (std::size_t shard = 0; shard < log_->shard_count(); ++shard) {
    m.names.push_back(stream_of(shard));
    m.streams.emplace_back(worker_, "stream " + m.names.back() + ": ", &m.lost, std::to_string(shard) + ":");
    m.subscriptions.push_back(log_->shard(shard).observe(wake));
  }
  worker_.set_backoff(options_.backoff_initial, options_.backoff_max);
}

ShardedRedisMirror::~ShardedRedisMirror() { stop(); }

std::string ShardedRedisMirror::stream_of(std::size_t shard) const {
  return target_.stream + ":" + std::to_string(shard);
}

void ShardedRedisMirror::start() { worker_.start(); }

void ShardedRedisMirror::stop() { worker_.stop(); }

MirrorStatus ShardedRedisMirror::status() const {
  const Impl& m = *impl_;
  const std::size_t shards = log_->shard_count();
  // The shards' states are taken before the lock, so that the mirror thread does not wait on
  // a thousand of them: one read a little early can only make a lag look smaller (not below 0).
  std::vector<Stats> stats(shards);
  for (std::size_t shard = 0; shard < shards; ++shard) stats[shard] = log_->shard(shard).stats();
  MirrorStatus total;
  total.shards.reserve(shards);
  std::lock_guard lock(m.mutex);
  static_cast<WorkerHealth&>(total) = worker_.health();
  for (std::size_t shard = 0; shard < shards; ++shard) {
    const ShardMirrorStatus one = m.streams[shard].status(stats[shard]);
    total.lag += one.lag;
    total.sent += one.sent;
    total.duplicates += one.duplicates;
    total.lost += one.lost;
    total.shards.push_back(one);
  }
  total.lost_ranges = m.lost.text();
  return total;  // confirmed stays -1: each shard has offsets of its own
}

SessionEnd ShardedRedisMirror::session(const std::stop_token& stop) {
  Impl& m = *impl_;
  // A stop request wakes the thread where it sleeps: on the append counter.
  const std::stop_callback wake_on_stop(stop, [appends = m.appends] { bump(*appends); });
  detail::Connection redis(target_.host, target_.port, options_.connect_timeout, kReplyTimeout);
  m.wheres.clear();
  for (const std::string& name : m.names) m.wheres.push_back(redis.address() + "/" + name);
  reconcile(redis);
  worker_.mark_running();
  while (!stop.stop_requested()) {
    // The counter is read before the shards: an append after a shard was found caught up bumps
    // it, so the wait below returns at once instead of missing that append.
    const std::uint64_t seen = m.appends->load(std::memory_order_acquire);
    const bool progressed = send_round(redis);
    // A round trip went through, or every shard is caught up: the connection works, and a
    // later failure starts the back-off afresh.
    worker_.reset_backoff();
    if (!progressed && !stop.stop_requested()) m.appends->wait(seen, std::memory_order_acquire);
  }
  return SessionEnd::finished;  // stopped
}

void ShardedRedisMirror::reconcile(detail::Connection& redis) {
  Impl& m = *impl_;
  const std::size_t shards = log_->shard_count();
  const std::size_t per_trip = m.records.size();  // as many questions per round trip as XADDs
  for (std::size_t first = 0; first < shards; first += per_trip) {
    const std::size_t end = std::min(shards, first + per_trip);
    for (std::size_t shard = first; shard < end; ++shard) detail::ask_top(redis, m.names[shard]);
    for (std::size_t shard = first; shard < end; ++shard) {
      const detail::StreamTop top = detail::take_top(redis, m.wheres[shard]);
      const Stats stats = log_->shard(shard).stats();
      std::lock_guard lock(m.mutex);
      m.streams[shard].reconcile(top, stats, m.wheres[shard]);
    }
  }
}

bool ShardedRedisMirror::send_round(detail::Connection& redis) {
  Impl& m = *impl_;
  const std::size_t shards = log_->shard_count();
  const std::size_t room = m.records.size();
  bool skipped = false;
  m.pending.clear();
  std::size_t visited = 0;
  while (visited < shards && m.pending.size() < room) {
    const std::size_t shard = (m.cursor + visited++) % shards;
    const Log& log = log_->shard(shard);
    const Offset next = m.next_of(shard);
    const BatchResult read = log.read_batch(next, std::span(m.records).first(room - m.pending.size()));
    if (read.error == Errc::out_of_range) {
      std::lock_guard lock(m.mutex);
      m.streams[shard].skip_purged(next, first_readable(log.stats()));
      skipped = true;
      continue;
    }
    for (std::size_t i = 0; i < read.count; ++i) {
      detail::append_xadd(redis, m.names[shard], m.max_length, m.records[i], m.text);
      m.pending.emplace_back(shard, m.records[i].offset());
      m.records[i] = Record{};  // hiredis holds the command: the payload can go
    }
  }
  // The next round trip starts after the last shard served here (a shard cut short by a full
  // round trip goes on when its turn comes again), so every shard's turn comes.
  m.cursor = (m.cursor + visited) % shards;
  for (const auto& [shard, offset] : m.pending) {
    const bool added = detail::take_xadd(redis, m.wheres[shard], offset);
    std::lock_guard lock(m.mutex);
    m.streams[shard].confirm(offset, added);
  }
  return skipped || !m.pending.empty();
}

}  // namespace memlog::redis
