// SPDX-License-Identifier: MIT
// MirrorController: the switch that mirrors the log into a Redis stream (memlog::redis::
// RedisMirror) as a QObject for the GUI and --headless. It follows the adapter's log across
// replacements. Every new problem of the mirror (unreachable, lost records) is signalled once.
//
// Threading: a GUI-thread object; the mirror reads the log and talks to Redis on its own thread.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

#include <memlog/redis/redis_mirror.hpp>

class LogAdapter;

class MirrorController : public QObject {
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
  void runningChanged();
  void statusChanged();                  // every refresh tick (~250 ms) while running
  void problem(const QString& message);  // each new problem, once

 private:
  void refresh();

  LogAdapter* m_adapter;
  std::unique_ptr<memlog::redis::RedisMirror> m_mirror;
  std::uint64_t m_problemsSeen = 0;
  QTimer m_refresh;
};
