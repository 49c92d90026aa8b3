// SPDX-License-Identifier: MIT
// MirrorController: the switch that mirrors the log into a Redis stream (memlog::redis::
// RedisMirror) as a QObject for the GUI and --headless. It follows the adapter's log across
// replacements. In a sharded session (useShards()) it mirrors every shard instead, shard i into
// the stream STREAM:i (memlog::redis::ShardedRedisMirror: one connection, one thread), whatever
// shard the adapter shows. Every new problem of the mirror (unreachable, lost records) is
// signalled once (WorkerController).
//
// Threading: a GUI-thread object; the mirror reads the log and talks to Redis on its own thread.
#pragma once

#include <QString>

#include <memory>

#include <memlog/redis/redis_mirror.hpp>
#include <memlog/redis/sharded_redis_mirror.hpp>

#include "controllers/worker_controller.hpp"

class LogAdapter;

class MirrorController : public WorkerController {
  Q_OBJECT

 public:
  explicit MirrorController(LogAdapter* adapter, QObject* parent = nullptr);
  ~MirrorController() override;

  // The session's log is sharded: the mirrors started from now on mirror every shard of `log`
  // (the adapter shows only one). Called once, before start().
  void useShards(std::shared_ptr<const memlog::ShardedLog> log);

  // Starts mirroring to `target`, "redis:HOST:PORT/STREAM" (the "redis:" may be left out;
  // memlog::parse_redis_stream_address), stopping a mirror to another one; a sharded log into
  // the streams STREAM:0 … STREAM:N-1. A malformed target: false, the reason in `error`,
  // nothing changes.
  bool start(const QString& target, QString* error = nullptr);
  void stop();

  bool isRunning() const { return m_mirror != nullptr || m_shardedMirror != nullptr; }
  // "redis:HOST:PORT/STREAM" as given, so that it can be shown, saved and started again (for a
  // sharded log STREAM is what the shards' streams are named after; status().shards has one
  // entry per stream); empty when not mirroring.
  QString target() const;
  // For a sharded log, the shards' totals and each shard's figures (MirrorStatus::shards).
  memlog::redis::MirrorStatus status() const;

 signals:
  void runningChanged();  // started or stopped (statusChanged and problem: WorkerController)

 private:
  std::optional<memlog::WorkerHealth> health() const override;

  LogAdapter* m_adapter;
  std::shared_ptr<const memlog::ShardedLog> m_shards;                  // set in a sharded session
  std::unique_ptr<memlog::redis::RedisMirror> m_mirror;                // the one running, if any: this one …
  std::unique_ptr<memlog::redis::ShardedRedisMirror> m_shardedMirror;  // … or, in a sharded session, this one
};
