// SPDX-License-Identifier: MIT
// NaiveLog: Go memlog's design written in straightforward C++, the baseline of the benchmarks.
//
// It follows github.com/embano1/memlog closely, so that "naive / memlog" in the results is the
// gain of memlog's design and not of the language: one reader-writer lock around everything;
// a segment is a vector of records reserved to segment_size, each record owning a heap copy
// of its payload; a full active segment is sealed, becomes the history, the old history is
// dropped whole and a new segment is allocated; read() and read_batch() return deep copies;
// a stream polls, sleeping 10 ms whenever it has reached the end of the log.
// Threading: every member of NaiveLog is safe from any number of threads (the lock); a
// NaiveStream is used from one thread.
#pragma once

#include <memlog/error.hpp>
#include <memlog/log.hpp>
#include <memlog/options.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <stop_token>
#include <system_error>
#include <vector>

namespace memlog::bench {

struct NaiveRecord {
  Offset offset = -1;
  Timestamp created{};
  std::vector<std::byte> data;  // its own heap copy, as a Go []byte
};

class NaiveStream;

class NaiveLog {
 public:
  NaiveLog(Offset start_offset, std::size_t segment_size, std::size_t max_record_bytes = std::size_t{1} << 20);

  Result<Offset> write(std::span<const std::byte> data);
  Result<NaiveRecord> read(Offset offset) const;
  // Go's ReadBatch: deep copies into out[0..), under one shared lock.
  BatchResult read_batch(Offset from, std::span<NaiveRecord> out) const;
  Range range() const;
  NaiveStream stream(Offset start, std::stop_token stop = {}) const;

 private:
  struct Segment {
    Offset start;
    std::vector<NaiveRecord> records;  // reserved to segment_size: full when size == capacity
  };

  Result<NaiveRecord> read_locked(Offset offset) const;  // caller holds mutex_ (shared)

  const Offset start_offset_;
  const std::size_t segment_size_;
  const std::size_t max_record_bytes_;

  mutable std::shared_mutex mutex_;
  std::unique_ptr<Segment> active_;   // guarded by mutex_
  std::unique_ptr<Segment> history_;  // guarded by mutex_; null until the first seal
  Offset next_;                       // guarded by mutex_
};

// Go memlog's Stream loop as a pull API: read the next offset; at the end of the log sleep
// kBackoff and try again. So a record written just after a poll waits up to 10 ms.
class NaiveStream {
 public:
  static constexpr std::chrono::milliseconds kBackoff{10};

  NaiveStream(const NaiveLog& log, Offset start, std::stop_token stop)
      : log_(&log), position_(start), stop_(std::move(stop)) {}

  std::optional<NaiveRecord> next();  // nullopt once ended (cancelled or out_of_range)
  std::error_code error() const { return error_; }
  Offset position() const noexcept { return position_; }

 private:
  const NaiveLog* log_;
  Offset position_;
  std::stop_token stop_;
  std::error_code error_;
};

}  // namespace memlog::bench
