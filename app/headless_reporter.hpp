// SPDX-License-Identifier: MIT
// HeadlessReporter: what --headless prints instead of a window — every few seconds one line
// on stdout with the log's range, write rate, the consumers' lag and the remote clients; the
// log's events (purges, consumers falling behind, refused writes) as they happen; and, when the
// process quits, one summary line: what the source read and the log took, the offsets written,
// the problems.
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
  // The last line, "summary after 6.2 s (SIGINT): source ... offsets F-L ... problems N";
  // `why` says what ended the run when it was not --quit-after (e.g. "SIGINT"), or is empty.
  QString summaryLine(const QString& why = {}) const;
  void printSummary(const QString& why = {});  // stops the periodic lines

 private:
  LogSession* m_session;
  LogServer* m_server;
  QTimer m_timer;
  QElapsedTimer m_clock;    // since the last status line
  QElapsedTimer m_running;  // since the start
  quint64 m_lastWritten = 0;
  quint64 m_refusedBySource = 0;  // writes of the simulated source the log refused
};
