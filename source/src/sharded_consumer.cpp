// SPDX-License-Identifier: MIT
#include <memlog/source/sharded_consumer.hpp>

#include <cassert>

#include <memlog/source/pacer.hpp>

namespace memlog::sim {

using std::chrono::steady_clock;

struct ShardedConsumer::Shard {
  std::atomic<Offset> position{-1};
  std::atomic<Offset> checkpoint{-1};
  std::atomic<bool> fell_behind{false};  // the purge overtook it here: skipped until resume()
  Subscription subscription;
};

// Wakes the reading thread on any append to its shards: a counter it waits on (atomic wait, a
// futex: nothing to pay while nobody waits beyond one increment per append).
class ShardedConsumer::Wake final : public LogObserver {
 public:
  explicit Wake(std::shared_ptr<std::atomic<std::uint64_t>> appends) : appends_(std::move(appends)) {}
  void on_append(Offset, Offset) override {
    appends_->fetch_add(1, std::memory_order_release);
    appends_->notify_all();
  }

 private:
  std::shared_ptr<std::atomic<std::uint64_t>> appends_;
};

ShardedConsumer::ShardedConsumer(int id, ConsumerOptions options, std::shared_ptr<const ShardedLog> log)
    : id_(id),
      options_(std::move(options)),
      log_(std::move(log)),
      appends_(std::make_shared<std::atomic<std::uint64_t>>(0)),
      rate_(steady_clock::now()) {
  assert(log_ && "ShardedConsumer: the log must exist");
  assert(options_.shard < static_cast<int>(log_->shard_count()) && "ShardedConsumer: no such shard");
  if (options_.shard >= 0) {
    indices_.push_back(static_cast<std::size_t>(options_.shard));
  } else {
    for (std::size_t i = 0; i < log_->shard_count(); ++i) indices_.push_back(i);
  }
  shards_ = std::make_unique<Shard[]>(indices_.size());
  const auto wake = std::make_shared<Wake>(appends_);
  for (std::size_t k = 0; k < indices_.size(); ++k) shards_[k].subscription = log_->shard(indices_[k]).observe(wake);
}

ShardedConsumer::~ShardedConsumer() {
  stop();
  for (std::size_t k = 0; k < indices_.size(); ++k) shards_[k].subscription.reset();
}

void ShardedConsumer::start() {
  std::vector<Offset> positions(indices_.size());
  for (std::size_t k = 0; k < indices_.size(); ++k) {
    const Stats stats = log_->shard(indices_[k]).stats();
    const Offset earliest = stats.range.empty() ? stats.next_offset : stats.range.earliest;
    switch (options_.start) {
      case ConsumerStart::latest:
        positions[k] = stats.next_offset;
        break;
      case ConsumerStart::offset:
        positions[k] = options_.offset;
        break;
      case ConsumerStart::checkpoint: {
        const Offset checkpoint = shards_[k].checkpoint.load(std::memory_order_acquire);
        positions[k] = checkpoint >= 0 ? checkpoint : earliest;
        break;
      }
      case ConsumerStart::earliest:
      case ConsumerStart::time:
        positions[k] = earliest;
        break;
    }
  }
  start_at(positions);
}

void ShardedConsumer::resume(bool from_checkpoint) {
  stop();
  std::vector<Offset> positions(indices_.size());
  for (std::size_t k = 0; k < indices_.size(); ++k) {
    positions[k] = shards_[k].position.load(std::memory_order_acquire);
    if (!shards_[k].fell_behind.load(std::memory_order_acquire)) continue;
    const Stats stats = log_->shard(indices_[k]).stats();
    const Offset checkpoint = shards_[k].checkpoint.load(std::memory_order_acquire);
    positions[k] = from_checkpoint && checkpoint >= 0 ? checkpoint
                   : stats.range.empty()              ? stats.next_offset
                                                      : stats.range.earliest;
  }
  start_at(positions);
}

void ShardedConsumer::start_at(const std::vector<Offset>& positions) {
  stop();
  std::lock_guard lock(mutex_);
  for (std::size_t k = 0; k < indices_.size(); ++k) {
    shards_[k].position.store(positions[k], std::memory_order_release);
    shards_[k].fell_behind.store(false, std::memory_order_release);
  }
  running_.store(true, std::memory_order_release);
  thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void ShardedConsumer::stop() {
  std::lock_guard lock(mutex_);
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
  running_.store(false, std::memory_order_release);
}

void ShardedConsumer::run(const std::stop_token& stop) {
  // A stop wakes the thread wherever it waits: the append counter or the pace sleep.
  const std::stop_callback wake_on_stop(stop, [appends = appends_] {
    appends->fetch_add(1, std::memory_order_release);
    appends->notify_all();
  });
  Pacer pacer(options_.pace);
  std::vector<Record> batch(kBatch);
  while (!stop.stop_requested()) {
    // Read the counter before the shards: an append after a shard was found empty bumps it, so
    // the wait below returns at once instead of missing it.
    const std::uint64_t seen = appends_->load(std::memory_order_acquire);
    bool progressed = false;
    for (std::size_t k = 0; k < indices_.size() && !stop.stop_requested(); ++k) {
      Shard& shard = shards_[k];
      if (shard.fell_behind.load(std::memory_order_relaxed)) continue;
      const Offset from = shard.position.load(std::memory_order_relaxed);
      const std::size_t want = pacer.paced() ? 1 : kBatch;
      const BatchResult got = log_->shard(indices_[k]).read_batch(from, std::span(batch.data(), want));
      if (got.error == Errc::out_of_range) {
        shard.fell_behind.store(true, std::memory_order_release);
        continue;
      }
      for (std::size_t i = 0; i < got.count; ++i) {
        // "Processing" a record is recording that it was: position, count, checkpoint.
        shard.position.store(batch[i].offset() + 1, std::memory_order_release);
        shard.checkpoint.store(batch[i].offset() + 1, std::memory_order_release);
        consumed_.fetch_add(1, std::memory_order_relaxed);
        batch[i] = Record{};  // let go of the payload
      }
      progressed = progressed || got.count > 0;
      if (got.count > 0) pacer.wait(stop);  // a paced consumer reads one record at a time
    }
    if (!progressed && !stop.stop_requested()) appends_->wait(seen, std::memory_order_acquire);
  }
}

ConsumerSnapshot ShardedConsumer::snapshot() const {
  ConsumerSnapshot s;
  s.id = id_;
  s.name = options_.name;
  s.pace = options_.pace;
  s.shard = options_.shard;
  s.consumed = consumed_.load(std::memory_order_relaxed);
  const bool running = running_.load(std::memory_order_acquire);
  s.state = running ? ConsumerState::live : ConsumerState::stopped;
  s.shards.reserve(indices_.size());
  bool fell = false;
  for (std::size_t k = 0; k < indices_.size(); ++k) {
    const Stats stats = log_->shard(indices_[k]).stats();
    ShardPosition p;
    p.shard = indices_[k];
    p.position = shards_[k].position.load(std::memory_order_acquire);
    p.lag = p.position >= 0 && stats.next_offset > p.position ? stats.next_offset - p.position : 0;
    const bool overtaken = shards_[k].fell_behind.load(std::memory_order_acquire) ||
                           (!stats.range.empty() && p.position >= 0 && p.position < stats.range.earliest);
    if (!running)
      p.state = ConsumerState::stopped;
    else if (overtaken)
      p.state = ConsumerState::fell_behind;
    else if (p.lag > 0 && static_cast<std::size_t>(p.lag) * 2 >= stats.segment_size)
      p.state = ConsumerState::lagging;
    else
      p.state = ConsumerState::live;
    s.lag += p.lag;
    fell = fell || p.state == ConsumerState::fell_behind;
    if (running && p.state == ConsumerState::lagging && s.state == ConsumerState::live)
      s.state = ConsumerState::lagging;
    s.shards.push_back(p);
  }
  if (running && fell) {
    s.state = ConsumerState::fell_behind;
    s.error = make_error_code(Errc::out_of_range);
  }
  if (s.shards.size() == 1) {
    s.position = s.shards[0].position;
    s.checkpoint = shards_[0].checkpoint.load(std::memory_order_acquire);
  }
  std::lock_guard lock(mutex_);
  // The window moves on whether or not it runs, so a restart does not measure across the stop.
  const double rate = rate_.sample(s.consumed, steady_clock::now());
  s.rate = running ? rate : 0;
  return s;
}

}  // namespace memlog::sim
