// SPDX-License-Identifier: MIT
#include <memlog/source/legacy_source.hpp>

#include <algorithm>
#include <cassert>

namespace memlog::sim {

using std::chrono::steady_clock;

namespace {
// In unthrottled mode the thread writes this many records, then lets control calls in.
constexpr int kUnthrottledBatch = 256;
// Behind schedule by more than this (e.g. after a stall): start a new schedule, no flood.
constexpr auto kMaxCatchUp = std::chrono::milliseconds(250);

// steady_clock, sleeping on the source's own condition variable: what the source did before
// clocks could be injected, one virtual call away.
class SteadySourceClock final : public SourceClock {
 public:
  time_point now() const override { return steady_clock::now(); }
  void sleep_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& wake, std::stop_token stop,
                   time_point deadline, const std::function<bool()>& ready) override {
    const auto holds = [&ready] { return ready(); };
    if (deadline == kNever)
      wake.wait(lock, stop, holds);  // (wait_until(time_point::max()) would overflow converting it)
    else
      wake.wait_until(lock, stop, deadline, holds);
  }
};

// Locks the source's mutex, then the manual clock's — the one order of the two — and unlocks
// them together: what a sleeper on a ManualSourceClock hands its condition variable.
class BothLocks {
 public:
  BothLocks(std::unique_lock<std::mutex>& source, std::unique_lock<std::mutex>& clock)
      : source_(source), clock_(clock) {}
  void lock() {
    source_.lock();
    clock_.lock();
  }
  void unlock() {
    clock_.unlock();
    source_.unlock();
  }

 private:
  std::unique_lock<std::mutex>& source_;
  std::unique_lock<std::mutex>& clock_;
};
}  // namespace

// --- SourceClock -------------------------------------------------------------------------------

std::shared_ptr<SourceClock> SourceClock::steady() {
  static const std::shared_ptr<SourceClock> clock = std::make_shared<SteadySourceClock>();
  return clock;
}

// --- ManualSourceClock -------------------------------------------------------------------------

SourceClock::time_point ManualSourceClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualSourceClock::sleep_until(std::unique_lock<std::mutex>& lock, std::condition_variable_any& wake,
                                    std::stop_token stop, time_point deadline, const std::function<bool()>& ready) {
  assert(lock.owns_lock() && "ManualSourceClock::sleep_until: the caller holds the lock wake is notified under");
  std::unique_lock clock_lock(mutex_);
  const Sleeper me{&wake, deadline};
  sleepers_.push_back(&me);
  ++sleeps_;
  slept_.notify_all();
  // Under both mutexes from here until `wake` waits (and again when it returns): advance()
  // cannot move the time between the check of the deadline and the wait.
  BothLocks both(lock, clock_lock);
  wake.wait(both, stop, [&] { return now_ >= deadline || ready(); });
  std::erase(sleepers_, &me);  // before `me` goes: advance() notifies under clock_lock only
}

std::size_t ManualSourceClock::advance(duration by) {
  assert(by >= duration::zero() && "ManualSourceClock::advance: time does not go back");
  std::lock_guard lock(mutex_);
  now_ += by;
  std::size_t woken = 0;
  for (const Sleeper* sleeper : sleepers_) {
    if (sleeper->deadline > now_) continue;
    sleeper->wake->notify_all();
    ++woken;
  }
  return woken;
}

std::uint64_t ManualSourceClock::sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

bool ManualSourceClock::wait_for_sleeps(std::uint64_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return slept_.wait_for(lock, timeout, [&] { return sleeps_ >= count; });
}

// --- LegacySource ------------------------------------------------------------------------------

LegacySource::LegacySource(std::shared_ptr<Log> log, SourceOptions options, std::shared_ptr<SourceClock> clock)
    : clock_(clock ? std::move(clock) : SourceClock::steady()),
      log_(std::move(log)),
      options_(options),
      next_sequence_(static_cast<std::uint64_t>(log_->stats().next_offset)),
      rate_since_(clock_->now()) {}

LegacySource::~LegacySource() { stop(); }

void LegacySource::start() {
  std::lock_guard lock(mutex_);
  paused_ = false;
  if (!thread_.joinable()) thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
  wake_.notify_all();
}

void LegacySource::stop() {
  std::jthread thread;
  {
    std::lock_guard lock(mutex_);
    thread = std::move(thread_);
  }
  thread.request_stop();  // wakes its wait: condition_variable_any waits on the stop_token
  // Joined here, without mutex_ held (the thread needs it to finish its pass).
}

void LegacySource::pause() {
  {
    std::lock_guard lock(mutex_);
    paused_ = true;
    wake_.notify_all();
  }
  // A write already under way finishes before pause() returns: after it, nothing is written.
  std::lock_guard writing(write_mutex_);
}

void LegacySource::resume() {
  std::lock_guard lock(mutex_);
  paused_ = false;
  wake_.notify_all();
}

bool LegacySource::step() { return write_one(false); }

void LegacySource::set_options(const SourceOptions& options) {
  std::lock_guard lock(mutex_);
  options_ = options;
  wake_.notify_all();  // a new rate takes effect now, not after the old period
}

SourceOptions LegacySource::options() const {
  std::lock_guard lock(mutex_);
  return options_;
}

void LegacySource::attach(std::shared_ptr<Log> log, std::uint64_t next_sequence) {
  switch_to([&] {
    log_ = std::move(log);
    router_.reset();
    next_sequence_ = next_sequence;
  });
}

void LegacySource::attach(std::shared_ptr<shard::ShardRouter> router, std::uint64_t next_sequence) {
  switch_to([&] {
    router_ = std::move(router);
    next_sequence_ = next_sequence;
  });
}

