// SPDX-License-Identifier: MIT
// MirrorController: the switch that mirrors the log into a Redis stream (memlog::redis::
// RedisMirror) as a QObject for the GUI and --headless. It follows the adapter's log across
// replacements. Every new problem of the mirror (unreachable, lost records) is signalled once
// (WorkerController).
//
// Threading: a GUI-thread object; the mirror reads the log and talks to Redis on its own thread.
#pragma once

#include <QString>

#include <memory>

#include <memlog/redis/redis_mirror.hpp>

#include "controllers/worker_controller.hpp"

class LogAdapter;

class MirrorController : public WorkerController {
  Q_OBJECT

 public:
  explicit MirrorController(LogAdapter* adapter, QObject* parent = nullptr);
  ~MirrorController() override;

  // Starts mirroring to `target`, "redis:HOST:PORT/STREAM" (the "redis:" may be left out;
  // memlog::parse_redis_stream_address), stopping a mirror to another one. A malformed target:
  // false, the reason in `error`, nothing changes.
  bool start(const QString& target, QString* error = nullptr);
  void stop();

  bool isRunning() const { return m_mirror != nullptr; }
  QString target() const;  // "redis:HOST:PORT/STREAM"; empty when not mirroring
  memlog::redis::MirrorStatus status() const;

 signals:
  void runningChanged();  // started or stopped (statusChanged and problem: WorkerController)

 private:
  std::optional<memlog::WorkerHealth> health() const override;

  LogAdapter* m_adapter;
  std::unique_ptr<memlog::redis::RedisMirror> m_mirror;
};
