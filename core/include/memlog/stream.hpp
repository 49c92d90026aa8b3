// SPDX-License-Identifier: MIT
// Stream: one consumer of a log, reading records in offset order and waiting for new ones.
//
// Threading: a Stream is used from one thread at a time; it keeps its log alive. Waiting is
// done on a condition variable that writers signal only when a stream is actually waiting,
// and that a stop request wakes at once.
#pragma once

#include <chrono>
#include <iterator>
#include <memory>
#include <optional>
#include <stop_token>
#include <system_error>

#include <memlog/log.hpp>

namespace memlog {

class Stream {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  Stream(Stream&&) noexcept;
  Stream& operator=(Stream&&) noexcept;
  ~Stream();

  // Blocks until the record at position() exists, then returns it and advances; nullopt once
  // the stream has ended (see error()). Checks the stop_token, then the deadline, first.
  std::optional<Record> next();
  // Why the stream ended: cancelled, deadline_exceeded or out_of_range; empty while running.
  std::error_code error() const;
  Offset position() const noexcept { return position_; }
  bool ended() const noexcept { return static_cast<bool>(error_); }

  // `for (const Record& r : log->stream(0, token))` reads until the stream ends.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Record;
    using difference_type = std::ptrdiff_t;
    using pointer = const Record*;
    using reference = const Record&;

    iterator() = default;
    reference operator*() const noexcept { return current_; }
    pointer operator->() const noexcept { return &current_; }
    iterator& operator++() {
      advance();
      return *this;
    }
    void operator++(int) { advance(); }
    friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept { return it.stream_ == nullptr; }

   private:
    friend class Stream;
    explicit iterator(Stream* stream) : stream_(stream) { advance(); }
    void advance() {
      if (auto record = stream_->next())
        current_ = std::move(*record);
      else
        stream_ = nullptr;
    }
    Stream* stream_ = nullptr;
    Record current_;
  };
  iterator begin() { return iterator{this}; }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  friend class Log;
  struct Waker;
  Stream(std::shared_ptr<const Log> log, Offset start, std::stop_token stop, std::optional<Deadline> deadline);
  bool finish(std::error_code error);

  std::shared_ptr<const Log> log_;
  Offset position_;
  std::stop_token stop_;
  std::optional<Deadline> deadline_;
  std::error_code error_;
  std::unique_ptr<Waker> waker_;  // wakes a waiting next() when stop is requested
};

}  // namespace memlog
