// SPDX-License-Identifier: MIT
#include "timeline/event_timeline_model.hpp"

#include <QColor>
#include <QLocale>

#include "adapter/log_session.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::ConsumerState;

namespace {
QString n(qint64 v) { return QLocale().toString(v); }
}  // namespace

EventTimelineModel::EventTimelineModel(LogSession* session, QObject* parent) : QAbstractListModel(parent) {
  m_frame.setSingleShot(true);
  m_frame.setInterval(40);
  connect(&m_frame, &QTimer::timeout, this, &EventTimelineModel::flush);
  LogAdapter* adapter = session->adapter();
  ShardSet* shards = session->shards();
  // Sharded: the shard shown tells its seals and purges with their offsets, through the
  // adapter; the other shards' are summed up once per frame (a thousand shards would drown the
  // story otherwise).
  const auto where = [shards] { return shards ? u"Shard #%1: "_s.arg(shards->focused()) : QString(); };
  connect(adapter, &LogAdapter::sealed, this, [this, where](qint64 first, qint64 last) {
    add(Kind::seal,
        where() + (first == last ? u"Segment ending at %1 sealed: it is now the history."_s.arg(n(last))
                                 : u"Offsets %1–%2 sealed: the full active segment became the history."_s.arg(
                                       n(first), n(last))));
  });
  connect(adapter, &LogAdapter::purged, this, [this, where](qint64 first, qint64 last, qint64 records, qint64 bytes) {
    add(Kind::purge, where() + u"Offsets %1–%2 purged: %3 records, %4 freed."_s.arg(
                                   n(first), n(last), n(records),
                                   QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat)));
  });
  if (shards) {
    connect(shards, &ShardSet::focusChanged, this, [this](int shard) {
      add(Kind::reconfigure, u"Showing shard #%1 in the segments picture and the table."_s.arg(shard));
    });
    connect(shards, &ShardSet::shardSealed, this, [this, shards](int shard, quint64 seals) {
      if (shard != shards->focused()) m_otherSeals.emplace_back(shard, seals);
    });
    connect(shards, &ShardSet::shardPurged, this, [this, shards](int shard, quint64, quint64 records) {
      if (shard != shards->focused()) m_otherPurges.emplace_back(shard, records);
    });
    connect(shards, &ShardSet::sampled, this, &EventTimelineModel::summarizeOtherShards);
  } else {
    connect(adapter, &LogAdapter::logReplaced, this, [this, adapter] {
      const memlog::Options& o = adapter->log()->options();
      add(Kind::reconfigure,
          u"New log: segments of %1 records, records up to %2 bytes, starting at offset %3."_s.arg(
              n(static_cast<qint64>(o.segment_size)), n(static_cast<qint64>(o.max_record_bytes)), n(o.start_offset)));
    });
  }
  connect(session, &LogSession::replayed, this, [this](qint64 checkpoint) {
    add(Kind::replay,
        u"Crash and replay: the log was recreated at checkpoint %1 and the source replays from there."_s.arg(
            n(checkpoint)));
  });
  connect(session->consumers(), &ConsumerController::consumerStateChanged, this,
          [this](int, const QString& name, ConsumerState from, ConsumerState to) {
            QString text;
            if (to == ConsumerState::fell_behind)
              text = u"%1 fell behind: the purge overtook it (out_of_range)."_s.arg(name);
            else if (to == ConsumerState::lagging)
              text = u"%1 is lagging: half a segment or more behind."_s.arg(name);
            else if (to == ConsumerState::live && from != ConsumerState::stopped)
              text = u"%1 caught up."_s.arg(name);
            else if (to == ConsumerState::live)
              text = u"%1 started."_s.arg(name);
            else
              text = u"%1 stopped."_s.arg(name);
            add(Kind::consumer, text);
          });
  connect(session->source(), &SourceController::errorOccurred, this, [this](const QString& why) {
    add(Kind::source, u"The log refused a record (%1): the source paused."_s.arg(why));
  });
}

namespace {
// "#3", "#3 and #7", "#3, #7 and 12 more shards"
QString shardList(const std::vector<std::pair<int, quint64>>& events) {
  QStringList names;
  for (std::size_t i = 0; i < std::min<std::size_t>(events.size(), 3); ++i) names << u"#%1"_s.arg(events[i].first);
  if (events.size() > 3) return names.join(u", "_s) + u" and %1 more shards"_s.arg(events.size() - 3);
  if (names.size() > 1) return names.mid(0, names.size() - 1).join(u", "_s) + u" and "_s + names.last();
  return names.value(0);
}
}  // namespace

void EventTimelineModel::summarizeOtherShards() {
  if (!m_otherSeals.empty())
    add(Kind::seal,
        u"Shard%1 %2 sealed a segment."_s.arg(m_otherSeals.size() > 1 ? u"s"_s : QString(), shardList(m_otherSeals)));
  if (!m_otherPurges.empty()) {
    quint64 records = 0;
    for (const auto& [shard, count] : m_otherPurges) records += count;
    add(Kind::purge,
        u"Shard%1 %2 purged their history: %3 records."_s.arg(
            m_otherPurges.size() > 1 ? u"s"_s : QString(), shardList(m_otherPurges), n(static_cast<qint64>(records))));
  }
  m_otherSeals.clear();
  m_otherPurges.clear();
}

void EventTimelineModel::add(Kind kind, const QString& text) {
  m_queued.push_back({QDateTime::currentDateTime(), kind, text});
  if (!m_frame.isActive()) m_frame.start();
}

void EventTimelineModel::flush() {
  if (m_queued.empty()) return;
  // Keep the newest kMaxEvents: drop from the top in one go, then append in one go.
  const std::size_t total = m_events.size() + m_queued.size();
  if (total > kMaxEvents) {
    const int drop = static_cast<int>(std::min(m_events.size(), total - kMaxEvents));
    if (drop > 0) {
      beginRemoveRows(QModelIndex(), 0, drop - 1);
      m_events.erase(m_events.begin(), m_events.begin() + drop);
      endRemoveRows();
    }
    if (m_queued.size() > kMaxEvents) m_queued.erase(m_queued.begin(), m_queued.end() - kMaxEvents);
  }
  const int first = static_cast<int>(m_events.size());
  beginInsertRows(QModelIndex(), first, first + static_cast<int>(m_queued.size()) - 1);
  for (Event& e : m_queued) m_events.push_back(std::move(e));
  m_queued.clear();
  endInsertRows();
}

int EventTimelineModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

QVariant EventTimelineModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(m_events.size())) return {};
  const Event& e = m_events[static_cast<std::size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return QString(e.time.toString(u"HH:mm:ss.zzz"_s) + u"  "_s + e.text);
    case KindRole:
      return static_cast<int>(e.kind);
    case Qt::ForegroundRole: {  // a hint only: the sentence says what happened
      const Theme theme = Theme::current();
      switch (e.kind) {
        case Kind::seal:
          return theme.accent(Theme::Accent::blue);
        case Kind::purge:
          return theme.accent(Theme::Accent::orange);
        case Kind::consumer:
          return theme.accent(Theme::Accent::reddishPurple);
        case Kind::reconfigure:
        case Kind::replay:
          return theme.accent(Theme::Accent::bluishGreen);
        case Kind::source:
          return theme.accent(Theme::Accent::vermillion);
      }
      return {};
    }
    default:
      return {};
  }
}
