// SPDX-License-Identifier: MIT
// SourceController: the simulated legacy source (memlog::sim::LegacySource) as a QObject for
// the source panel. It follows the adapter's log: stops before a replacement, reattaches
// after it (continuing at the new log's next offset, or at a checkpoint for a replay).
//
// Threading: a GUI-thread object; the source writes on its own thread.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <memlog/source/legacy_source.hpp>

class LogAdapter;

class SourceController : public QObject {
  Q_OBJECT

 public:
  explicit SourceController(LogAdapter* adapter, memlog::sim::SourceOptions options = {}, QObject* parent = nullptr);
  ~SourceController() override;

  memlog::sim::SourceOptions options() const { return m_source->options(); }
  memlog::sim::SourceCounters counters() const { return m_source->counters(); }
  bool isRunning() const;  // started and not paused
  bool isPaused() const;

  // The next replacement of the log is a replay: write sequence `checkpoint` next.
  void replayFrom(memlog::Offset checkpoint) { m_replayFrom = checkpoint; }

  // A sharded session: the source writes through `router` to every shard from now on, and no
  // longer follows the adapter (which then only shows one shard of the log).
  void routeTo(std::shared_ptr<memlog::shard::ShardRouter> router);

 public slots:
  void start();
  void pause();
  void resume();
  void togglePause();
  void step();
  void setRate(double recordsPerSecond);  // 0 = unthrottled
  void setBurst(int size, int everyMilliseconds);
  void setPayloadBytes(int bytes);  // 0 = natural size
  void setKind(memlog::sim::SourceKind kind);
  void setSeed(quint64 seed);
  void setSkew(const memlog::sim::KeySkew& skew);  // how the records' keys are spread

 signals:
  void stateChanged();                         // running / paused / options changed
  void countersChanged();                      // every refresh tick (~250 ms)
  void errorOccurred(const QString& message);  // the log refused a write (e.g. too large)

 private:
  void apply(const memlog::sim::SourceOptions& options);

  LogAdapter* m_adapter;
  std::unique_ptr<memlog::sim::LegacySource> m_source;
  QTimer m_refresh;
  bool m_wasRunning = false;
  bool m_wasPaused = false;
  memlog::Offset m_replayFrom = -1;
  bool m_routed = false;
  std::uint64_t m_errorsSeen = 0;
};
