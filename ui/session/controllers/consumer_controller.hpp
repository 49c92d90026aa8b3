// SPDX-License-Identifier: MIT
// ConsumerController: the consumers (memlog::sim::ConsumerGroup) as a QObject for the
// consumers panel and charts: add, remove, resume, and snapshots refreshed by a timer — or,
// in the monitor, by the FrameClock, in step with the log's stats (refresh(stats)).
// Follows the adapter's log: consumers stop before a replacement and restart after it (from
// their checkpoints for a replay, else from the new log's earliest).
//
// Threading: a GUI-thread object; each consumer reads on its own thread.
#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

#include <memlog/source/consumer.hpp>
#include <memlog/source/sharded_consumer.hpp>

Q_DECLARE_METATYPE(memlog::sim::ConsumerState)

class LogAdapter;

class ConsumerController : public QObject {
  Q_OBJECT

 public:
  explicit ConsumerController(LogAdapter* adapter, QObject* parent = nullptr);
  ~ConsumerController() override;

  // The latest snapshots (refreshed every interval; refresh() forces one now), reconciled
  // with the log's stats of the same refresh: position at most the next offset, lag and
  // live/lagging from those stats, and a running consumer whose next offset those stats show
  // purged is fell_behind (out_of_range) — the purge has overtaken it, whether or not its
  // thread has read that yet.
  const std::vector<memlog::sim::ConsumerSnapshot>& snapshots() const { return m_snapshots; }
  qint64 totalLag() const;
  memlog::Offset lowestCheckpoint() const { return m_group->lowest_checkpoint(); }
  // 0 turns the own timer off (a FrameClock drives refresh(stats) instead).
  void setRefreshInterval(int milliseconds);

  // Refreshes against `stats`, taken just before (a FrameClock's frame).
  void refresh(const memlog::Stats& stats);

  // The next replacement of the log is a replay: restart consumers from their checkpoints.
  void replayNext() { m_replayNext = true; }

  // A sharded log: consumers from now on read its shards — one shard or all of them, each on
  // one thread (memlog::sim::ShardedConsumer) — and no longer follow the adapter, which shows
  // one shard. A snapshot's lag is then its total and its state the worst of its shards'; its
  // position and checkpoint are those in the shard shown (setShownShard; -1 when it does not
  // read that shard). Call once, before adding consumers.
  void useShards(std::shared_ptr<const memlog::ShardedLog> log);
  void setShownShard(int shard);
  bool isSharded() const { return m_sharded != nullptr; }
  int shardCount() const { return m_sharded ? static_cast<int>(m_sharded->shard_count()) : 0; }

 public slots:
  int add(const memlog::sim::ConsumerOptions& options);
  void remove(int id);
  void resume(int id, bool fromCheckpoint);
  void refresh();

 signals:
  void consumerAdded(int id);
  void consumerRemoved(int id);
  void consumersChanged();  // snapshots refreshed
  // A consumer changed state (e.g. live -> fell_behind): for the event timeline.
  void consumerStateChanged(int id, const QString& name, memlog::sim::ConsumerState from,
                            memlog::sim::ConsumerState to);

 private:
  LogAdapter* m_adapter;
  std::unique_ptr<memlog::sim::ConsumerGroup> m_group;
  std::vector<memlog::sim::ConsumerSnapshot> m_snapshots;
  QTimer m_refresh;
  bool m_replayNext = false;
  std::shared_ptr<const memlog::ShardedLog> m_sharded;
  std::vector<std::unique_ptr<memlog::sim::ShardedConsumer>> m_shardConsumers;
  int m_nextShardedId = 1;
  int m_shown = 0;
};
