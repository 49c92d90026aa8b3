// SPDX-License-Identifier: MIT
#include <algorithm>

#include <memlog/source/consumer.hpp>

namespace memlog::sim {

ConsumerGroup::ConsumerGroup(std::shared_ptr<const Log> log) : log_(std::move(log)) {}

ConsumerGroup::~ConsumerGroup() { stop_all(); }

int ConsumerGroup::add(ConsumerOptions options) {
  std::lock_guard lock(mutex_);
  const int id = next_id_++;
  if (options.name.empty()) options.name = "consumer " + std::to_string(id);
  auto consumer = std::make_unique<Consumer>(id, std::move(options));
  consumer->start(log_, consumer->resolve(*log_, consumer->options().start));
  consumers_.push_back(std::move(consumer));
  return id;
}

bool ConsumerGroup::remove(int id) {
  std::unique_ptr<Consumer> removed;
  {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(consumers_.begin(), consumers_.end(), [id](const auto& c) { return c->id() == id; });
    if (it == consumers_.end()) return false;
    removed = std::move(*it);
    consumers_.erase(it);
  }
  removed.reset();  // stops and joins, outside the lock
  return true;
}

bool ConsumerGroup::resume(int id, bool from_checkpoint) {
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(consumers_.begin(), consumers_.end(), [id](const auto& c) { return c->id() == id; });
  if (it == consumers_.end()) return false;
  Consumer& consumer = **it;
  consumer.start(log_, consumer.resolve(*log_, from_checkpoint ? ConsumerStart::checkpoint : ConsumerStart::earliest));
  return true;
}

void ConsumerGroup::stop_all() {
  std::lock_guard lock(mutex_);
  for (auto& consumer : consumers_) consumer->stop();
}

void ConsumerGroup::attach(std::shared_ptr<const Log> log, bool from_checkpoints) {
  std::lock_guard lock(mutex_);
  log_ = std::move(log);
  for (auto& consumer : consumers_)
    consumer->start(log_,
                    consumer->resolve(*log_, from_checkpoints ? ConsumerStart::checkpoint : ConsumerStart::earliest));
}

std::vector<ConsumerSnapshot> ConsumerGroup::snapshots() const {
  std::lock_guard lock(mutex_);
  std::vector<ConsumerSnapshot> result;
  result.reserve(consumers_.size());
  for (const auto& consumer : consumers_) result.push_back(consumer->snapshot());
  return result;
}

Offset ConsumerGroup::lowest_checkpoint() const {
  std::lock_guard lock(mutex_);
  Offset lowest = -1;
  for (const auto& consumer : consumers_) {
    const Offset checkpoint = consumer->checkpoint();
    if (checkpoint >= 0 && (lowest < 0 || checkpoint < lowest)) lowest = checkpoint;
  }
  return lowest;
}

}  // namespace memlog::sim
