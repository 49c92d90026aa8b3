// SPDX-License-Identifier: MIT
// RedisMirror: a log mirrored into a Redis stream by pipelined XADDs (see redis_mirror.hpp for the contract).
#include <memlog/redis/redis_mirror.hpp>

#include <algorithm>
#include <charconv>
#include <condition_variable>
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
constexpr std::size_t kHeldRangesKept = 64;

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
  std::shared_ptr<Log> log;       // the log attached (by the constructor or attach())
  std::shared_ptr<Log> mirrored;  // the log the mirror thread reads: `log`, once picked up
  bool log_replaced = false;
  // The offsets Redis has confirmed holding, as ranges, oldest first: what a Redis that lost
  // its data (restarted without persistence) must be given again or reported lost for. Gaps
  // come from records lost before they were sent and from replacement logs; the oldest ranges
  // are dropped beyond kHeldRangesKept (by then long trimmed by MAXLEN, in practice).
  std::vector<std::pair<Offset, Offset>> held;
  std::string top_id;  // the stream's top entry ID at the last connection ("" when empty)
  Offset next = -1;    // the next offset to send; -1 until the first connection decides
  std::deque<std::pair<Offset, Offset>> lost_ranges;  // the newest kLostRangesKept, as in status.lost_ranges

  void problem(std::string message) {
    ++status.problems;
    status.last_problem = std::move(message);
  }
  // Records [first, last] can no longer be delivered: count and describe them.
  void lose(Offset first, Offset last, std::string_view why = "were purged from the log before Redis confirmed them") {
    if (last < first) return;
    status.lost += static_cast<std::uint64_t>(last - first + 1);
    const auto text = [](Offset a, Offset b) {
      return a == b ? std::to_string(a) : std::to_string(a) + "-" + std::to_string(b);
    };
    problem(std::to_string(last - first + 1) + " records (offsets " + text(first, last) + ") " + std::string(why) +
            "; they are not in the stream");
    // A range right after the previous one (lost for another reason, found next) extends it.
    if (!lost_ranges.empty() && lost_ranges.back().second + 1 == first)
      lost_ranges.back().second = last;
    else
      lost_ranges.emplace_back(first, last);
    if (lost_ranges.size() > kLostRangesKept) lost_ranges.pop_front();
    status.lost_ranges.clear();
    for (const auto& [a, b] : lost_ranges) status.lost_ranges += (status.lost_ranges.empty() ? "" : ", ") + text(a, b);
  }

  void hold(Offset first, Offset last) {
    if (!held.empty() && first <= held.back().second) first = held.back().second + 1;  // held already
    if (last < first) return;
    if (!held.empty() && held.back().second + 1 == first) {
      held.back().second = last;
      return;
    }
    if (held.size() == kHeldRangesKept) held.erase(held.begin());
    held.emplace_back(first, last);
  }
  Offset held_top() const { return held.empty() ? Offset{-1} : held.back().second; }

  // Redis holds entries only up to offset `top`, below what it had confirmed: it lost the
  // rest (restarted without persistence). What the log still has (from `earliest` on) is sent
  // again; what it has not is lost.
  void redis_lost_after(Offset top, Offset earliest) {
    Offset resend = -1;
    for (const auto& [first, last] : held) {
      if (last <= top) continue;
      const Offset from = std::max(first, top + 1);
      lose(from, std::min(last, earliest - 1), "were lost by Redis and the log no longer holds them");
      if (last >= earliest && resend < 0) resend = std::max(from, earliest);
    }
    std::erase_if(held, [top](const auto& range) { return range.first > top; });
    if (!held.empty()) held.back().second = std::min(held.back().second, top);
    if (resend >= 0 && resend < next) next = resend;
    status.confirmed = std::min(status.confirmed, next - 1);
  }

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
    if (next < 0) return;  // never connected: the first connection starts at the log's earliest
    const Stats stats = log->stats();
    const Offset start = first_readable(stats);
    if (start < next) {
      problem(where + ": the replacement log starts at offset " + std::to_string(start) + ", before offset " +
              std::to_string(next) +
              " that the mirror was at; taken as a replay: offsets before it are not sent again");
    } else if (start > next) {
      lose(next, std::min(start, previous.stats().next_offset) - 1,
           "went with the replaced log before Redis confirmed them");
      next = start;
    }
  }
};

