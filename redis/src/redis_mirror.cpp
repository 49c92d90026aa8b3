// SPDX-License-Identifier: MIT
#include <memlog/redis/redis_mirror.hpp>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <vector>

#include <memlog/source/feed.hpp>
#include <memlog/stream.hpp>

#include "redis_connection.hpp"

namespace memlog::redis {

namespace {
using namespace std::chrono_literals;
using detail::Reply;
using detail::text_of;

constexpr auto kReplyTimeout = 5s;
constexpr auto kIdleWait = 200ms;  // how long one wait for new records lasts (attach and stop are checked between)
constexpr std::size_t kLostRangesKept = 5;

// The offset an entry carries: its `offset` field, else the sequence part of its ID.
Offset offset_of(const redisReply* entry) {
  const redisReply* fields = entry->element[1];
  std::string_view text;
  for (std::size_t i = 0; i + 1 < fields->elements; i += 2)
    if (text_of(fields->element[i]) == "offset") text = text_of(fields->element[i + 1]);
  if (text.empty()) {
    text = text_of(entry->element[0]);
    text.remove_prefix(std::min(text.size(), text.find('-') + 1));
  }
  Offset offset = -1;
  std::from_chars(text.data(), text.data() + text.size(), offset);
  return offset;
}

bool is_duplicate(const redisReply* reply) {
  return detail::is_error(reply) &&
         text_of(reply).find("equal or smaller than the target stream top item") != std::string_view::npos;
}
}  // namespace

std::string_view to_string(MirrorState state) noexcept {
  switch (state) {
    case MirrorState::stopped:
      return "stopped";
    case MirrorState::connecting:
      return "connecting";
    case MirrorState::mirroring:
      return "mirroring";
    case MirrorState::retrying:
      return "retrying";
  }
  return "unknown";
}

struct RedisMirror::Impl {
  mutable std::mutex mutex;  // guards everything below
  std::condition_variable_any wake;
  MirrorStatus status;
  std::shared_ptr<Log> log;
  bool log_replaced = false;
  Offset first_sent = -1;  // the first offset this mirror sent: below it, nothing was ever ours
  Offset next = -1;        // the next offset to send; -1 until the first connection decides
  std::deque<std::string> lost_ranges;

  void problem(std::string message) {
    ++status.problems;
    status.last_problem = std::move(message);
  }
  // Records [first, last] can no longer be delivered: count and describe them.
  void lose(Offset first, Offset last) {
    if (last < first) return;
    status.lost += static_cast<std::uint64_t>(last - first + 1);
    lost_ranges.push_back(first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last));
    if (lost_ranges.size() > kLostRangesKept) lost_ranges.pop_front();
    status.lost_ranges.clear();
    for (const std::string& range : lost_ranges) status.lost_ranges += (status.lost_ranges.empty() ? "" : ", ") + range;
    problem(std::to_string(last - first + 1) + " records (offsets " + lost_ranges.back() +
            ") were purged from the log before Redis confirmed them; they are not in the stream");
  }
};

RedisMirror::RedisMirror(std::shared_ptr<Log> log, feed::RedisTarget target, MirrorOptions options)
    : target_(std::move(target)), options_(options), impl_(std::make_unique<Impl>()) {
  impl_->log = std::move(log);
}

RedisMirror::~RedisMirror() { stop(); }

