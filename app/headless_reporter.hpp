// SPDX-License-Identifier: MIT
// HeadlessReporter: what --headless prints instead of a window — every few seconds one line
// on stdout with the log's range, write rate, the consumers' lag and the remote clients; and
// the log's events (purges, consumers falling behind, refused writes) as they happen.
//
// Threading: GUI (main) thread only.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class LogServer;
class LogSession;

class HeadlessReporter : public QObject {
  Q_OBJECT

 public:
  HeadlessReporter(LogSession* session, LogServer* server, int intervalMs = 5000, QObject* parent = nullptr);

  QString statusLine();  // the periodic line (also for tests)

 private:
  LogSession* m_session;
  LogServer* m_server;
  QTimer m_timer;
  QElapsedTimer m_clock;
  quint64 m_lastWritten = 0;
};
