// SPDX-License-Identifier: MIT
#include "adapter/frame_clock.hpp"

#include "adapter/log_adapter.hpp"
#include "controllers/consumer_controller.hpp"
#include "controllers/source_controller.hpp"

FrameClock::FrameClock(LogAdapter* adapter, ConsumerController* consumers, SourceController* source, QObject* parent)
    : QObject(parent), m_adapter(adapter), m_consumers(consumers), m_source(source) {
  qRegisterMetaType<Frame>();
  // The consumers are sampled here, in step with the log, not on a timer of their own.
  m_consumers->setRefreshInterval(0);
  m_clock.start();
  m_timer.setInterval(kDefaultIntervalMs);
  connect(&m_timer, &QTimer::timeout, this, &FrameClock::tick);
  // A replaced log is shown at once (its offsets may start elsewhere).
  connect(adapter, &LogAdapter::logReplaced, this, &FrameClock::tick);
  m_timer.start();
  tick();
}

void FrameClock::tick() {
  Frame next;
  next.number = m_frame.number + 1;
  next.elapsedMs = m_clock.elapsed();
  // The log first: consumers only move forward, so a position read after these stats is at or
  // past where it was when they were taken; ConsumerController::refresh clamps and derives the
  // state from the same stats.
  next.stats = m_adapter->stats();
  m_consumers->refresh(next.stats);
  next.consumers = m_consumers->snapshots();
  if (m_source != nullptr) next.source = m_source->counters();
  m_frame = std::move(next);
  emit frame(m_frame);
}
