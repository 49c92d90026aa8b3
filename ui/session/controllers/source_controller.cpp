// SPDX-License-Identifier: MIT
#include "controllers/source_controller.hpp"

#include "adapter/log_adapter.hpp"

SourceController::SourceController(LogAdapter* adapter, memlog::sim::SourceOptions options, QObject* parent)
    : QObject(parent),
      m_adapter(adapter),
      m_source(std::make_unique<memlog::sim::LegacySource>(adapter->log(), options)) {
  // Directly connected: the source has stopped writing before the adapter swaps the log.
  connect(adapter, &LogAdapter::aboutToReplaceLog, this, [this] {
    if (m_routed) return;  // writes go to the shards, not to the log shown
    const memlog::sim::SourceCounters c = m_source->counters();
    m_wasRunning = c.running;
    m_wasPaused = c.paused;
    m_source->stop();
  });
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    if (m_routed) return;
    auto log = m_adapter->log();
    // A replay continues the durable source at the checkpoint; a new log at its own start.
    const memlog::Offset next = m_replayFrom >= 0 ? m_replayFrom : log->stats().next_offset;
    m_replayFrom = -1;
    m_source->attach(log, static_cast<std::uint64_t>(next));
    if (m_wasRunning) {
      m_source->start();
      if (m_wasPaused) m_source->pause();
    }
    emit stateChanged();
  });
  m_refresh.setInterval(250);
  connect(&m_refresh, &QTimer::timeout, this, [this] {
    const memlog::sim::SourceCounters c = m_source->counters();
    if (c.errors > m_errorsSeen) {
      m_errorsSeen = c.errors;
      emit errorOccurred(QString::fromStdString(c.last_error));
      emit stateChanged();  // a refused write pauses the source
    }
    emit countersChanged();
  });
  m_refresh.start();
}

SourceController::~SourceController() { m_source->stop(); }

void SourceController::routeTo(std::shared_ptr<memlog::shard::ShardRouter> router) {
  m_routed = true;
  m_source->attach(std::move(router), 0);
  emit stateChanged();
}

bool SourceController::isRunning() const {
  const auto c = m_source->counters();
  return c.running && !c.paused;
}

bool SourceController::isPaused() const { return m_source->counters().paused; }

void SourceController::start() {
  m_source->start();
  emit stateChanged();
}

void SourceController::pause() {
  m_source->pause();
  emit stateChanged();
}

void SourceController::resume() {
  if (!m_source->counters().running)
    m_source->start();
  else
    m_source->resume();
  emit stateChanged();
}

void SourceController::togglePause() {
  if (isRunning())
    pause();
  else
    resume();
}

void SourceController::step() {
  if (!m_source->step()) {
    const auto c = m_source->counters();
    m_errorsSeen = c.errors;
    emit errorOccurred(QString::fromStdString(c.last_error));
    emit stateChanged();  // a refused write pauses the source, as on the tick's path
  }
  emit countersChanged();
}

void SourceController::apply(const memlog::sim::SourceOptions& options) {
  m_source->set_options(options);
  emit stateChanged();
}

void SourceController::setRate(double recordsPerSecond) {
  auto o = options();
  o.rate = recordsPerSecond < 0 ? 0 : recordsPerSecond;
  apply(o);
}

void SourceController::setBurst(int size, int everyMilliseconds) {
  auto o = options();
  o.burst_size = size < 0 ? 0 : static_cast<std::size_t>(size);
  o.burst_every = std::chrono::milliseconds(everyMilliseconds < 1 ? 1 : everyMilliseconds);
  apply(o);
}

void SourceController::setPayloadBytes(int bytes) {
  auto o = options();
  o.payload_bytes = bytes < 0 ? 0 : static_cast<std::size_t>(bytes);
  apply(o);
}

void SourceController::setKind(memlog::sim::SourceKind kind) {
  auto o = options();
  o.kind = kind;
  apply(o);
}

void SourceController::setSeed(quint64 seed) {
  auto o = options();
  o.seed = seed;
  apply(o);
}

void SourceController::setSkew(const memlog::sim::KeySkew& skew) {
  auto o = options();
  o.skew = skew;
  apply(o);
}
