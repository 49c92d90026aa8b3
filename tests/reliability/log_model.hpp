// SPDX-License-Identifier: MIT
// LogModel: a tiny reference implementation of CORE_API.md's rules (a deque and counters),
// slow and obviously right, that tst_log_model checks memlog::Log against step by step.
#pragma once

#include <memlog/memlog.hpp>

#include <deque>
#include <string>

class LogModel {
 public:
  struct Entry {
    memlog::Offset offset;
    std::string payload;
  };

  LogModel(memlog::Offset start, std::size_t segment_size, std::size_t max_record_bytes)
      : start_(start), segment_size_(segment_size), max_(max_record_bytes), next_(start), active_base_(start) {}

  // The error a write of `payload` must give, or the offset it must get.
  memlog::Result<memlog::Offset> write(const std::string& payload) {
    if (payload.empty()) return std::unexpected(make_error_code(memlog::Errc::empty_record));
    if (payload.size() > max_) return std::unexpected(make_error_code(memlog::Errc::record_too_large));
    if (static_cast<std::size_t>(next_ - active_base_) == segment_size_) {  // full: seal (and purge)
      if (history_base_ >= 0) {
        for (std::size_t i = 0; i < segment_size_; ++i) entries_.pop_front();
        ++purges_;
        purged_ += segment_size_;
      }
      history_base_ = active_base_;
      history_bytes_ = active_bytes_;
      active_base_ = next_;
      active_bytes_ = 0;
      ++sealed_;
    }
    entries_.push_back({next_, payload});
    active_bytes_ += payload.size();
    return next_++;
  }

  // nullptr with the error a read of `offset` must give, or the entry.
  const Entry* read(memlog::Offset offset, std::error_code& error) const {
    if (offset >= next_) {
      error = make_error_code(memlog::Errc::future_offset);
      return nullptr;
    }
    if (offset < earliest()) {
      error = make_error_code(memlog::Errc::out_of_range);
      return nullptr;
    }
    return &entries_[static_cast<std::size_t>(offset - earliest())];
  }

  memlog::Offset earliest() const { return entries_.empty() ? start_ : entries_.front().offset; }
  memlog::Offset next() const { return next_; }
  memlog::Range range() const { return entries_.empty() ? memlog::Range{} : memlog::Range{earliest(), next_ - 1}; }

  memlog::Stats stats() const {
    memlog::Stats s;
    s.next_offset = next_;
    s.range = range();
    s.segment_size = segment_size_;
    s.active_records = static_cast<std::size_t>(next_ - active_base_);
    s.history_records = history_base_ < 0 ? 0 : static_cast<std::size_t>(active_base_ - history_base_);
    s.active_bytes = active_bytes_;
    s.history_bytes = history_base_ < 0 ? 0 : history_bytes_;
    s.records_written = static_cast<std::uint64_t>(next_ - start_);
    s.records_purged = purged_;
    s.segments_sealed = sealed_;
    s.purges = purges_;
    return s;
  }

  std::size_t max_record_bytes() const { return max_; }
  std::size_t segment_size() const { return segment_size_; }

 private:
  memlog::Offset start_;
  std::size_t segment_size_;
  std::size_t max_;
  std::deque<Entry> entries_;
  memlog::Offset next_;
  memlog::Offset active_base_;
  memlog::Offset history_base_ = -1;
  std::size_t active_bytes_ = 0;
  std::size_t history_bytes_ = 0;
  std::uint64_t sealed_ = 0;
  std::uint64_t purges_ = 0;
  std::uint64_t purged_ = 0;
};
