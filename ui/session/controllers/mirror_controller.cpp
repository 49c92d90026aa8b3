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

std::expected<memlog::feed::RedisTarget, QString> MirrorController::parseTarget(const QString& text) {
  QString rest = text.trimmed();
  if (rest.startsWith(u"redis:"_s)) rest = rest.mid(6);
  const auto target = memlog::feed::parse_redis_target(rest.toStdString());
  if (!target) return std::unexpected(QString::fromStdString(target.error()));
  if (rest.contains(u'@'))
    return std::unexpected(u"a mirror appends new entries: '@ID' has no meaning in '%1'"_s.arg(text.trimmed()));
  return *target;
}

bool MirrorController::start(const QString& target, QString* error) {
  const auto parsed = parseTarget(target);
  if (!parsed) {
    if (error) *error = parsed.error();
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
  return m_mirror ? u"redis:"_s + QString::fromStdString(m_mirror->target().text()) : QString();
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
