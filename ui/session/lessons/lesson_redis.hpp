// SPDX-License-Identifier: MIT
// LessonRedis: the `redis` lesson's own Redis — a redis-server on loopback, on a free port,
// that the lesson starts and stops to show the mirror when Redis is down. Its data is kept
// across a stop (append-only file, fsync'd on every write, in a temporary directory), as a
// production Redis keeps it across an outage: what the mirror loses is only what the log purged
// while Redis was away.
//
// It never outlives the app: stopped by the destructor, and sent SIGTERM by the kernel when the
// app dies without one (Linux's parent-death signal).
//
// Threading: a GUI-thread object; the server is a child process (QProcess), never waited for
// on the GUI thread beyond a short start (until it listens) and stop.
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

class LessonRedis : public QObject {
  Q_OBJECT

 public:
  explicit LessonRedis(QObject* parent = nullptr);
  ~LessonRedis() override;  // stops the server

  // Starts redis-server (again, on the same port and with the same data) and waits (at most 5 s)
  // until it accepts connections; false with the reason (not installed, no free port, the port
  // taken on a restart: Redis's own words) in *error.
  bool start(QString* error);
  void stop();
  bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
  quint16 port() const { return m_port; }
  // "redis:127.0.0.1:PORT/STREAM", for MirrorController::start.
  QString target(const QString& stream) const;

 private:
  QString lastWords(const QString& logFile, qint64 from);  // why it stopped, from its log

  QProcess m_process;
  QTemporaryDir m_dir;
  quint16 m_port = 0;
};
