// SPDX-License-Identifier: MIT
// LogAdapter: the Qt face of a memlog::Log. It observes the log's appends, seals and purges
// (memlog::LogObserver, on the writers' threads) and re-emits them as signals on its own
// (the GUI) thread, queued and coalesced: at most one notification in flight, each carrying
// the whole contiguous range since the previous one — nothing lost, nothing duplicated, in
// order, at any append rate.
//
// Per delivery the signals come in the log's order: purged (older records gone), sealed,
// appended. With small segments and high rates one delivery can name records that were
// appended *and* purged since the last one: a model should clamp to log()->range() when it
// handles them, never assume every appended offset is still readable.
//
// Threading: a GUI-thread object. log() may be read from any thread but is replaced only on
// the GUI thread, by reconfigure().
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <memory>
#include <mutex>

#include <memlog/log.hpp>

Q_DECLARE_METATYPE(memlog::Stats)

class LogAdapter : public QObject {
  Q_OBJECT

 public:
  // Adapts `log` (which must exist: create it with memlog::Log::create and check the result).
  explicit LogAdapter(std::shared_ptr<memlog::Log> log, QObject* parent = nullptr);
  ~LogAdapter() override;

  std::shared_ptr<memlog::Log> log() const;
  memlog::Stats stats() const { return log()->stats(); }

  // Replaces the log with a new one made from `options`. Bad options: returns the reason,
  // emits errorOccurred and leaves the old log running. Otherwise emits aboutToReplaceLog
  // (writers and readers of the old log stop: directly connected slots run before the
  // swap), swaps, emits logReplaced (they restart on log()), and returns an empty string.
  QString reconfigure(const memlog::Options& options);
  // The same with a log made elsewhere (e.g. recreated at a checkpoint).
  void replaceLog(std::shared_ptr<memlog::Log> log);

  // How often statsChanged is emitted while the log changes (ms; default 100).
  void setStatsInterval(int milliseconds);

  // Deliveries so far (for tests and the status bar: far fewer than appends).
  quint64 deliveries() const { return m_deliveries; }

 signals:
  void appended(qint64 first, qint64 last);
  void sealed(qint64 first, qint64 last);
  void purged(qint64 first, qint64 last, qint64 records, qint64 bytes);
  void statsChanged(const memlog::Stats& stats);
  void aboutToReplaceLog();
  void logReplaced();
  void errorOccurred(const QString& message);

 private:
  class Observer;
  void subscribe();
  void deliver();  // on the GUI thread: emits what is pending

  std::shared_ptr<memlog::Log> m_log;
  mutable std::mutex m_logMutex;  // guards m_log for log() from other threads
  std::shared_ptr<Observer> m_observer;
  memlog::Subscription m_subscription;
  QTimer m_statsTimer;
  memlog::Offset m_lastStatsNext = -1;
  memlog::Offset m_lastDelivered = -1;  // the last offset announced by appended()
  quint64 m_deliveries = 0;
};
