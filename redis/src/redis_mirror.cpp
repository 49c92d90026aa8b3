// SPDX-License-Identifier: MIT
// RedisMirror: a log mirrored into a Redis stream by pipelined XADDs (see redis_mirror.hpp for the contract).
#include <memlog/redis/redis_mirror.hpp>

#include <algorithm>
#include <charconv>
#include <deque>
#include <mutex>
#include <span>
#include <vector>

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

struct RedisMirror::Impl {
  explicit Impl(RetryingWorker& worker, std::size_t batch_size)
      : worker(worker), ids(batch_size), offsets(batch_size), created(batch_size) {}

  RetryingWorker& worker;  // the health: problems are reported to it

  // The mirror thread's own text of one pipelined batch's XADDs (reused, not reallocated).
  std::vector<std::string> ids, offsets, created;

  mutable std::mutex mutex;       // guards everything below
  MirrorStatus status;            // the mirror's own fields; the WorkerHealth part is the worker's
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

  void problem(std::string message) { worker.report(std::move(message)); }
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

  // On (re)connection the stream's top entry is `id` carrying offset `top_offset` (-1 and ""
  // when the stream is empty): where to go on. Called with the mutex held.
  void reconcile_with_top(const std::string& id, Offset top_offset, const std::string& where) {
    pick_up(where);
    const Stats stats = mirrored->stats();
    const Offset earliest = first_readable(stats);
    if (next < 0) {
      next = earliest;  // a new mirror: what the log holds now, and all that follows
    } else if (top_offset < held_top()) {
      problem(where + " holds entries only up to offset " + std::to_string(top_offset) + ", not up to " +
              std::to_string(held_top()) + " as it had confirmed (restarted without persistence?); " +
              "sending the log's records after it again");
      redis_lost_after(top_offset, earliest);
    } else if (top_offset > held_top() && top_offset >= next && top_offset < stats.next_offset && id != top_id) {
      // Entries Redis took before the connection broke, their replies lost: confirmed now.
      // (Only if the stream grew since the last connection: an old entry that happens to
      // carry such an offset, there before this mirror, proves nothing.)
      hold(next, top_offset);
      status.confirmed = top_offset;
      next = top_offset + 1;
    }
    top_id = id;
  }

  // Records before `earliest`, from `from` on, were purged before the mirror read them (unless
  // the mirror has moved on meanwhile: attach()).
  void skip_purged(Offset from, Offset earliest) {
    std::lock_guard lock(mutex);
    if (next == from && earliest > from) {
      lose(from, earliest - 1);
      next = earliest;
    }
  }

  // The log to read and the offset to read from, a replacement taken up first.
  std::pair<std::shared_ptr<Log>, Offset> position(const std::string& where) {
    std::lock_guard lock(mutex);
    pick_up(where);
    return {mirrored, next};
  }
};

RedisMirror::RedisMirror(std::shared_ptr<Log> log, RedisStreamAddress target, MirrorOptions options)
    : target_(std::move(target)),
      options_(options),
      worker_("", [this](const std::stop_token& stop) { return session(stop); }),
      impl_(std::make_unique<Impl>(worker_, std::max<std::size_t>(1, options.batch))) {
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
  MirrorStatus status = impl_->status;
  static_cast<WorkerHealth&>(status) = worker_.health();
  // The lag is computed now, so it stays true while the mirror waits or retries: the records
  // from the next one to send on (all of the log's before the first connection).
  const Stats stats = impl_->log->stats();
  const Offset pending = impl_->next >= 0 ? impl_->next : first_readable(stats);
  status.lag = std::max<std::int64_t>(0, stats.next_offset - pending);
  return status;
}

SessionEnd RedisMirror::session(const std::stop_token& stop) {
  Impl& m = *impl_;
  std::vector<Record> batch(m.ids.size());
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
      m.skip_purged(next, first_readable(log->stats()));
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
  const Reply top = redis.command({"XREVRANGE", target_.stream, "+", "-", "COUNT", "1"});
  if (detail::is_error(top.get())) throw SessionError(where + ": " + std::string(text_of(top.get())));
  const bool empty = top->type != REDIS_REPLY_ARRAY || top->elements == 0;
  const std::string top_id = empty ? "" : std::string(text_of(top->element[0]->element[0]));
  const Offset top_offset = empty ? Offset{-1} : offset_of(top->element[0]);
  std::lock_guard lock(impl_->mutex);
  impl_->reconcile_with_top(top_id, top_offset, where);
}

void RedisMirror::send_batch(detail::Connection& redis, const std::string& where, const Log& log,
                             std::span<const Record> batch) {
  Impl& m = *impl_;
  const std::size_t count = batch.size();
  const std::string max_length =
      std::to_string(options_.max_length > 0 ? options_.max_length : 2 * log.options().segment_size);
  for (std::size_t i = 0; i < count; ++i) {
    const Record& record = batch[i];
    const auto since_epoch = record.created().time_since_epoch();
    m.ids[i] = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count()) + "-" +
               std::to_string(record.offset());
    m.offsets[i] = std::to_string(record.offset());
    m.created[i] = std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
    redis.append({"XADD", target_.stream, "MAXLEN", "~", max_length, m.ids[i], "offset", m.offsets[i], "created",
                  m.created[i], "payload", record.text()});
  }
  for (std::size_t i = 0; i < count; ++i) {
    const Reply reply = redis.reply();
    std::lock_guard lock(m.mutex);
    if (is_duplicate(reply.get())) {
      ++m.status.duplicates;
    } else if (detail::is_error(reply.get())) {
      // Not a transient failure of the connection: say so and retry the batch later.
      throw SessionError(where + ": XADD of offset " + m.offsets[i] + " refused: " + std::string(text_of(reply.get())));
    } else {
      ++m.status.sent;
    }
    // Only this thread moves `next`: it is the offset just sent.
    m.hold(batch[i].offset(), batch[i].offset());
    m.status.confirmed = batch[i].offset();
    m.next = batch[i].offset() + 1;
  }
}

}  // namespace memlog::redis
