// SPDX-License-Identifier: MIT
// ShardSet: the sharded log the monitor runs — the log, the router its records go through, the
// shard the single-log views show — and, once per frame, a sample of every shard: its stats (one
// consistent read each), its write rate, when it last sealed and purged. The shard map, the
// routing view, the skew and --headless all draw the same ShardFrame.
//
// Sampling 1024 shards is 1024 seqlock reads per frame: a few microseconds, no locks taken.
//
// Threading: a GUI-thread object.
#pragma once

#include <QObject>

#include <memory>
#include <vector>

#include <memlog/sharded_log.hpp>
#include <memlog/source/shard_router.hpp>

#include "shards/sharding_options.hpp"

struct ShardSample {
  memlog::Stats stats;
  double rate = 0;         // records/s written over the last second or so
  qint64 sealedAtMs = -1;  // the frame time its last seal was seen (-1: not yet)
  qint64 purgedAtMs = -1;  // ... and its last purge
  qint64 retained() const {
    return static_cast<qint64>(stats.active_records) + static_cast<qint64>(stats.history_records);
  }
};

struct ShardFrame {
  qint64 elapsedMs = 0;
  std::vector<ShardSample> shards;
  memlog::shard::RouterCounters router;
  int busiest = 0;  // the shard with the highest write rate (the lowest index on a tie)
  int idlest = 0;   // ... and the lowest
  double maxRate = 0;
  double meanRate = 0;
  qint64 retained = 0;  // records retained by all shards
  // Load skew: the busiest shard's rate over the mean (1 = even; 0 while nothing is written).
  double skew() const { return meanRate > 0 ? maxRate / meanRate : 0; }
};
Q_DECLARE_METATYPE(ShardFrame)

class ShardSet : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kRateWindowMs = 1000;

  ShardSet(std::shared_ptr<memlog::ShardedLog> log, std::shared_ptr<memlog::shard::ShardRouter> router,
           ShardingOptions options, QObject* parent = nullptr);

  const std::shared_ptr<memlog::ShardedLog>& log() const { return m_log; }
  const std::shared_ptr<memlog::shard::ShardRouter>& router() const { return m_router; }
  const ShardingOptions& options() const { return m_options; }
  int count() const { return static_cast<int>(m_log->shard_count()); }
  int focused() const { return m_focused; }
  const ShardFrame& current() const { return m_frame; }

 public slots:
  // Samples every shard now (a frame's time, monotonic ms) and emits sampled().
  void sample(qint64 elapsedMs);
  // Asks for `shard` in the single-log views (LogSession swaps the adapter's log). Until one is
  // asked for, a sample that finds the shard shown empty while others are written asks for the
  // busiest.
  void requestFocus(int shard);
  // Called by LogSession once the adapter shows `shard`.
  void setFocused(int shard);

 signals:
  void sampled(const ShardFrame& frame);
  void focusRequested(int shard);
  void focusChanged(int shard);
  // Seen in a sample: `shard` sealed `seals` segments / purged `records` records since the last.
  void shardSealed(int shard, quint64 seals);
  void shardPurged(int shard, quint64 purges, quint64 records);

 private:
  std::shared_ptr<memlog::ShardedLog> m_log;
  std::shared_ptr<memlog::shard::ShardRouter> m_router;
  ShardingOptions m_options;
  int m_focused = 0;
  bool m_chosen = false;  // a shard was asked for (or the busiest shown instead of an empty one)
  ShardFrame m_frame;
  // Rates: each shard's records_written at the start of the current window.
  std::vector<std::uint64_t> m_windowStart;
  qint64 m_windowStartMs = -1;
};