std::shared_ptr<shard::ShardRouter> LegacySource::router() const {
  std::lock_guard lock(mutex_);
  return router_;
}

void LegacySource::switch_to(const std::function<void()>& change) {
  bool was_running;
  {
    std::lock_guard lock(mutex_);
    was_running = thread_.joinable();
  }
  stop();
  {
    std::lock_guard lock(mutex_);
    change();
  }
  if (was_running) {
    std::lock_guard lock(mutex_);
    thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
  }
}

std::shared_ptr<Log> LegacySource::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

SourceCounters LegacySource::counters() const {
  std::lock_guard lock(mutex_);
  SourceCounters c;
  c.written = written_;
  c.errors = errors_;
  c.last_error = last_error_;
  c.next_sequence = next_sequence_;
  c.running = thread_.joinable();
  c.paused = paused_;
  // The last full window's rate, or the current window's once it is longer than that.
  const double window = std::chrono::duration<double>(clock_->now() - rate_since_).count();
  c.measured_rate = window > 1.5 ? static_cast<double>(rate_count_) / window : measured_rate_;
  return c;
}

// Without mutex_ held: building and writing a record (1 MiB, say) takes a while, and the GUI
// reads the counters meanwhile. write_mutex_ keeps writers (the thread, step()) in sequence
// order. A refused write (e.g. a payload over max_record_bytes) pauses the source: it is a
// misconfiguration to fix, and the sequence must not skip (offset == sequence).
bool LegacySource::write_one(bool unless_paused) {
  std::lock_guard writing(write_mutex_);
  SourceOptions options;
  std::uint64_t sequence;
  std::shared_ptr<Log> log;
  std::shared_ptr<shard::ShardRouter> router;
  {
    std::lock_guard lock(mutex_);
    if (unless_paused && paused_) return false;
    options = options_;
    sequence = next_sequence_;
    log = log_;
    router = router_;
  }
  const std::string payload = make_payload(options.kind, options.seed, sequence, options.payload_bytes, options.skew);
  if (router) {
    const Result<shard::Routed> routed = router->write(payload);
    std::lock_guard lock(mutex_);
    // A key the router could not place is counted there; only what the shard itself refuses
    // (too large) is the source's misconfiguration, and pauses it as for a plain log.
    if (!routed && routed.error() != make_error_code(Errc::invalid_key)) {
      ++errors_;
      last_error_ = routed.error().message();
      paused_ = true;
      return false;
    }
    if (router_ == router) ++next_sequence_;
    if (routed) ++written_;
    ++rate_count_;
    return true;
  }
  const Result<Offset> written = log->write(payload);
  std::lock_guard lock(mutex_);
  if (!written) {
    ++errors_;
    last_error_ = written.error().message();
    paused_ = true;
    return false;
  }
  if (log_ == log && !router_) ++next_sequence_;  // (attach() may have moved the source on meanwhile)
  ++written_;
  ++rate_count_;
  return true;
}

void LegacySource::note_rate(SourceClock::time_point now) {
  const auto window = now - rate_since_;
  if (window >= std::chrono::seconds(1)) {
    measured_rate_ = static_cast<double>(rate_count_) / std::chrono::duration<double>(window).count();
    rate_count_ = 0;
    rate_since_ = now;
  }
}

void LegacySource::run(const std::stop_token& stop) {
  SourceClock& clock = *clock_;
  std::unique_lock lock(mutex_);
  auto next_write = clock.now();
  auto next_burst = next_write + options_.burst_every;
  while (!stop.stop_requested()) {
    if (paused_) {
      clock.sleep_until(lock, wake_, stop, SourceClock::kNever, [this] { return !paused_; });
      next_write = clock.now();
      next_burst = next_write + options_.burst_every;
      continue;
    }
    const auto now = clock.now();
    note_rate(now);

    if (options_.burst_size > 0 && now >= next_burst) {
      const std::size_t burst = options_.burst_size;
      next_burst = std::max(next_burst + options_.burst_every, now);
      lock.unlock();
      for (std::size_t i = 0; i < burst && !stop.stop_requested(); ++i)
        if (!write_one(true)) break;
      lock.lock();
    }

    if (options_.rate <= 0) {  // unthrottled: batches, checking for pause and stop between them
      lock.unlock();
      for (int i = 0; i < kUnthrottledBatch && !stop.stop_requested(); ++i)
        if (!write_one(true)) break;
      lock.lock();
      next_write = clock.now();
      continue;
    }

    const auto period =
        std::chrono::duration_cast<SourceClock::duration>(std::chrono::duration<double>(1.0 / options_.rate));
    if (now < next_write) {
      // Sleep until the next write (or burst) is due; woken at once by stop, pause, new options.
      const auto until = options_.burst_size > 0 ? std::min(next_write, next_burst) : next_write;
      const SourceOptions seen = options_;
      clock.sleep_until(lock, wake_, stop, until, [this, &seen] {
        return paused_ || options_.rate != seen.rate || options_.burst_size != seen.burst_size;
      });
      if (options_.rate != seen.rate) next_write = clock.now();
      continue;
    }
    // Every write that is due now: at high rates one wake-up writes a batch, so the rate holds
    // even when the period is shorter than a sleep can be.
    if (now - next_write > kMaxCatchUp) next_write = now;
    int due = 0;
    for (auto t = next_write; t <= now; t += period) ++due;
    next_write += period * due;
    lock.unlock();
    for (int i = 0; i < due && !stop.stop_requested(); ++i)
      if (!write_one(true)) break;
    lock.lock();
  }
}

}  // namespace memlog::sim
