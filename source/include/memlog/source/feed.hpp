// SPDX-License-Identifier: MIT
// Feed: a real source of records — standard input, a growing file, a REST endpoint, a Redis
// stream — writing into a memlog::Log on its own thread, and surviving what real sources do:
// not being there yet, going away, sending garbage.
//
// A feed runs *sessions* (open or connect, then read until the input ends, fails or the feed
// is stopped) on a RetryingWorker: a failed session is retried with exponential back-off
// (250 ms doubling to 30 s, reset once a session gets going); its error is counted and kept in
// status(). Records the log refuses (over max_record_bytes) are skipped, counted and reported,
// never fatal.
//
// The log can be swapped under a running feed (attach()): writes wait for the new log, so
// nothing read from the input is lost across a replacement.
//
// Threading: every public member may be called from any thread. Subclasses implement
// session() — it runs on the worker's thread, which also calls the protected members — and
// must call stop() in their destructor (the thread runs their code).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include <memlog/log.hpp>
#include <memlog/source/retrying_worker.hpp>
#include <memlog/source/shard_router.hpp>

namespace memlog::feed {

// A feed's health (state, failures, problems, …: WorkerHealth) and what it has read.
struct FeedStatus : WorkerHealth {
  std::uint64_t records = 0;   // records written to the log
  std::uint64_t bytes = 0;     // payload bytes written
  std::uint64_t rejected = 0;  // items the log refused (too large), skipped
  std::string position;        // where the feed is in its input ("byte 5230, line 97")
};

class Feed {
 public:
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;
  virtual ~Feed();

  // What the feed reads, as given on the command line ("stdin", "file:/var/log/syslog", ...).
  const std::string& name() const noexcept { return name_; }

  void start();  // starts the thread; no-op while it runs
  void stop();   // stops and joins promptly (a session waiting for input is woken)
  // Records go to `log` from now on. A write under way finishes first (into the old log);
  // with nullptr, writes wait until a log is attached again.
  void attach(std::shared_ptr<Log> log);
  // Records go through `router` to a sharded log from now on (attach(log) goes back); records
  // it cannot place are counted as rejected (and by the router, with the reason).
  void attach(std::shared_ptr<shard::ShardRouter> router);

  FeedStatus status() const;

  // Back-off between failed sessions (tests shorten it).
  void set_backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max);

 protected:
  Feed(std::string name, std::shared_ptr<Log> log);

  // finished: the input has ended for good, the feed stops reading; reopen: open the input
  // again now (a rotated file), no failure.
  using SessionEnd = memlog::SessionEnd;
  // One session. Returns on end of input or when `stop` is requested (the return value is then
  // ignored); throws SessionError (or any std::exception) when it fails.
  virtual SessionEnd session(std::stop_token stop) = 0;

  // For sessions: write one record; waits while no log is attached. False when the log
  // refused it (counted and reported) or the feed is stopping.
  bool write(std::span<const std::byte> payload, std::stop_token stop);
  bool write(std::string_view payload, std::stop_token stop) {
    return write(std::as_bytes(std::span(payload)), std::move(stop));
  }
  // The session has its input and is reading: state running, back-off reset.
  void connected() {
    worker_.mark_running();
    worker_.reset_backoff();
  }
  void set_position(std::string position);
  // A problem that does not end the session (e.g. "the list shrank; starting over").
  void warn(std::string message) { worker_.report(std::move(message)); }
  // Sleeps up to `duration`; false at once when stop is requested.
  bool sleep_for(std::chrono::milliseconds duration, const std::stop_token& stop) {
    return worker_.sleep_for(duration, stop);
  }
  // The largest record the attached log accepts (the default Options value while detached).
  std::size_t max_record_bytes() const;

 private:
  const std::string name_;
  mutable std::mutex mutex_;  // guards the counters and the position (taken before the worker's)
  std::uint64_t records_ = 0, bytes_ = 0, rejected_ = 0;
  std::string position_;

  mutable std::mutex log_mutex_;  // held while a record is written: attach() waits for it
  std::condition_variable_any log_attached_;
  std::shared_ptr<Log> log_;
  std::shared_ptr<shard::ShardRouter> router_;  // when set, records go through it

  RetryingWorker worker_;  // runs session(); the health and the back-off
};

// Splits bytes into lines ('\n', a trailing '\r' dropped) of at most `max_line` bytes: longer
// lines are dropped whole (reported through on_oversize) while using bounded memory. Empty
// lines are skipped: the log stores no empty records.
class LineSplitter {
 public:
  // on_line returns false to stop splitting (the feed is stopping; the rest is dropped).
  using LineFn = std::function<bool(std::string_view line)>;
  using OversizeFn = std::function<void(std::uint64_t line_number, std::size_t bytes)>;

  LineSplitter(LineFn on_line, OversizeFn on_oversize)
      : on_line_(std::move(on_line)), on_oversize_(std::move(on_oversize)) {}

  // Feeds a chunk; false if on_line returned false.
  bool feed(std::string_view chunk, std::size_t max_line);
  // Emits a last line that had no newline (end of input, file rotated). False if on_line did.
  bool flush(std::size_t max_line);
  void reset();  // forgets a partial line (file truncated)

  std::uint64_t lines() const noexcept { return lines_; }  // complete lines seen, empty ones too

 private:
  bool deliver(std::string_view line, std::size_t max_line);

  LineFn on_line_;
  OversizeFn on_oversize_;
  std::string partial_;
  std::size_t oversize_bytes_ = 0;  // > 0 while dropping an over-long line
  std::uint64_t lines_ = 0;
};

}  // namespace memlog::feed
