// SPDX-License-Identifier: MIT
// FrameClock: one picture per frame. Each tick samples everything the monitor shows once —
// the log's stats (one consistent seqlock read), then the consumers, reconciled with those
// stats, then the source's counters — and hands every view the same Frame. So what is shown
// together is true together: a consumer's marker never sits in the purged zone while its row
// says "live, lag 0", and the status bar names the offsets the table shows.
//
// Views stay passive: they draw the Frame they are given and keep no timer of their own for
// the log's state (animations are driven by the frames too).
//
// Threading: a GUI-thread object.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

#include <memlog/log.hpp>
#include <memlog/source/consumer.hpp>
#include <memlog/source/legacy_source.hpp>

class ConsumerController;
class LogAdapter;
class SourceController;

struct Frame {
  quint64 number = 0;
  qint64 elapsedMs = 0;  // since the clock started (monotonic)
  memlog::Stats stats;
  std::vector<memlog::sim::ConsumerSnapshot> consumers;  // reconciled with stats
  memlog::sim::SourceCounters source;
};
Q_DECLARE_METATYPE(Frame)

class FrameClock : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultIntervalMs = 33;  // ~30 frames a second

  // `source` may be null (no simulated source counters then).
  FrameClock(LogAdapter* adapter, ConsumerController* consumers, SourceController* source, QObject* parent = nullptr);

  const Frame& current() const { return m_frame; }
  void setInterval(int milliseconds) { m_timer.setInterval(milliseconds); }
  int interval() const { return m_timer.interval(); }

 public slots:
  void tick();  // samples now and emits frame() (normally from the timer)

 signals:
  void frame(const Frame& frame);

 private:
  LogAdapter* m_adapter;
  ConsumerController* m_consumers;
  SourceController* m_source;
  QTimer m_timer;
  QElapsedTimer m_clock;
  Frame m_frame;
};
