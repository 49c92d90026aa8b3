// SPDX-License-Identifier: MIT
#include <memlog/source/feed.hpp>

namespace memlog::feed {

Feed::Feed(std::string name, std::shared_ptr<Log> log)
    : name_(std::move(name)),
      log_(std::move(log)),
      worker_(name_, [this](std::stop_token stop) { return session(std::move(stop)); }) {}

Feed::~Feed() = default;  // subclasses have stopped the thread (it runs their session())

void Feed::start() { worker_.start(); }

// Wakes sleep_for and a write waiting for a log (both wait on the stop token).
void Feed::stop() { worker_.stop(); }

void Feed::attach(std::shared_ptr<Log> log) {
  std::lock_guard lock(log_mutex_);  // a write under way finishes first
  log_ = std::move(log);
  router_.reset();
  log_attached_.notify_all();
}

void Feed::attach(std::shared_ptr<shard::ShardRouter> router) {
  std::lock_guard lock(log_mutex_);
  router_ = std::move(router);
  log_attached_.notify_all();
}

FeedStatus Feed::status() const {
  std::lock_guard lock(mutex_);
  return FeedStatus{worker_.health(), records_, bytes_, rejected_, position_};
}

void Feed::set_backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max) {
  worker_.set_backoff(initial, max);
}

bool Feed::write(std::span<const std::byte> payload, std::stop_token stop) {
  std::unique_lock lock(log_mutex_);
  if (!log_attached_.wait(lock, std::move(stop), [&] { return log_ != nullptr || router_ != nullptr; })) return false;
  Result<Offset> written;
  std::size_t limit;
  if (router_) {
    const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    const Result<shard::Routed> routed = router_->write(text);
    written = routed ? Result<Offset>(routed->offset) : std::unexpected(routed.error());
    limit = router_->log()->options().log.max_record_bytes;
  } else {
    written = log_->write(payload);
    limit = log_->options().max_record_bytes;
  }
  lock.unlock();
  std::lock_guard status(mutex_);
  if (written) {
    ++records_;
    bytes_ += payload.size();
    return true;
  }
  ++rejected_;
  if (written.error() == Errc::invalid_key)
    warn("a record without a key the sharder can place was skipped (see the routing view)");
  else if (written.error() == Errc::record_too_large)
    warn("a record of " + std::to_string(payload.size()) + " bytes is over the log's limit of " +
         std::to_string(limit) + " bytes (--max-record-bytes); skipped");
  else
    warn("the log refused a record (" + written.error().message() + "); skipped");
  return false;
}

void Feed::set_position(std::string position) {
  std::lock_guard lock(mutex_);
  position_ = std::move(position);
}

std::size_t Feed::max_record_bytes() const {
  std::lock_guard lock(log_mutex_);
  if (router_) return router_->log()->options().log.max_record_bytes;
  return log_ ? log_->options().max_record_bytes : Options{}.max_record_bytes;
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
