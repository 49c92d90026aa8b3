// SPDX-License-Identifier: MIT
#include "controllers/consumer_controller.hpp"

#include <algorithm>

#include <memlog/sharded_log.hpp>

#include "adapter/log_adapter.hpp"

ConsumerController::ConsumerController(LogAdapter* adapter, QObject* parent)
    : QObject(parent), m_adapter(adapter), m_group(std::make_unique<memlog::sim::ConsumerGroup>(adapter->log())) {
  qRegisterMetaType<memlog::sim::ConsumerState>();
  // Directly connected: consumers let go of the old log before the adapter swaps it.
  connect(adapter, &LogAdapter::aboutToReplaceLog, this, [this] {
    if (!m_sharded) m_group->stop_all();  // sharded: another shard is shown; the consumers read on
  });
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    if (m_sharded) return refresh();
    m_group->attach(m_adapter->log(), m_replayNext);
    m_replayNext = false;
    refresh();
  });
  m_refresh.setInterval(250);
  connect(&m_refresh, &QTimer::timeout, this, qOverload<>(&ConsumerController::refresh));
  m_refresh.start();
}

ConsumerController::~ConsumerController() {
  m_group->stop_all();
  m_shardConsumers.clear();  // each stops its thread
}

void ConsumerController::useShards(std::shared_ptr<const memlog::ShardedLog> log) {
  m_group->stop_all();
  m_sharded = std::move(log);
}

void ConsumerController::setShownShard(int shard) {
  m_shown = shard;
  refresh();
}

qint64 ConsumerController::totalLag() const {
  qint64 total = 0;
  for (const auto& s : m_snapshots) total += s.lag;
  return total;
}

void ConsumerController::setRefreshInterval(int milliseconds) {
  if (milliseconds <= 0) {
    m_refresh.stop();
    return;
  }
  m_refresh.setInterval(milliseconds);
  m_refresh.start();
}

int ConsumerController::add(const memlog::sim::ConsumerOptions& options) {
  int id;
  if (m_sharded) {
    memlog::sim::ConsumerOptions o = options;
    if (o.shard >= static_cast<int>(m_sharded->shard_count())) o.shard = -1;  // no such shard: all of them
    id = m_nextShardedId++;
    m_shardConsumers.push_back(std::make_unique<memlog::sim::ShardedConsumer>(id, std::move(o), m_sharded));
    m_shardConsumers.back()->start();
  } else {
    id = m_group->add(options);
  }
  emit consumerAdded(id);
  refresh();
  return id;
}

void ConsumerController::remove(int id) {
  const auto sharded =
      std::find_if(m_shardConsumers.begin(), m_shardConsumers.end(), [id](const auto& c) { return c->id() == id; });
  if (sharded != m_shardConsumers.end())
    m_shardConsumers.erase(sharded);
  else if (m_sharded || !m_group->remove(id))
    return;
  emit consumerRemoved(id);
  refresh();
}

void ConsumerController::resume(int id, bool fromCheckpoint) {
  for (const auto& c : m_shardConsumers)
    if (c->id() == id) {
      c->resume(fromCheckpoint);
      return refresh();
    }
  if (!m_sharded && m_group->resume(id, fromCheckpoint)) refresh();
}

void ConsumerController::refresh() { refresh(m_adapter->stats()); }

void ConsumerController::refresh(const memlog::Stats& stats) {
  using memlog::sim::ConsumerState;
  std::vector<memlog::sim::ConsumerSnapshot> fresh;
  if (m_sharded) {
    // Each snapshot is consistent per shard (its own stats read); place it on the shard shown.
    fresh.reserve(m_shardConsumers.size());
    for (const auto& c : m_shardConsumers) {
      memlog::sim::ConsumerSnapshot s = c->snapshot();
      s.position = -1;
      s.checkpoint = -1;
      s.position_state = ConsumerState::stopped;
      for (const auto& p : s.shards)
        if (static_cast<int>(p.shard) == m_shown) {
          s.position = p.position;
          s.checkpoint = p.position;  // a sharded consumer's checkpoint is where it reads next
          s.position_state = p.state;
        }
      fresh.push_back(std::move(s));
    }
  } else {
    fresh = m_group->snapshots();
  }
  for (auto& c : fresh) {
    if (m_sharded) break;                                                               // reconciled per shard above
    if (c.state != ConsumerState::live && c.state != ConsumerState::lagging) continue;  // ended: as it ended
    c.position = std::min(c.position, stats.next_offset);  // read after stats: may be ahead of them
    c.lag = std::max<std::int64_t>(0, stats.next_offset - c.position);
    if (!stats.range.empty() && c.position < stats.range.earliest) {
      c.state = ConsumerState::fell_behind;  // its next record is gone: its next read fails
      c.error = memlog::make_error_code(memlog::Errc::out_of_range);
    } else {
      c.state = c.lag > 0 && static_cast<std::size_t>(c.lag) * 2 >= stats.segment_size ? ConsumerState::lagging
                                                                                       : ConsumerState::live;
    }
  }
  for (const auto& now : fresh) {
    const auto before =
        std::find_if(m_snapshots.begin(), m_snapshots.end(), [&](const auto& s) { return s.id == now.id; });
    if (before != m_snapshots.end() && before->state != now.state)
      emit consumerStateChanged(now.id, QString::fromStdString(now.name), before->state, now.state);
  }
  m_snapshots = std::move(fresh);
  emit consumersChanged();
}
