// SPDX-License-Identifier: MIT
// WorkerController: what the feed and mirror controllers share — the health of a worker on its
// own thread (memlog::RetryingWorker: a feed, the Redis mirror), polled every 250 ms while one
// runs: statusChanged() on every tick, and problem() once for each new problem (the health's
// `problems` count grows by one per message; a poll that finds it grown by several signals the
// newest message, the only one the health keeps).
//
// A subclass owns the worker: it calls watch() once the worker has started and unwatch()
// before it destroys it, and says through health() what the worker's health is now.
//
// Threading: a GUI-thread object; health() is read on the GUI thread from a worker that runs
// on its own.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <optional>

#include <memlog/source/retrying_worker.hpp>

class WorkerController : public QObject {
  Q_OBJECT

 public:
  static constexpr std::chrono::milliseconds kRefreshInterval{250};

  ~WorkerController() override;

 signals:
  void statusChanged();                  // every refresh tick (~250 ms) while a worker runs
  void problem(const QString& message);  // each new problem, once (with what the worker does about it)

 protected:
  explicit WorkerController(QObject* parent = nullptr);

  // The worker's health now; nullopt while there is none.
  virtual std::optional<memlog::WorkerHealth> health() const = 0;
  // A new worker has started: its problems count from zero; the ticks start.
  void watch();
  // The worker is about to go: what it reported last is signalled; the ticks stop.
  void unwatch();

 private:
  void refresh();

  std::uint64_t m_problemsSeen = 0;
  QTimer m_refresh;
};
