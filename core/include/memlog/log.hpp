// SPDX-License-Identifier: MIT
// Log: the append-only in-memory log, made of an active and a history segment.
//
// Threading: every member is safe to call from any number of threads at once. Writes are
// serialised by one short lock; reads, read_batch, range and stats take no lock and write no
// shared memory, so reader threads scale.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <stop_token>
#include <string_view>

#include <memlog/error.hpp>
#include <memlog/options.hpp>
#include <memlog/record.hpp>

namespace memlog {

struct Range {
  Offset earliest = -1;
  Offset latest = -1;
  bool empty() const noexcept { return earliest < 0 || latest < earliest; }
  friend bool operator==(const Range&, const Range&) = default;
};

struct BatchResult {
  std::size_t count = 0;
  std::error_code error;
};

// One consistent snapshot of the log's counters.
struct Stats {
  Offset next_offset = 0;
  Range range;
  std::size_t segment_size = 0;
  std::size_t active_records = 0;     // records in the active segment (0 when there is none)
  std::size_t history_records = 0;    // records in the history segment (0 when there is none)
  std::size_t active_bytes = 0;       // sum of the active segment's payload sizes
  std::size_t history_bytes = 0;      // sum of the history segment's payload sizes
  std::uint64_t records_written = 0;  // successful writes
  std::uint64_t records_purged = 0;   // records dropped by purges
  std::uint64_t segments_sealed = 0;  // seals
  std::uint64_t purges = 0;           // purge events
  std::size_t memory_bytes = 0;       // memory the log holds now (slots + shared payloads)
};

// The offset a reader starts at to read everything the log retains: the earliest retained
// record, or the next offset when the log is empty (an empty range's earliest is not an
// offset). From one Stats, so it is consistent with the rest of that snapshot.
inline Offset first_readable(const Stats& stats) noexcept {
  return stats.range.empty() ? stats.next_offset : stats.range.earliest;
}

// Observes a log's appends, seals and purges, without polling.
//
// Callbacks run on the thread that wrote, once its write is complete (the record readable,
// stats() counting it) and while it still holds the log's write lock, in the log's own order:
// for the write that starts a new segment, on_seal (the segment just sealed), then on_purge
// (the old history, if there was one), then on_append. So they see every event exactly once
// and in order, and no two callbacks of one log ever run at once.
// A callback must be short and must not block: it may read the log (read, read_batch, range,
// stats) but must not write to it or subscribe/unsubscribe on it (that would deadlock).
// The usual observer records the range in atomics and wakes its own consumer thread.
class LogObserver {
 public:
  virtual ~LogObserver() = default;
  virtual void on_append(Offset first, Offset last) { (void)first, (void)last; }
  virtual void on_seal(Offset first, Offset last) { (void)first, (void)last; }
  virtual void on_purge(Offset first, Offset last, std::size_t records, std::size_t bytes) {
    (void)first, (void)last, (void)records, (void)bytes;
  }
};

class Log;

// Keeps an observer subscribed; unsubscribes when reset or destroyed. After reset() returns,
// no callback of that observer is running or will run. Outlives its log safely.
class Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&&) noexcept = default;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { reset(); }

  void reset();
  bool active() const noexcept { return !log_.expired(); }

 private:
  friend class Log;
  Subscription(std::weak_ptr<const Log> log, const LogObserver* observer) : log_(std::move(log)), observer_(observer) {}
  std::weak_ptr<const Log> log_;
  const LogObserver* observer_ = nullptr;
};

class Stream;

class Log : public std::enable_shared_from_this<Log> {
 public:
  // Rejects segment_size == 0, max_record_bytes == 0 and start_offset < 0 (invalid_options).
  static Result<std::shared_ptr<Log>> create(Options options = {});

  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;
  ~Log();

  // Copies the payload and gives it the next offset. A failed write consumes no offset.
  Result<Offset> write(std::span<const std::byte> data);
  Result<Offset> write(std::string_view data);

  Result<Record> read(Offset offset) const;
  BatchResult read_batch(Offset from, std::span<Record> out) const;
  Range range() const;
  Stats stats() const;
  const Options& options() const noexcept;

  // A consumer reading from `start` on, waiting (without polling) for records not written yet.
  Stream stream(Offset start, std::stop_token stop = {}) const;
  Stream stream(Offset start, std::stop_token stop, std::chrono::steady_clock::time_point deadline) const;

  // Subscribes an observer (see LogObserver) until the Subscription is reset or destroyed.
  [[nodiscard]] Subscription observe(std::shared_ptr<LogObserver> observer) const;

  class Impl;  // the implementation (core/src); not part of the API

 private:
  Log() = default;  // only Impl derives from Log; create() makes it
};

}  // namespace memlog
