// SPDX-License-Identifier: MIT
// RedisMirror: a log mirrored into a Redis stream by pipelined XADDs (see redis_mirror.hpp for the contract).
#include <memlog/redis/redis_mirror.hpp>

#include <algorithm>
#include <mutex>
#include <span>
#include <vector>

#include <memlog/stream.hpp>

#include "mirrored_stream.hpp"

namespace memlog::redis {

namespace {
using namespace std::chrono_literals;

constexpr auto kReplyTimeout = 5s;
constexpr auto kIdleWait = 200ms;  // how long one wait for new records lasts (attach and stop are checked between)
}  // namespace

struct RedisMirror::Impl {
  explicit Impl(RetryingWorker& worker) : stream(worker) {}

  detail::XaddText text;  // the mirror thread's text of one XADD (reused, not reallocated)

  mutable std::mutex mutex;       // guards everything below
  detail::MirroredStream stream;  // what Redis holds, where to go on, the counts
  std::shared_ptr<Log> log;       // the log attached (by the constructor or attach())
  std::shared_ptr<Log> mirrored;  // the log the mirror thread reads: `log`, once picked up
  bool log_replaced = false;

  // The mirror thread takes the log attach() gave (if any), deciding where to go on.
  void pick_up(const std::string& where) {
    if (log_replaced) switch_to(*mirrored, where);
    log_replaced = false;
    mirrored = log;
  }

  // attach() replaced `previous`, the log the mirror read so far, by `log`: where to go on.
  // A replacement that starts at or before the next offset to send is a replay of the same
  // history (the crash-and-replay scenario: a new log at a checkpoint, the same records written
  // again): the mirror goes on at that offset and the records Redis already has are not sent
  // again (their IDs would differ — new creation times — so Redis could not refuse them).
  // A replacement that starts later cannot provide the old log's records in between: those
  // the old log held and Redis never confirmed are lost.
  void switch_to(const Log& previous, const std::string& where) {
    const Offset next = stream.next();
    if (next < 0) return;  // never connected: the first connection starts at the log's earliest
    const Offset start = first_readable(log->stats());
    if (start < next) {
      stream.report(where + ": the replacement log starts at offset " + std::to_string(start) + ", before offset " +
                    std::to_string(next) +
                    " that the mirror was at; taken as a replay: offsets before it are not sent again");
    } else if (start > next) {
      stream.lose(next, std::min(start, previous.stats().next_offset) - 1,
                  "went with the replaced log before Redis confirmed them");
      stream.move_to(start);
    }
  }

  // The log to read and the offset to read from, a replacement taken up first.
  std::pair<std::shared_ptr<Log>, Offset> position(const std::string& where) {
    std::lock_guard lock(mutex);
    pick_up(where);
    return {mirrored, stream.next()};
  }
};

RedisMirror::RedisMirror(std::shared_ptr<Log> log, RedisStreamAddress target, MirrorOptions options)
    : target_(std::move(target)),
      options_(options),
      worker_("", [this](const std::stop_token& stop) { return session(stop); }),
      impl_(std::make_unique<Impl>(worker_)) {
  impl_->log = impl_->mirrored = std::move(log);
  worker_.set_backoff(options_.backoff_initial, options_.backoff_max);
}

RedisMirror::~RedisMirror() { stop(); }

void RedisMirror::start() { worker_.start(); }

void RedisMirror::stop() { worker_.stop(); }

void RedisMirror::attach(std::shared_ptr<Log> log) {
  std::lock_guard lock(impl_->mutex);
  impl_->log = std::move(log);
  impl_->log_replaced = true;  // taken up by the mirror thread before its next read
}

MirrorStatus RedisMirror::status() const {
  std::lock_guard lock(impl_->mutex);
  MirrorStatus status;
  static_cast<WorkerHealth&>(status) = worker_.health();
  static_cast<ShardMirrorStatus&>(status) = impl_->stream.status(impl_->log->stats());
  status.lost_ranges = impl_->stream.lost_ranges();
  return status;
}

SessionEnd RedisMirror::session(const std::stop_token& stop) {
  Impl& m = *impl_;
  std::vector<Record> batch(std::max<std::size_t>(1, options_.batch));
  detail::Connection redis(target_.host, target_.port, options_.connect_timeout, kReplyTimeout);
  const std::string where = redis.address() + "/" + target_.stream;
  reconcile(redis, where);
  worker_.mark_running();
  while (!stop.stop_requested()) {
    const auto [log, next] = m.position(where);
    const BatchResult read = log->read_batch(next, batch);
    if (read.count > 0) {
      send_batch(redis, where, *log, std::span(batch).first(read.count));
      worker_.reset_backoff();  // a whole batch went through
    } else if (read.error == Errc::out_of_range) {
      std::lock_guard lock(m.mutex);
      m.stream.skip_purged(next, first_readable(log->stats()));
    } else {
      // Caught up, so the connection works: a later failure starts the back-off afresh. Wait
      // for the next record (or, within kIdleWait, a replacement or stop).
      worker_.reset_backoff();
      Stream wait = log->stream(next, stop, std::chrono::steady_clock::now() + kIdleWait);
      (void)wait.next();
    }
  }
  return SessionEnd::finished;  // stopped
}

void RedisMirror::reconcile(detail::Connection& redis, const std::string& where) {
  detail::ask_top(redis, target_.stream);
  const detail::StreamTop top = detail::take_top(redis, where);
  std::lock_guard lock(impl_->mutex);
  impl_->pick_up(where);
  impl_->stream.reconcile(top, impl_->mirrored->stats(), where);
}

void RedisMirror::send_batch(detail::Connection& redis, const std::string& where, const Log& log,
                             std::span<const Record> batch) {
  Impl& m = *impl_;
  const std::string max_length = detail::max_length_of(options_, log.options().segment_size);
  for (const Record& record : batch) detail::append_xadd(redis, target_.stream, max_length, record, m.text);
  for (const Record& record : batch) {
    const bool added = detail::take_xadd(redis, where, record.offset());
    std::lock_guard lock(m.mutex);
    m.stream.confirm(record.offset(), added);
  }
}

}  // namespace memlog::redis
