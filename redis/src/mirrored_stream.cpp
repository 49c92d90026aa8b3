// SPDX-License-Identifier: MIT
// What both Redis mirrors share (see mirrored_stream.hpp).
#include "mirrored_stream.hpp"

#include <algorithm>
#include <charconv>

namespace memlog::redis::detail {

namespace {
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
  return is_error(reply) &&
         text_of(reply).find("equal or smaller than the target stream top item") != std::string_view::npos;
}

std::string range_text(Offset first, Offset last) {
  return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}
}  // namespace

void ask_top(Connection& redis, std::string_view stream) {
  redis.append({"XREVRANGE", stream, "+", "-", "COUNT", "1"});
}

StreamTop take_top(Connection& redis, const std::string& where) {
  const Reply top = redis.reply();
  if (is_error(top.get())) throw SessionError(where + ": " + std::string(text_of(top.get())));
  if (top->type != REDIS_REPLY_ARRAY || top->elements == 0) return {};
  return {std::string(text_of(top->element[0]->element[0])), offset_of(top->element[0])};
}

std::string max_length_of(const MirrorOptions& options, std::size_t segment_size) {
  return std::to_string(options.max_length > 0 ? options.max_length : 2 * segment_size);
}

void append_xadd(Connection& redis, std::string_view stream, std::string_view max_length, const Record& record,
                 XaddText& text) {
  // The ID is made of the record: IDs grow with offsets, and the offset can be read back from
  // the ID as well as from the `offset` field.
  const auto since_epoch = record.created().time_since_epoch();
  text.id = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count()) + "-" +
            std::to_string(record.offset());
  text.offset = std::to_string(record.offset());
  text.created = std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
  redis.append({"XADD", stream, "MAXLEN", "~", max_length, text.id, "offset", text.offset, "created", text.created,
                "payload", record.text()});
}

bool take_xadd(Connection& redis, const std::string& where, Offset offset) {
  const Reply reply = redis.reply();
  if (is_duplicate(reply.get())) return false;
  if (is_error(reply.get()))
    throw SessionError(where + ": XADD of offset " + std::to_string(offset) +
                       " refused: " + std::string(text_of(reply.get())));
  return true;
}

void LostRanges::add(Offset first, Offset last, const std::string& label) {
  if (!ranges_.empty() && ranges_.back().label == label && ranges_.back().last + 1 == first)
    ranges_.back().last = last;
  else
    ranges_.push_back({label, first, last});
  if (ranges_.size() > kKept) ranges_.pop_front();
  text_.clear();
  for (const Lost& lost : ranges_)
    text_ += (text_.empty() ? "" : ", ") + lost.label + range_text(lost.first, lost.last);
}

MirroredStream::MirroredStream(RetryingWorker& worker, std::string name, LostRanges* total, std::string label)
    : worker_(worker), name_(std::move(name)), total_(total), label_(std::move(label)) {}

ShardMirrorStatus MirroredStream::status(const Stats& stats) const {
  ShardMirrorStatus status = counts_;
  // The records from the next one to send on (all of the log's before the first connection):
  // counted now, so it stays true while the mirror waits or retries.
  const Offset pending = next_ >= 0 ? next_ : first_readable(stats);
  status.lag = std::max<std::int64_t>(0, stats.next_offset - pending);
  return status;
}

void MirroredStream::lose(Offset first, Offset last, std::string_view why) {
  if (last < first) return;
  counts_.lost += static_cast<std::uint64_t>(last - first + 1);
  report(std::to_string(last - first + 1) + " records (offsets " + range_text(first, last) + ") " + std::string(why) +
         "; they are not in the stream");
  lost_ranges_.add(first, last);
  if (total_) total_->add(first, last, label_);
}

void MirroredStream::hold(Offset first, Offset last) {
  if (!held_.empty() && first <= held_.back().second) first = held_.back().second + 1;  // held already
  if (last < first) return;
  if (!held_.empty() && held_.back().second + 1 == first) {
    held_.back().second = last;
    return;
  }
  if (held_.size() == kHeldRangesKept) held_.erase(held_.begin());
  held_.emplace_back(first, last);
}

// Redis holds entries only up to offset `top`, below what it had confirmed: it lost the rest
// (restarted without persistence). What the log still has (from `earliest` on) is sent again;
// what it has not is lost.
void MirroredStream::redis_lost_after(Offset top, Offset earliest) {
  Offset resend = -1;
  for (const auto& [first, last] : held_) {
    if (last <= top) continue;
    const Offset from = std::max(first, top + 1);
    lose(from, std::min(last, earliest - 1), "were lost by Redis and the log no longer holds them");
    if (last >= earliest && resend < 0) resend = std::max(from, earliest);
  }
  std::erase_if(held_, [top](const auto& range) { return range.first > top; });
  if (!held_.empty()) held_.back().second = std::min(held_.back().second, top);
  if (resend >= 0 && resend < next_) next_ = resend;
  counts_.confirmed = std::min(counts_.confirmed, next_ - 1);
}

void MirroredStream::reconcile(const StreamTop& top, const Stats& stats, const std::string& where) {
  const Offset earliest = first_readable(stats);
  if (next_ < 0) {
    next_ = earliest;  // a new mirror: what the log holds now, and all that follows
  } else if (top.offset < held_top()) {
    worker_.report(where + " holds entries only up to offset " + std::to_string(top.offset) + ", not up to " +
                   std::to_string(held_top()) + " as it had confirmed (restarted without persistence?); " +
                   "sending the log's records after it again");
    redis_lost_after(top.offset, earliest);
  } else if (top.offset > held_top() && top.offset >= next_ && top.offset < stats.next_offset && top.id != top_id_) {
    // Entries Redis took before the connection broke, their replies lost: confirmed now.
    // (Only if the stream grew since the last connection: an old entry that happens to carry
    // such an offset, there before this mirror, proves nothing.)
    hold(next_, top.offset);
    counts_.confirmed = top.offset;
    next_ = top.offset + 1;
  }
  top_id_ = top.id;
}

void MirroredStream::skip_purged(Offset from, Offset earliest) {
  if (next_ == from && earliest > from) {
    lose(from, earliest - 1);
    next_ = earliest;
  }
}

void MirroredStream::confirm(Offset offset, bool added) {
  ++(added ? counts_.sent : counts_.duplicates);
  // Only the mirror's thread moves `next`: it is the offset just sent.
  hold(offset, offset);
  counts_.confirmed = offset;
  next_ = offset + 1;
}

}  // namespace memlog::redis::detail
