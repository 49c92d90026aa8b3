// SPDX-License-Identifier: MIT
#include "controllers/feed_controller.hpp"

#include "adapter/log_adapter.hpp"
#include "feeds/feed_factory.hpp"

FeedController::FeedController(LogAdapter* adapter, QObject* parent) : WorkerController(parent), m_adapter(adapter) {
  // Directly connected: the feed stops writing before the adapter swaps the log.
  connect(adapter, &LogAdapter::aboutToReplaceLog, this, [this] {
    if (m_feed && !m_router) m_feed->attach(std::shared_ptr<memlog::Log>());  // writes wait; nothing read is lost
  });
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    if (m_feed && !m_router) m_feed->attach(m_adapter->log());
  });
}

FeedController::~FeedController() = default;  // the feed stops in its destructor

bool FeedController::open(const QString& source, QString* error) {
  const auto spec = memlog::feed::parse_feed_spec(source.trimmed().toStdString());
  if (!spec) {
    if (error) *error = QString::fromStdString(spec.error());
    return false;
  }
  if (QString why = unsupportedFeed(*spec); !why.isEmpty()) {
    if (error) *error = why;
    return false;
  }
  m_feed.reset();  // stops the old one first: one source at a time
  m_feed = makeFeed(*spec, m_adapter->log(), m_pollInterval);
  if (m_router) m_feed->attach(m_router);
  m_feed->start();
  watch();
  emit openChanged();
  emit statusChanged();
  return true;
}

void FeedController::close() {
  if (!m_feed) return;
  unwatch();  // reports what happened last
  m_feed.reset();
  emit openChanged();
  emit statusChanged();
}

QString FeedController::source() const { return m_feed ? QString::fromStdString(m_feed->name()) : QString(); }

memlog::feed::FeedStatus FeedController::status() const {
  return m_feed ? m_feed->status() : memlog::feed::FeedStatus{};
}

std::optional<memlog::WorkerHealth> FeedController::health() const {
  if (!m_feed) return std::nullopt;
  return m_feed->status();
}
