// SPDX-License-Identifier: MIT
#include "controllers/mirror_controller.hpp"

#include "adapter/log_adapter.hpp"

using namespace Qt::StringLiterals;

MirrorController::MirrorController(LogAdapter* adapter, QObject* parent)
    : WorkerController(parent), m_adapter(adapter) {
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    if (m_mirror) m_mirror->attach(m_adapter->log());
  });
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
  m_mirror->start();
  watch();
  emit runningChanged();
  emit statusChanged();
  return true;
}

void MirrorController::stop() {
  if (!m_mirror) return;
  unwatch();  // reports what happened last
  m_mirror.reset();
  emit runningChanged();
  emit statusChanged();
}

QString MirrorController::target() const {
  return m_mirror ? QString::fromStdString(std::string(memlog::kRedisPrefix) + m_mirror->target().text()) : QString();
}

memlog::redis::MirrorStatus MirrorController::status() const {
  return m_mirror ? m_mirror->status() : memlog::redis::MirrorStatus{};
}

std::optional<memlog::WorkerHealth> MirrorController::health() const {
  if (!m_mirror) return std::nullopt;
  return m_mirror->status();
}
