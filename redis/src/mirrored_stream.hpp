// SPDX-License-Identifier: MIT
// What RedisMirror and ShardedRedisMirror share, written once: the XADD of a record and the
// reading of its reply, the reading of a stream's top entry on (re)connection, and
// MirroredStream — the mirror's account of one stream: where it goes on, what Redis has
// confirmed, what was sent, already there or lost.
//
// Threading: the functions run on the mirror's thread. A MirroredStream is guarded by its
// owner's mutex (every member is called with it held); it reports problems to the worker,
// whose mutex is a leaf.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <memlog/log.hpp>
#include <memlog/redis/redis_mirror.hpp>
#include <memlog/source/retrying_worker.hpp>

#include "redis_connection.hpp"

namespace memlog::redis::detail {

// The stream's top entry: its ID and the offset it carries ("" and -1: the stream is empty).
struct StreamTop {
  std::string id;
  Offset offset = -1;
};
// Pipelining: asks for the top entry of `stream` (XREVRANGE + - COUNT 1), then takes the reply.
// A stream's top can thus be asked of many streams in one round trip.
void ask_top(Connection& redis, std::string_view stream);
StreamTop take_top(Connection& redis, const std::string& where);  // an error reply: SessionError

// The text of one XADD, reused from record to record (hiredis copies a command when it is
// appended, so the text need not outlive append_xadd).
struct XaddText {
  std::string id, offset, created;
};
// MAXLEN ~ of a stream mirroring a log of `segment_size`: the option, else the log's retention.
std::string max_length_of(const MirrorOptions& options, std::size_t segment_size);
// Pipelines XADD <stream> MAXLEN ~ <max> <created_ms>-<offset> offset … created … payload …
void append_xadd(Connection& redis, std::string_view stream, std::string_view max_length, const Record& record,
                 XaddText& text);
// The reply to the XADD of `offset`: true for a new entry, false for one Redis already held
// (an ID not above the stream's top). Any other error reply throws SessionError: not a
// transient failure of the connection, so the mirror says so and retries the batch later.
bool take_xadd(Connection& redis, const std::string& where, Offset offset);

// The newest few ranges of offsets lost, as text ("120-340, 900"; labelled "3:120-340" by a
// sharded mirror's total). A range right after the previous one with the same label (lost for
// another reason, found next) extends it.
class LostRanges {
 public:
  static constexpr std::size_t kKept = 5;
  void add(Offset first, Offset last, const std::string& label = {});
  const std::string& text() const noexcept { return text_; }

 private:
  struct Lost {
    std::string label;
    Offset first, last;
  };
  std::deque<Lost> ranges_;
  std::string text_;
};

class MirroredStream {
 public:
  // Problems go to `worker`, prefixed by `name` ("" for a mirror of one log, "<where>: " for
  // a shard's stream); losses are also added to `total` (a sharded mirror's) under `label`.
  explicit MirroredStream(RetryingWorker& worker, std::string name = {}, LostRanges* total = nullptr,
                          std::string label = {});

  Offset next() const noexcept { return next_; }  // the next offset to send; -1 before the first connection
  void move_to(Offset next) noexcept { next_ = next; }
  // Confirmed, sent, duplicates, lost; the lag counted now against the log's `stats`.
  ShardMirrorStatus status(const Stats& stats) const;
  const std::string& lost_ranges() const noexcept { return lost_ranges_.text(); }

  // Records [first, last] can no longer be delivered: count, describe and report them.
  void lose(Offset first, Offset last, std::string_view why = "were purged from the log before Redis confirmed them");
  // On (re)connection the stream's top is `top`, the log's state `stats`: where to go on.
  void reconcile(const StreamTop& top, const Stats& stats, const std::string& where);
  // Reading from `from` found it purged (the log begins at `earliest`): lost, unless the
  // mirror has moved on meanwhile (a replacement log).
  void skip_purged(Offset from, Offset earliest);
  // Redis replied to the XADD of `offset`: a new entry (`added`) or one it held already.
  void confirm(Offset offset, bool added);
  void report(std::string problem) { worker_.report(name_ + std::move(problem)); }

 private:
  void hold(Offset first, Offset last);
  Offset held_top() const { return held_.empty() ? Offset{-1} : held_.back().second; }
  void redis_lost_after(Offset top, Offset earliest);

  RetryingWorker& worker_;
  std::string name_;
  LostRanges* total_;
  std::string label_;
  ShardMirrorStatus counts_;  // all but the lag, which status() computes
  LostRanges lost_ranges_;
  // The offsets Redis has confirmed holding, as ranges, oldest first: what a Redis that lost
  // its data (restarted without persistence) must be given again or reported lost for. Gaps
  // come from records lost before they were sent and from replacement logs; the oldest ranges
  // are dropped beyond kHeldRangesKept (by then long trimmed by MAXLEN, in practice).
  std::vector<std::pair<Offset, Offset>> held_;
  std::string top_id_;  // the stream's top entry ID at the last connection ("" when empty)
  Offset next_ = -1;
};

}  // namespace memlog::redis::detail
