// SPDX-License-Identifier: MIT
#include <memlog/source/feed.hpp>

#include <algorithm>
#include <cstdio>

namespace memlog::feed {

std::string_view to_string(FeedState state) noexcept {
  switch (state) {
    case FeedState::stopped:
      return "stopped";
    case FeedState::connecting:
      return "connecting";
    case FeedState::running:
      return "running";
    case FeedState::retrying:
      return "retrying";
    case FeedState::finished:
      return "finished";
  }
  return "unknown";
}

std::string retrying_in(std::chrono::milliseconds wait) {
  const double seconds = std::chrono::duration<double>(wait).count();
  char text[64];
  std::snprintf(text, sizeof text, "; retrying in %.*f s", seconds < 10 ? 2 : 0, seconds);
  return text;
}

Feed::Feed(std::string name, std::shared_ptr<Log> log)
    : name_(std::move(name)), backoff_(backoff_initial_), log_(std::move(log)) {}

Feed::~Feed() = default;  // subclasses have stopped the thread (it runs their session())

void Feed::start() {
  std::lock_guard lock(thread_mutex_);
  if (thread_.joinable()) return;
  {
    std::lock_guard status(mutex_);
    backoff_ = backoff_initial_;
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Feed::stop() {
  std::jthread thread;
  {
    std::lock_guard lock(thread_mutex_);
    thread = std::move(thread_);
  }
  if (!thread.joinable()) return;
  thread.request_stop();  // wakes sleep_for and a write waiting for a log (stop_token waits)
  thread.join();
  set_state(FeedState::stopped);
}

void Feed::attach(std::shared_ptr<Log> log) {
  std::lock_guard lock(log_mutex_);  // a write under way finishes first
  log_ = std::move(log);
  log_attached_.notify_all();
}

FeedStatus Feed::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Feed::set_backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max) {
  std::lock_guard lock(mutex_);
  backoff_initial_ = std::max(initial, std::chrono::milliseconds(1));
  backoff_max_ = std::max(max, backoff_initial_);
  backoff_ = backoff_initial_;
}

void Feed::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    set_state(FeedState::connecting);
    std::string failure;
    try {
      const SessionEnd end = session(stop);
      if (stop.stop_requested()) break;
      if (end == SessionEnd::finished) {
        set_state(FeedState::finished);
        return;
      }
      continue;  // reopen at once
    } catch (const std::exception& e) {
      failure = e.what();
    }
    if (stop.stop_requested()) break;
    std::chrono::milliseconds wait;
    {
      std::lock_guard lock(mutex_);
      wait = backoff_;
      backoff_ = std::min(backoff_ * 2, backoff_max_);
      ++status_.failures;
    }
    problem(failure + retrying_in(wait));
    set_state(FeedState::retrying, wait);
    if (!sleep_for(wait, stop)) break;
  }
}

bool Feed::write(std::span<const std::byte> payload, std::stop_token stop) {
  std::unique_lock lock(log_mutex_);
  if (!log_attached_.wait(lock, stop, [&] { return log_ != nullptr; })) return false;
  const Result<Offset> written = log_->write(payload);
  const std::size_t limit = log_->options().max_record_bytes;
  lock.unlock();
  if (written) {
    std::lock_guard status(mutex_);
    ++status_.records;
    status_.bytes += payload.size();
    return true;
  }
  {
    std::lock_guard status(mutex_);
    ++status_.rejected;
  }
  if (written.error() == Errc::record_too_large)
    problem("a record of " + std::to_string(payload.size()) + " bytes is over the log's limit of " +
            std::to_string(limit) + " bytes (--max-record-bytes); skipped");
  else
    problem("the log refused a record (" + written.error().message() + "); skipped");
  return false;
}

void Feed::connected() {
  std::lock_guard lock(mutex_);
  backoff_ = backoff_initial_;
  status_.state = FeedState::running;
  status_.retry_in = {};
}

void Feed::set_position(std::string position) {
  std::lock_guard lock(mutex_);
  status_.position = std::move(position);
}

void Feed::warn(std::string message) { problem(std::move(message)); }

bool Feed::sleep_for(std::chrono::milliseconds duration, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  sleep_.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

std::size_t Feed::max_record_bytes() const {
  std::lock_guard lock(log_mutex_);
  return log_ ? log_->options().max_record_bytes : Options{}.max_record_bytes;
}

void Feed::set_state(FeedState state, std::chrono::milliseconds retry_in) {
  std::lock_guard lock(mutex_);
  status_.state = state;
  status_.retry_in = retry_in;
}

void Feed::problem(std::string message) {
  std::lock_guard lock(mutex_);
  ++status_.problems;
  status_.last_problem = name_ + ": " + std::move(message);
}

// --- LineSplitter -----------------------------------------------------------------------------

bool LineSplitter::deliver(std::string_view line, std::size_t max_line) {
  ++lines_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > max_line) {
    on_oversize_(lines_, line.size());
    return true;
  }
  if (line.empty()) return true;
  return on_line_(line);
}

bool LineSplitter::feed(std::string_view chunk, std::size_t max_line) {
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, newline);
    if (oversize_bytes_ > 0) {
      // Dropping an over-long line: count its bytes, keep none of them.
      oversize_bytes_ += piece.size();
      if (newline == std::string_view::npos) return true;
      ++lines_;
      on_oversize_(lines_, oversize_bytes_);
      oversize_bytes_ = 0;
    } else if (newline == std::string_view::npos) {
      if (partial_.size() + piece.size() > max_line + 1) {  // +1: a '\r' that may yet be dropped
        oversize_bytes_ = partial_.size() + piece.size();
        partial_.clear();
      } else {
        partial_.append(piece);
      }
      return true;
    } else if (!partial_.empty()) {
      partial_.append(piece);
      const std::string line = std::move(partial_);
      partial_.clear();
      if (!deliver(line, max_line)) return false;
    } else if (!deliver(piece, max_line)) {
      return false;
    }
    chunk.remove_prefix(newline + 1);
  }
  return true;
}

bool LineSplitter::flush(std::size_t max_line) {
  if (oversize_bytes_ > 0) {
    ++lines_;
    on_oversize_(lines_, oversize_bytes_);
    oversize_bytes_ = 0;
    return true;
  }
  if (partial_.empty()) return true;
  const std::string line = std::move(partial_);
  partial_.clear();
  return deliver(line, max_line);
}

void LineSplitter::reset() {
  partial_.clear();
  oversize_bytes_ = 0;
}

}  // namespace memlog::feed
