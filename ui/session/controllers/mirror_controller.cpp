// SPDX-License-Identifier: MIT
#include "controllers/mirror_controller.hpp"

#include "adapter/log_adapter.hpp"

using namespace Qt::StringLiterals;

MirrorController::MirrorController(LogAdapter* adapter, QObject* parent) : QObject(parent), m_adapter(adapter) {
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    if (m_mirror) m_mirror->attach(m_adapter->log());
  });
  m_refresh.setInterval(250);
  connect(&m_refresh, &QTimer::timeout, this, &MirrorController::refresh);
}

MirrorController::~MirrorController() = default;  // the mirror stops in its destructor

bool MirrorController::start(const QString& target, QString* error) {
  const auto parsed = memlog::parse_redis_stream_address(target.trimmed().toStdString());
  if (!parsed) {
    if (error) *error = QString::fromStdString(parsed.error());
    return false;
  }
  m_mirror.reset();
  m_mirror = std::make_unique<memlog::redis::RedisMirror>(m_adapter->log(), *parsed);
  m_problemsSeen = 0;
  m_mirror->start();
  m_refresh.start();
  emit runningChanged();
  emit statusChanged();
  return true;
}

void MirrorController::stop() {
  if (!m_mirror) return;
  refresh();
  m_mirror.reset();
  m_refresh.stop();
  emit runningChanged();
  emit statusChanged();
}

QString MirrorController::target() const {
  return m_mirror ? QString::fromStdString(std::string(memlog::kRedisPrefix) + m_mirror->target().text()) : QString();
}

memlog::redis::MirrorStatus MirrorController::status() const {
  return m_mirror ? m_mirror->status() : memlog::redis::MirrorStatus{};
}

void MirrorController::refresh() {
  if (!m_mirror) return;
  const memlog::redis::MirrorStatus s = m_mirror->status();
  if (s.problems > m_problemsSeen) {
    m_problemsSeen = s.problems;
    emit problem(QString::fromStdString(s.last_problem));
  }
  emit statusChanged();
}
