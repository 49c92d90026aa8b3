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

void MirrorController::useShards(std::shared_ptr<const memlog::ShardedLog> log) { m_shards = std::move(log); }

bool MirrorController::start(const QString& target, QString* error) {
  const auto parsed = memlog::parse_redis_stream_address(target.trimmed().toStdString());
  if (!parsed) {
    if (error) *error = QString::fromStdString(parsed.error());
    return false;
  }
  m_mirror.reset();
  m_shardedMirror.reset();
  if (m_shards) {
    m_shardedMirror = std::make_unique<memlog::redis::ShardedRedisMirror>(m_shards, *parsed);
    m_shardedMirror->start();
  } else {
    m_mirror = std::make_unique<memlog::redis::RedisMirror>(m_adapter->log(), *parsed);
    m_mirror->start();
  }
  watch();
  emit runningChanged();
  emit statusChanged();
  return true;
}

void MirrorController::stop() {
  if (!isRunning()) return;
  unwatch();  // reports what happened last
  m_mirror.reset();
  m_shardedMirror.reset();
  emit runningChanged();
  emit statusChanged();
}

QString MirrorController::target() const {
  const memlog::RedisStreamAddress* address = m_mirror          ? &m_mirror->target()
                                              : m_shardedMirror ? &m_shardedMirror->target()
                                                                : nullptr;
  return address ? QString::fromStdString(std::string(memlog::kRedisPrefix) + address->text()) : QString();
}

memlog::redis::MirrorStatus MirrorController::status() const {
  if (m_mirror) return m_mirror->status();
  if (m_shardedMirror) return m_shardedMirror->status();
  return {};
}

std::optional<memlog::WorkerHealth> MirrorController::health() const {
  if (!isRunning()) return std::nullopt;
  return status();
}
