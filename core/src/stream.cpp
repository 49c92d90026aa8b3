// SPDX-License-Identifier: MIT
#include <memlog/stream.hpp>

#include "log_impl.hpp"

namespace memlog {

// Wakes the log's waiting streams when this stream's stop is requested, so a cancelled next()
// returns at once instead of at the next append.
struct Stream::Waker {
  struct Wake {
    const Log::Impl* log;
    void operator()() const noexcept {
      // Lock (an empty critical section) so a waiter between its check and its wait gets there.
      log->wake_all();
    }
  };
  std::stop_callback<Wake> callback;
  Waker(const std::stop_token& stop, const Log::Impl* log) : callback(stop, Wake{log}) {}
};

Stream Log::stream(Offset start, std::stop_token stop) const {
  return Stream{shared_from_this(), start, std::move(stop), std::nullopt};
}

Stream Log::stream(Offset start, std::stop_token stop, std::chrono::steady_clock::time_point deadline) const {
  return Stream{shared_from_this(), start, std::move(stop), deadline};
}

Stream::Stream(std::shared_ptr<const Log> log, Offset start, std::stop_token stop, std::optional<Deadline> deadline)
    : log_(std::move(log)), position_(start), stop_(std::move(stop)), deadline_(deadline) {
  if (stop_.stop_possible()) waker_ = std::make_unique<Waker>(stop_, &impl(*log_));
}

Stream::Stream(Stream&&) noexcept = default;
Stream& Stream::operator=(Stream&&) noexcept = default;
Stream::~Stream() = default;

std::error_code Stream::error() const { return error_; }

bool Stream::finish(std::error_code error) {
  error_ = error;
  waker_.reset();  // no need to be woken any more
  return false;
}

std::optional<Record> Stream::next() {
  if (error_) return std::nullopt;
  const Log::Impl& log = impl(*log_);
  for (;;) {
    // The stop, then the deadline, are checked before reading, even when the record exists.
    if (stop_.stop_requested()) {
      finish(make_error_code(Errc::cancelled));
      return std::nullopt;
    }
    if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) {
      finish(make_error_code(Errc::deadline_exceeded));
      return std::nullopt;
    }
    Result<Record> record = log.read(position_);
    if (record) {
      ++position_;
      return std::move(*record);
    }
    if (record.error() != Errc::future_offset) {  // purged, before the start, or negative
      finish(record.error());
      return std::nullopt;
    }
    log.wait_for_append(position_, stop_, deadline_);
  }
}

}  // namespace memlog
