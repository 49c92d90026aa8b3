// SPDX-License-Identifier: MIT
// LegacySource: a simulated legacy system writing its records into a memlog::Log on its own
// thread — at a set rate (1/s to unthrottled), with optional bursts, paused, single-stepped.
//
// It is the *durable source* of memlog's story: record n of its history is always the same
// (see make_payload), and it writes record n at offset n. So when the log is lost, a new log
// created with start_offset = checkpoint, fed by this source from sequence = checkpoint,
// holds the same payloads at the same offsets again (attach()).
//
// Threading: every member may be called from any thread. The writing thread sleeps between
// writes (on a condition variable that pause, step, stop and option changes wake at once); it
// batches writes only when the period is too short to sleep for.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <memlog/log.hpp>
#include <memlog/source/payloads.hpp>

namespace memlog::sim {

struct SourceOptions {
  SourceKind kind = SourceKind::sensor;
  std::uint64_t seed = 1;
  double rate = 200;           // records per second; 0 = unthrottled
  std::size_t burst_size = 0;  // extra records written at once every burst_every; 0 = none
  std::chrono::milliseconds burst_every{1000};
  std::size_t payload_bytes = 0;  // 0 = natural JSON size
};

// What the source has done so far (a snapshot).
struct SourceCounters {
  std::uint64_t written = 0;        // records written since construction
  std::uint64_t errors = 0;         // writes the log refused
  std::string last_error;           // why the last refused write was refused; empty if none
  double measured_rate = 0;         // records/s over the last second or so
  std::uint64_t next_sequence = 0;  // the sequence (= offset) the source writes next
  bool running = false;             // the thread exists (start() .. stop())
  bool paused = false;
};

class LegacySource {
 public:
  // Writes into `log` from sequence `first_sequence` on (default: the log's next offset).
  explicit LegacySource(std::shared_ptr<Log> log, SourceOptions options = {});
  LegacySource(const LegacySource&) = delete;
  LegacySource& operator=(const LegacySource&) = delete;
  ~LegacySource();  // stops

  void start();  // starts the thread (running, not paused); no-op if running
  void stop();   // stops and joins the thread promptly
  void pause();
  void resume();
  bool step();  // writes exactly one record now (paused or not); false if refused

  void set_options(const SourceOptions& options);
  SourceOptions options() const;

  // Switches to another log (the thread is stopped and restarted if it ran), writing sequence
  // `next_sequence` next — the replay of a durable source from a checkpoint.
  void attach(std::shared_ptr<Log> log, std::uint64_t next_sequence);
  std::shared_ptr<Log> log() const;

  SourceCounters counters() const;

 private:
  void run(std::stop_token stop);
  // Writes the next record (without mutex_ held); false if refused, or paused when unless_paused.
  bool write_one(bool unless_paused);
  void note_rate(std::chrono::steady_clock::time_point now);

  mutable std::mutex mutex_;  // guards the state below (not held while a record is written)
  std::mutex write_mutex_;    // one record written at a time, in sequence order
  std::condition_variable_any wake_;
  std::shared_ptr<Log> log_;
  SourceOptions options_;
  std::uint64_t next_sequence_;
  bool paused_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t errors_ = 0;
  std::string last_error_;
  // Rate measurement: records written since `rate_since_`, and the last full-window rate.
  std::chrono::steady_clock::time_point rate_since_;
  std::uint64_t rate_count_ = 0;
  double measured_rate_ = 0;
  std::jthread thread_;
};

}  // namespace memlog::sim