void RedisMirror::start() {
  std::lock_guard lock(thread_mutex_);
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void RedisMirror::stop() {
  std::jthread thread;
  {
    std::lock_guard lock(thread_mutex_);
    thread = std::move(thread_);
  }
  if (!thread.joinable()) return;
  thread.request_stop();
  thread.join();
  std::lock_guard lock(impl_->mutex);
  impl_->status.state = MirrorState::stopped;
}

void RedisMirror::attach(std::shared_ptr<Log> log) {
  std::lock_guard lock(impl_->mutex);
  impl_->log = std::move(log);
  impl_->log_replaced = true;
  impl_->wake.notify_all();
}

MirrorStatus RedisMirror::status() const {
  std::lock_guard lock(impl_->mutex);
  MirrorStatus status = impl_->status;
  // The lag is computed now, so it stays true while the mirror waits or retries: the records
  // from the next one to send on (all of the log's before the first connection).
  const Stats stats = impl_->log->stats();
  const Offset pending =
      impl_->next >= 0 ? impl_->next : (stats.range.empty() ? stats.next_offset : stats.range.earliest);
  status.lag = std::max<std::int64_t>(0, stats.next_offset - pending);
  return status;
}

void RedisMirror::run(std::stop_token stop) {
  Impl& m = *impl_;
  auto backoff = options_.backoff_initial;
  std::vector<Record> batch(std::max<std::size_t>(1, options_.batch));
  std::vector<std::string> ids(batch.size()), offsets(batch.size()), created(batch.size());

  while (!stop.stop_requested()) {
    {
      std::lock_guard lock(m.mutex);
      m.status.state = MirrorState::connecting;
    }
    std::string failure;
    try {
      detail::Connection redis(target_.host, target_.port, options_.connect_timeout, kReplyTimeout);
      const std::string where = redis.address() + "/" + target_.stream;

      // Where does the stream end? Decides what to send after a reconnection.
      const Reply top = redis.command({"XREVRANGE", target_.stream, "+", "-", "COUNT", "1"});
      if (detail::is_error(top.get())) throw feed::FeedError(where + ": " + std::string(text_of(top.get())));
      const Offset top_offset =
          top->type == REDIS_REPLY_ARRAY && top->elements > 0 ? offset_of(top->element[0]) : Offset{-1};
      {
        std::lock_guard lock(m.mutex);
        const Stats stats = m.log->stats();
        const Offset earliest = stats.range.empty() ? stats.next_offset : stats.range.earliest;
        if (m.next < 0) {
          m.next = earliest;  // a new mirror: what the log holds now, and all that follows
        } else if (m.status.confirmed >= 0 && top_offset < m.status.confirmed) {
          // Redis lost confirmed entries (restarted without persistence): send them again
          // from the log; those it has purged meanwhile are lost for good.
          const Offset resend = std::max(top_offset + 1, m.first_sent);
          m.problem(where + " holds entries only up to offset " + std::to_string(top_offset) + " but had confirmed " +
                    std::to_string(m.status.confirmed) +
                    " (restarted without persistence?); sending them again from the log");
          if (resend < earliest) m.lose(resend, earliest - 1);
          m.next = std::max(resend, earliest);
          m.status.confirmed = m.next - 1;
        } else if (top_offset > m.status.confirmed && top_offset < stats.next_offset && top_offset >= m.next - 1) {
          // Entries Redis took before the connection broke, their replies lost: confirmed now.
          m.status.confirmed = top_offset;
          m.next = top_offset + 1;
        }
        m.status.state = MirrorState::mirroring;
        m.status.retry_in = {};
      }
      backoff = options_.backoff_initial;

      while (!stop.stop_requested()) {
        std::shared_ptr<Log> log;
        Offset next;
        {
          std::lock_guard lock(m.mutex);
          if (m.log_replaced) {
            // A replacement log: go on after what Redis has, if the new log holds it (a replay).
            m.log_replaced = false;
            const Stats stats = m.log->stats();
            const Offset wanted = m.status.confirmed + 1;
            const bool holds = !stats.range.empty() && wanted >= stats.range.earliest && wanted <= stats.next_offset;
            m.next = holds || (stats.range.empty() && wanted == stats.next_offset)
                         ? wanted
                         : (stats.range.empty() ? stats.next_offset : stats.range.earliest);
          }
          log = m.log;
          next = m.next;
        }
        const BatchResult read = log->read_batch(next, batch);
        if (read.count == 0) {
          if (read.error == Errc::out_of_range) {  // purged before the mirror got to it
            const Stats stats = log->stats();
            const Offset earliest = stats.range.empty() ? stats.next_offset : stats.range.earliest;
            std::lock_guard lock(m.mutex);
            if (m.next == next && earliest > next) {
              m.lose(next, earliest - 1);
              m.next = earliest;
            }
            continue;
          }
          // Caught up: wait for the next record (or a replacement, or stop).
          Stream wait = log->stream(next, stop, std::chrono::steady_clock::now() + kIdleWait);
          (void)wait.next();
          continue;
        }
        // One pipelined round trip for the whole batch.
        const std::string max_length =
            std::to_string(options_.max_length > 0 ? options_.max_length : 2 * log->options().segment_size);
        for (std::size_t i = 0; i < read.count; ++i) {
          const Record& record = batch[i];
          const auto ns =
              std::chrono::duration_cast<std::chrono::nanoseconds>(record.created().time_since_epoch()).count();
          const auto ms =
              std::chrono::duration_cast<std::chrono::milliseconds>(record.created().time_since_epoch()).count();
          ids[i] = std::to_string(ms) + "-" + std::to_string(record.offset());
          offsets[i] = std::to_string(record.offset());
          created[i] = std::to_string(ns);
          redis.append({"XADD", target_.stream, "MAXLEN", "~", max_length, ids[i], "offset", offsets[i], "created",
                        created[i], "payload", record.text()});
        }
        for (std::size_t i = 0; i < read.count; ++i) {
          const Reply reply = redis.reply();
          std::lock_guard lock(m.mutex);
          if (is_duplicate(reply.get())) {
            ++m.status.duplicates;
          } else if (detail::is_error(reply.get())) {
            // Not a transient failure of the connection: say so and retry the batch later.
            throw feed::FeedError(where + ": XADD of offset " + offsets[i] +
                                  " refused: " + std::string(text_of(reply.get())));
          } else {
            ++m.status.sent;
            if (m.first_sent < 0) m.first_sent = batch[i].offset();
          }
          if (m.next == batch[i].offset()) {  // not moved by a replacement meanwhile
            m.status.confirmed = batch[i].offset();
            m.next = batch[i].offset() + 1;
          }
        }
      }
      break;  // stopped
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (stop.stop_requested()) break;
    {
      std::lock_guard lock(m.mutex);
      ++m.status.failures;
      const double seconds = std::chrono::duration<double>(backoff).count();
      char retry[64];
      std::snprintf(retry, sizeof retry, "; retrying in %.*f s", seconds < 10 ? 2 : 0, seconds);
      m.problem(failure + retry);
      m.status.state = MirrorState::retrying;
      m.status.retry_in = backoff;
    }
    std::unique_lock lock(m.mutex);
    m.wake.wait_for(lock, stop, backoff, [] { return false; });
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
}

}  // namespace memlog::redis
