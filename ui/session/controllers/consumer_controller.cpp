// SPDX-License-Identifier: MIT
#include "controllers/consumer_controller.hpp"

#include <algorithm>

#include "adapter/log_adapter.hpp"

ConsumerController::ConsumerController(LogAdapter* adapter, QObject* parent)
    : QObject(parent), m_adapter(adapter), m_group(std::make_unique<memlog::sim::ConsumerGroup>(adapter->log())) {
  qRegisterMetaType<memlog::sim::ConsumerState>();
  // Directly connected: consumers let go of the old log before the adapter swaps it.
  connect(adapter, &LogAdapter::aboutToReplaceLog, this, [this] { m_group->stop_all(); });
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    m_group->attach(m_adapter->log(), m_replayNext);
    m_replayNext = false;
    refresh();
  });
  m_refresh.setInterval(250);
  connect(&m_refresh, &QTimer::timeout, this, qOverload<>(&ConsumerController::refresh));
  m_refresh.start();
}

ConsumerController::~ConsumerController() { m_group->stop_all(); }

qint64 ConsumerController::totalLag() const {
  qint64 total = 0;
  for (const auto& s : m_snapshots) total += s.lag;
  return total;
}

void ConsumerController::setRefreshInterval(int milliseconds) {
  if (milliseconds <= 0) {
    m_refresh.stop();
    return;
  }
  m_refresh.setInterval(milliseconds);
  m_refresh.start();
}

int ConsumerController::add(const memlog::sim::ConsumerOptions& options) {
  const int id = m_group->add(options);
  emit consumerAdded(id);
  refresh();
  return id;
}

void ConsumerController::remove(int id) {
  if (!m_group->remove(id)) return;
  emit consumerRemoved(id);
  refresh();
}

void ConsumerController::resume(int id, bool fromCheckpoint) {
  if (m_group->resume(id, fromCheckpoint)) refresh();
}

void ConsumerController::refresh() { refresh(m_adapter->stats()); }

void ConsumerController::refresh(const memlog::Stats& stats) {
  using memlog::sim::ConsumerState;
  std::vector<memlog::sim::ConsumerSnapshot> fresh = m_group->snapshots();
  for (auto& c : fresh) {
    if (c.state != ConsumerState::live && c.state != ConsumerState::lagging) continue;  // ended: as it ended
    c.position = std::min(c.position, stats.next_offset);  // read after stats: may be ahead of them
    c.lag = std::max<std::int64_t>(0, stats.next_offset - c.position);
    if (!stats.range.empty() && c.position < stats.range.earliest) {
      c.state = ConsumerState::fell_behind;  // its next record is gone: its next read fails
      c.error = memlog::make_error_code(memlog::Errc::out_of_range);
    } else {
      c.state = c.lag > 0 && static_cast<std::size_t>(c.lag) * 2 >= stats.segment_size ? ConsumerState::lagging
                                                                                       : ConsumerState::live;
    }
  }
  for (const auto& now : fresh) {
    const auto before =
        std::find_if(m_snapshots.begin(), m_snapshots.end(), [&](const auto& s) { return s.id == now.id; });
    if (before != m_snapshots.end() && before->state != now.state)
      emit consumerStateChanged(now.id, QString::fromStdString(now.name), before->state, now.state);
  }
  m_snapshots = std::move(fresh);
  emit consumersChanged();
}