RedisMirror::RedisMirror(std::shared_ptr<Log> log, feed::RedisTarget target, MirrorOptions options)
    : target_(std::move(target)), options_(options), impl_(std::make_unique<Impl>()) {
  impl_->log = impl_->mirrored = std::move(log);
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
  const Offset pending = impl_->next >= 0 ? impl_->next : first_readable(stats);
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
      const std::string top_id =
          top->type == REDIS_REPLY_ARRAY && top->elements > 0 ? std::string(text_of(top->element[0]->element[0])) : "";
      const Offset top_offset =
          top->type == REDIS_REPLY_ARRAY && top->elements > 0 ? offset_of(top->element[0]) : Offset{-1};
      {
        std::lock_guard lock(m.mutex);
        m.pick_up(where);
        const Stats stats = m.mirrored->stats();
        const Offset earliest = first_readable(stats);
        if (m.next < 0) {
          m.next = earliest;  // a new mirror: what the log holds now, and all that follows
        } else if (top_offset < m.held_top()) {
          m.problem(where + " holds entries only up to offset " + std::to_string(top_offset) + ", not up to " +
                    std::to_string(m.held_top()) + " as it had confirmed (restarted without persistence?); " +
                    "sending the log's records after it again");
          m.redis_lost_after(top_offset, earliest);
        } else if (top_offset > m.held_top() && top_offset >= m.next && top_offset < stats.next_offset &&
                   top_id != m.top_id) {
          // Entries Redis took before the connection broke, their replies lost: confirmed now.
          // (Only if the stream grew since the last connection: an old entry that happens to
          // carry such an offset, there before this mirror, proves nothing.)
          m.hold(m.next, top_offset);
          m.status.confirmed = top_offset;
          m.next = top_offset + 1;
        }
        m.top_id = top_id;
        m.status.state = MirrorState::mirroring;
        m.status.retry_in = {};
      }

      while (!stop.stop_requested()) {
        std::shared_ptr<Log> log;
        Offset next;
        {
          std::lock_guard lock(m.mutex);
          m.pick_up(where);
          log = m.mirrored;
          next = m.next;
        }
        const BatchResult read = log->read_batch(next, batch);
        if (read.count == 0) {
          if (read.error == Errc::out_of_range) {  // purged before the mirror got to it
            const Stats stats = log->stats();
            const Offset earliest = first_readable(stats);
            std::lock_guard lock(m.mutex);
            if (m.next == next && earliest > next) {
              m.lose(next, earliest - 1);
              m.next = earliest;
            }
            continue;
          }
          // Caught up, so the connection works: a later failure starts the back-off afresh.
          backoff = options_.backoff_initial;
          // Wait for the next record (or a replacement, or stop).
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
          }
          // Only this thread moves `next`: it is the offset just sent.
          m.hold(batch[i].offset(), batch[i].offset());
          m.status.confirmed = batch[i].offset();
          m.next = batch[i].offset() + 1;
        }
        backoff = options_.backoff_initial;  // a whole batch went through
      }
      break;  // stopped
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (stop.stop_requested()) break;
    {
      std::lock_guard lock(m.mutex);
      ++m.status.failures;
      m.problem(failure + feed::retrying_in(backoff));
      m.status.state = MirrorState::retrying;
      m.status.retry_in = backoff;
    }
    std::unique_lock lock(m.mutex);
    m.wake.wait_for(lock, stop, backoff, [] { return false; });
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
}

}  // namespace memlog::redis
