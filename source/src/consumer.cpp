// SPDX-License-Identifier: MIT
#include <memlog/source/consumer.hpp>

#include <memlog/source/pacer.hpp>

#include <memlog/stream.hpp>

namespace memlog::sim {

using std::chrono::steady_clock;

std::string_view to_string(ConsumerState state) noexcept {
  switch (state) {
    case ConsumerState::live:
      return "live";
    case ConsumerState::lagging:
      return "lagging";
    case ConsumerState::fell_behind:
      return "fell behind";
    case ConsumerState::stopped:
      return "stopped";
  }
  return "stopped";
}

Consumer::Consumer(int id, ConsumerOptions options)
    : id_(id), options_(std::move(options)), rate_(steady_clock::now()) {}

Consumer::~Consumer() { stop(); }

Offset Consumer::resolve(const Log& log, ConsumerStart start) const {
  const Stats stats = log.stats();
  const Offset earliest = first_readable(stats);
  switch (start) {
    case ConsumerStart::earliest:
      return earliest;
    case ConsumerStart::latest:
      return stats.next_offset;  // what comes next, as Kafka's "latest"
    case ConsumerStart::offset:
      return options_.offset;
    case ConsumerStart::time:
      return first_at_or_after(log, options_.at);
    case ConsumerStart::checkpoint: {
      const Offset checkpoint = checkpoint_.load(std::memory_order_acquire);
      return checkpoint >= 0 ? checkpoint : earliest;
    }
  }
  return earliest;
}

// Binary search over the retained records: `created` never decreases within a log (the default
// clock guarantees it). A record purged during the search restarts it on the new range.
Offset Consumer::first_at_or_after(const Log& log, Timestamp at) const {
  for (;;) {
    const Stats stats = log.stats();
    if (stats.range.empty()) return stats.next_offset;
    Offset low = stats.range.earliest, high = stats.next_offset;  // answer in [low, high]
    bool purged = false;
    while (low < high && !purged) {
      const Offset mid = low + (high - low) / 2;
      const auto record = log.read(mid);
      if (!record) {
        purged = true;
        break;
      }
      if (record->created() < at)
        low = mid + 1;
      else
        high = mid;
    }
    if (!purged) return low;
  }
}

void Consumer::start(std::shared_ptr<const Log> log, Offset position) {
  stop();
  std::lock_guard lock(mutex_);
  log_ = log;
  error_ = {};
  position_.store(position, std::memory_order_release);
  running_.store(true, std::memory_order_release);
  // The stream is made on the thread, with the thread's own stop_token: stop() cancels it.
  thread_ = std::jthread(
      [this, log = std::move(log), position](const std::stop_token& stop) { run(stop, log->stream(position, stop)); });
}

void Consumer::stop() {
  std::jthread thread;
  {
    std::lock_guard lock(mutex_);
    thread = std::move(thread_);
  }
  // request_stop wakes both a stream waiting for records and a pace sleep; the join is here.
}

void Consumer::run(const std::stop_token& stop, Stream stream) {
  Pacer pacer(options_.pace);
  while (auto record = stream.next()) {
    // "Processing" a record is recording that it was: position, count, checkpoint.
    position_.store(record->offset() + 1, std::memory_order_release);
    consumed_.fetch_add(1, std::memory_order_relaxed);
    checkpoint_.store(record->offset() + 1, std::memory_order_release);
    pacer.wait(stop);  // a stop ends the sleep; the stream's next() then ends with cancelled
  }
  std::lock_guard lock(mutex_);
  error_ = stream.error();
  running_.store(false, std::memory_order_release);
}

ConsumerSnapshot Consumer::snapshot() const {
  ConsumerSnapshot s;
  s.id = id_;
  s.name = options_.name;
  s.pace = options_.pace;
  s.position = position_.load(std::memory_order_acquire);
  s.checkpoint = checkpoint_.load(std::memory_order_acquire);
  s.consumed = consumed_.load(std::memory_order_relaxed);
  const bool running = running_.load(std::memory_order_acquire);

  std::lock_guard lock(mutex_);
  s.error = error_;
  if (log_ != nullptr) {
    const Stats stats = log_->stats();
    const Offset latest = stats.next_offset - 1;
    s.lag = s.position >= 0 && latest >= s.position ? latest - s.position + 1 : 0;
    if (running)
      s.state = static_cast<std::size_t>(s.lag) * 2 >= stats.segment_size && s.lag > 0 ? ConsumerState::lagging
                                                                                       : ConsumerState::live;
    else
      s.state = error_ == Errc::out_of_range ? ConsumerState::fell_behind : ConsumerState::stopped;
  }
  // The window moves on whether or not it runs, so a restart does not measure across the stop.
  const double rate = rate_.sample(s.consumed, steady_clock::now());
  s.rate = running ? rate : 0;
  return s;
}

}  // namespace memlog::sim
