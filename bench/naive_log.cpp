// SPDX-License-Identifier: MIT
#include "naive_log.hpp"

#include <mutex>
#include <thread>

namespace memlog::bench {

NaiveLog::NaiveLog(Offset start_offset, std::size_t segment_size, std::size_t max_record_bytes)
    : start_offset_(start_offset),
      segment_size_(segment_size),
      max_record_bytes_(max_record_bytes),
      active_(std::make_unique<Segment>(Segment{start_offset, {}})),
      next_(start_offset) {
  active_->records.reserve(segment_size_);
}

Result<Offset> NaiveLog::write(std::span<const std::byte> data) {
  std::unique_lock lock(mutex_);
  if (data.size() > max_record_bytes_) return std::unexpected(make_error_code(Errc::record_too_large));
  if (data.empty()) return std::unexpected(make_error_code(Errc::empty_record));

  // As Go: the payload is copied and the timestamp taken under the exclusive lock.
  NaiveRecord record{next_, std::chrono::system_clock::now(), {data.begin(), data.end()}};
  if (active_->records.size() == active_->records.capacity()) {
    // Seal: the active segment becomes the history, dropping (purging) the old history with
    // all its payloads, and a freshly allocated segment takes the write.
    history_ = std::move(active_);
    active_ = std::make_unique<Segment>(Segment{next_, {}});
    active_->records.reserve(segment_size_);
  }
  active_->records.push_back(std::move(record));
  return next_++;
}

Result<NaiveRecord> NaiveLog::read(Offset offset) const {
  std::shared_lock lock(mutex_);
  return read_locked(offset);
}

Result<NaiveRecord> NaiveLog::read_locked(Offset offset) const {
  if (offset >= next_) return std::unexpected(make_error_code(Errc::future_offset));
  if (offset < start_offset_) return std::unexpected(make_error_code(Errc::out_of_range));

  const Segment* segment = nullptr;
  if (offset >= active_->start)
    segment = active_.get();
  else if (history_ != nullptr && offset >= history_->start)
    segment = history_.get();
  else
    return std::unexpected(make_error_code(Errc::out_of_range));

  const NaiveRecord& stored = segment->records[static_cast<std::size_t>(offset - segment->start)];
  return NaiveRecord{stored.offset, stored.created, stored.data};  // the deep copy Go makes
}

BatchResult NaiveLog::read_batch(Offset from, std::span<NaiveRecord> out) const {
  std::shared_lock lock(mutex_);
  for (std::size_t i = 0; i < out.size(); ++i) {
    Result<NaiveRecord> record = read_locked(from + static_cast<Offset>(i));
    if (!record) {
      if (record.error() == Errc::out_of_range) return {0, record.error()};
      return {i, record.error()};  // the end of the log: what we have
    }
    out[i] = std::move(*record);  // a new copy each time (the old one is freed), as Go's batch[i] = r
  }
  return {out.size(), {}};
}

Range NaiveLog::range() const {
  std::shared_lock lock(mutex_);
  if (next_ == start_offset_) return {};
  return {history_ != nullptr ? history_->start : start_offset_, next_ - 1};
}

NaiveStream NaiveLog::stream(Offset start, std::stop_token stop) const {
  return NaiveStream{*this, start, std::move(stop)};
}

std::optional<NaiveRecord> NaiveStream::next() {
  while (!error_) {
    if (stop_.stop_requested()) {
      error_ = make_error_code(Errc::cancelled);
      break;
    }
    Result<NaiveRecord> record = log_->read(position_);
    if (record) {
      ++position_;
      return std::move(*record);
    }
    if (record.error() != Errc::future_offset) {
      error_ = record.error();
      break;
    }
    std::this_thread::sleep_for(kBackoff);  // Go's streamBackoffInterval
  }
  return std::nullopt;
}

}  // namespace memlog::bench
