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
//
// Time: the source paces itself by a SourceClock — steady_clock unless one is given. Tests give
// a ManualSourceClock and move time by hand, so rates, bursts and stalls are exact counts.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <memlog/log.hpp>
#include <memlog/source/payloads.hpp>
#include <memlog/source/shard_router.hpp>

namespace memlog::sim {

struct SourceOptions {
  SourceKind kind = SourceKind::sensor;
  std::uint64_t seed = 1;
  double rate = 200;           // records per second; 0 = unthrottled
  std::size_t burst_size = 0;  // extra records written at once every burst_every; 0 = none
  std::chrono::milliseconds burst_every{1000};
  std::size_t payload_bytes = 0;  // 0 = natural JSON size
  KeySkew skew = {};              // how the records' keys (device, SKU, ticket) are spread
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

// The time a LegacySource's thread paces its writes by, and how it sleeps until a time of it.
// Threading: shared by the source's thread and whoever reads its counters; implementations are
// thread-safe.
class SourceClock {
 public:
  using duration = std::chrono::steady_clock::duration;
  using time_point = std::chrono::steady_clock::time_point;
  static constexpr time_point kNever = time_point::max();  // a sleep with no deadline

  SourceClock() = default;
  SourceClock(const SourceClock&) = delete;
  SourceClock& operator=(const SourceClock&) = delete;
  virtual ~SourceClock() = default;

  virtual time_point now() const = 0;
  // Called with `lock` held, the mutex that `wake` is notified under. Returns once this clock
  // reaches `deadline` (never for kNever), `stop` is requested, or `ready()` holds when `wake`
  // is notified (evaluated with `lock` held). The caller re-checks its state afterwards.
  virtual void sleep_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& wake, std::stop_token stop,
                           time_point deadline, const std::function<bool()>& ready) = 0;

  // steady_clock, sleeping on `wake` itself: the default, one for all sources.
  static std::shared_ptr<SourceClock> steady();
};

// A clock that stands still until advance() moves it: the tests' clock. Sleepers whose deadline
// the new time reaches are woken; pause, step, stop and option changes wake them as on the real
// clock. wait_for_sleeps() tells a test when the source has done what was due and sleeps again.
//
// How a wake-up cannot be lost: a sleeper holds the source's mutex *and* this clock's mutex
// while it checks its deadline, and the condition variable releases both only once it waits;
// advance() moves the time and notifies under this clock's mutex. (Order: source's, then this
// clock's mutex; advance() takes only this clock's.)
class ManualSourceClock final : public SourceClock {
 public:
  explicit ManualSourceClock(time_point start = time_point{}) : now_(start) {}

  time_point now() const override;
  void sleep_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& wake, std::stop_token stop,
                   time_point deadline, const std::function<bool()>& ready) override;

  // Moves the time on by `by` (>= 0); returns how many sleepers it woke (their deadline came).
  std::size_t advance(duration by);
  // Sleeps started so far, by every source on this clock: a source starts one whenever it has
  // written all that is due (or is paused). So after an action that wakes a sleeping source
  // (start, advance() past its deadline, pause, resume, a new rate), one sleep more than before
  // means it has taken the action up and written what that made due. (Actions that cancel out
  // before the thread wakes — pause, then resume — leave it in the sleep it was in.)
  std::uint64_t sleeps() const;
  // Waits (in real time, at most `timeout`) until sleeps() >= count.
  bool wait_for_sleeps(std::uint64_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Sleeper {
    std::condition_variable_any* wake;
    time_point deadline;
  };
  mutable std::mutex mutex_;               // guards the members below
  mutable std::condition_variable slept_;  // a sleep started (for wait_for_sleeps)
  time_point now_;
  std::vector<const Sleeper*> sleepers_;  // each on its sleeping thread's stack, while it sleeps
  std::uint64_t sleeps_ = 0;
};

class LegacySource {
 public:
  // Writes into `log` from its next offset on (attach() moves it), paced by `clock` (nullptr:
  // SourceClock::steady()).
  explicit LegacySource(std::shared_ptr<Log> log, SourceOptions options = {},
                        std::shared_ptr<SourceClock> clock = nullptr);
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
  // Writes into a sharded log through `router` from now on (attach(log) goes back to a log):
  // each record goes to its key's shard. A record the router refuses (no key, a key the
  // sharder does not know) is the router's to count and show: the source goes on with the
  // next one. Sequence numbers are the source's own (shards have their own offsets).
  void attach(std::shared_ptr<shard::ShardRouter> router, std::uint64_t next_sequence);
  std::shared_ptr<shard::ShardRouter> router() const;

  SourceCounters counters() const;

 private:
  void run(const std::stop_token& stop);
  // Writes the next record (without mutex_ held); false if refused, or paused when unless_paused.
  bool write_one(bool unless_paused);
  void note_rate(SourceClock::time_point now);
  // Stops the thread, applies `change` under mutex_, restarts the thread if it ran.
  void switch_to(const std::function<void()>& change);

  const std::shared_ptr<SourceClock> clock_;  // set once: read by the thread without mutex_
  mutable std::mutex mutex_;                  // guards the state below (not held while a record is written)
  std::mutex write_mutex_;                    // one record written at a time, in sequence order
  std::condition_variable_any wake_;
  std::shared_ptr<Log> log_;
  std::shared_ptr<shard::ShardRouter> router_;  // when set, records go through it, not to log_
  SourceOptions options_;
  std::uint64_t next_sequence_;
  bool paused_ = false;
  std::uint64_t written_ = 0;
  std::uint64_t errors_ = 0;
  std::string last_error_;
  // Rate measurement: records written since `rate_since_`, and the last full-window rate.
  SourceClock::time_point rate_since_;
  std::uint64_t rate_count_ = 0;
  double measured_rate_ = 0;
  std::jthread thread_;
};

}  // namespace memlog::sim
