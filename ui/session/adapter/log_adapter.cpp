// SPDX-License-Identifier: MIT
#include "adapter/log_adapter.hpp"

#include <QMetaObject>

#include <optional>

#include "adapter/log_limits.hpp"

using namespace Qt::StringLiterals;

// Collects what the writers did since the last delivery and posts one delivery at a time.
// The append path is a store and a load (no lock); seals and purges, once per segment, take a
// small mutex.
class LogAdapter::Observer final : public memlog::LogObserver {
 public:
  struct Purge {
    memlog::Offset first, last;
    qint64 records, bytes;
  };
  struct Pending {
    std::optional<Purge> purge;
    std::optional<std::pair<memlog::Offset, memlog::Offset>> seal;
    memlog::Offset lastAppended;
  };

  Observer(LogAdapter* adapter, memlog::Offset lastAppended) : m_adapter(adapter), m_lastAppended(lastAppended) {}

  void on_append(memlog::Offset, memlog::Offset last) override {
    // seq_cst store, then seq_cst load of m_posted; take() does the mirror image. So either
    // this append is in the delivery being taken, or this writer sees m_posted false and posts.
    m_lastAppended.store(last, std::memory_order_seq_cst);
    if (!m_posted.load(std::memory_order_seq_cst) && !m_posted.exchange(true, std::memory_order_seq_cst))
      QMetaObject::invokeMethod(m_adapter, &LogAdapter::deliver, Qt::QueuedConnection);
  }

  void on_seal(memlog::Offset first, memlog::Offset last) override {
    std::lock_guard lock(m_mutex);
    if (m_pending.seal)
      m_pending.seal->second = last;  // contiguous: widen
    else
      m_pending.seal.emplace(first, last);
  }

  void on_purge(memlog::Offset first, memlog::Offset last, std::size_t records, std::size_t bytes) override {
    std::lock_guard lock(m_mutex);
    if (m_pending.purge) {
      m_pending.purge->last = last;
      m_pending.purge->records += static_cast<qint64>(records);
      m_pending.purge->bytes += static_cast<qint64>(bytes);
    } else {
      m_pending.purge = Purge{first, last, static_cast<qint64>(records), static_cast<qint64>(bytes)};
    }
  }

  // On the GUI thread: everything since the last take().
  Pending take() {
    m_posted.store(false, std::memory_order_seq_cst);
    Pending taken;
    {
      std::lock_guard lock(m_mutex);
      taken = std::exchange(m_pending, Pending{});
    }
    // Read after the seals and purges: an append is always as new as the events before it.
    taken.lastAppended = m_lastAppended.load(std::memory_order_seq_cst);
    return taken;
  }

 private:
  LogAdapter* m_adapter;
  std::atomic<memlog::Offset> m_lastAppended;
  std::atomic<bool> m_posted{false};
  std::mutex m_mutex;
  Pending m_pending{};
};

LogAdapter::LogAdapter(std::shared_ptr<memlog::Log> log, QObject* parent) : QObject(parent), m_log(std::move(log)) {
  Q_ASSERT_X(m_log != nullptr, "LogAdapter", "needs a log");
  qRegisterMetaType<memlog::Stats>();
  subscribe();
  m_statsTimer.setInterval(100);
  connect(&m_statsTimer, &QTimer::timeout, this, [this] {
    const memlog::Stats s = stats();
    if (s.next_offset == m_lastStatsNext) return;
    m_lastStatsNext = s.next_offset;
    emit statsChanged(s);
  });
  m_statsTimer.start();
}

LogAdapter::~LogAdapter() {
  // No callback runs after this returns; a delivery already posted dies with this object.
  m_subscription.reset();
}

std::shared_ptr<memlog::Log> LogAdapter::log() const {
  std::lock_guard lock(m_logMutex);
  return m_log;
}

void LogAdapter::subscribe() {
  m_lastDelivered = m_log->stats().next_offset - 1;
  m_observer = std::make_shared<Observer>(this, m_lastDelivered);
  m_subscription = m_log->observe(m_observer);
}

void LogAdapter::deliver() {
  const Observer::Pending pending = m_observer->take();
  ++m_deliveries;
  if (pending.purge)
    emit purged(pending.purge->first, pending.purge->last, pending.purge->records, pending.purge->bytes);
  if (pending.seal) emit sealed(pending.seal->first, pending.seal->second);
  if (pending.lastAppended > m_lastDelivered) {
    emit appended(m_lastDelivered + 1, pending.lastAppended);
    m_lastDelivered = pending.lastAppended;
  }
}

QString LogAdapter::reconfigure(const memlog::Options& options) {
  QString error = log_limits::validate(options);
  auto created =
      error.isEmpty() ? memlog::Log::create(options) : std::unexpected(make_error_code(memlog::Errc::invalid_options));
  if (!created) {
    if (error.isEmpty()) error = QString::fromStdString(created.error().message());
    emit errorOccurred(error);
    return error;
  }
  replaceLog(std::move(*created));
  return {};
}

void LogAdapter::replaceLog(std::shared_ptr<memlog::Log> log) {
  Q_ASSERT_X(log != nullptr, "LogAdapter::replaceLog", "needs a log");
  emit aboutToReplaceLog();
  m_subscription.reset();
  {
    std::lock_guard lock(m_logMutex);
    m_log = std::move(log);
  }
  subscribe();
  emit logReplaced();
  const memlog::Stats s = stats();
  m_lastStatsNext = s.next_offset;
  emit statsChanged(s);
}

void LogAdapter::setStatsInterval(int milliseconds) { m_statsTimer.setInterval(milliseconds); }
