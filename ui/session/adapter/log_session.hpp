// SPDX-License-Identifier: MIT
// LogSession: everything the monitor watches, owned in one place — the log (through its
// adapter), its source (the simulated legacy system, or a real one: a feed), the consumers
// and the Redis mirror — and the scenario that ties them together: "the log process crashed:
// recreate the log at the last checkpoint and replay".
//
// Threading: a GUI-thread object.
#pragma once

#include <QObject>

#include <memory>

#include "adapter/frame_clock.hpp"
#include "adapter/log_adapter.hpp"
#include "controllers/consumer_controller.hpp"
#include "controllers/feed_controller.hpp"
#if MEMLOG_WITH_REDIS
#include "controllers/mirror_controller.hpp"
#endif
#include "controllers/source_controller.hpp"
#include "shards/shard_set.hpp"

class LogSession : public QObject {
  Q_OBJECT

 public:
  // `options` must be valid (check with log_limits::validate first), and so must `sharding`
  // (sharding::validate). Sharded, every shard is a log made from `options`; the source writes
  // through the router to all of them, and the adapter — with the table, the segments picture,
  // the charts and the consumers — shows one shard at a time (focusShard).
  explicit LogSession(const memlog::Options& options, const memlog::sim::SourceOptions& source = {},
                      const ShardingOptions& sharding = {}, QObject* parent = nullptr);
  ~LogSession() override;

  LogAdapter* adapter() const { return m_adapter; }
  SourceController* source() const { return m_source; }
  ConsumerController* consumers() const { return m_consumers; }
  FeedController* feed() const { return m_feed; }
#if MEMLOG_WITH_REDIS
  MirrorController* mirror() const { return m_mirror; }  // only in a build with Redis
#endif
  // One sample of the log, the consumers and the source per frame, for every view.
  FrameClock* frames() const { return m_frames; }
  // The sharded log (null when the session runs one log), sampled on every frame.
  ShardSet* shards() const { return m_shards; }
  bool isSharded() const { return m_shards != nullptr; }
  // Sharded: the single-log views show `shard` from now on (its table, segments, consumers).
  void focusShard(int shard);

  // The field records are keyed by: what a sharded session's router uses now, or would use if
  // this one were sharded (the field named, else the simulation's natural key; for a real source
  // without one, the whole line: empty).
  std::string routingKeyField() const;

  // The log's source becomes a real one (see FeedController::open): the simulation pauses.
  bool useFeed(const QString& source, QString* error = nullptr);
  // The simulation is the source again (started): the real source is closed.
  void useSimulation();

  // The crash-and-replay scenario: the log is dropped (as if its process died), a new one is
  // created with start_offset = the lowest consumer checkpoint (or the earliest retained
  // offset when no consumer has one), the source replays from there and every consumer
  // resumes from its checkpoint. Returns the checkpoint used. Not for a sharded session
  // (returns -1): each shard has its own offsets, and the source's sequence is not one of them.
  memlog::Offset crashAndReplay();

 signals:
  void replayed(qint64 checkpoint);

 private:
  LogSession(const memlog::Options& options, const memlog::sim::SourceOptions& source, const ShardingOptions& sharding,
             const std::shared_ptr<memlog::ShardedLog>& sharded, QObject* parent);

  LogAdapter* m_adapter;
  SourceController* m_source;
  ConsumerController* m_consumers;
  FeedController* m_feed;
#if MEMLOG_WITH_REDIS
  MirrorController* m_mirror;
#endif
  FrameClock* m_frames;
  ShardSet* m_shards = nullptr;
  ShardingOptions m_sharding;
};
