// SPDX-License-Identifier: MIT
#include "table/record_table_model.hpp"

#include <QDateTime>

#include <algorithm>
#include <limits>

#include <memlog/source/shard_key.hpp>

#include "adapter/frame_clock.hpp"
#include "adapter/log_adapter.hpp"
#include "shards/shard_set.hpp"

using namespace Qt::StringLiterals;

namespace {
constexpr int kCacheRows = 256;
constexpr int kPreviewChars = 160;

QString preview(std::string_view text) {
  QString s =
      QString::fromUtf8(text.data(), static_cast<qsizetype>(std::min(text.size(), 2 * std::size_t{kPreviewChars})));
  for (QChar& c : s)
    if (!c.isPrint()) c = u'·';  // NUL bytes, control characters, invalid UTF-8: visible, harmless
  if (s.size() > kPreviewChars || text.size() > 2 * std::size_t{kPreviewChars}) s = s.left(kPreviewChars) + u'…';
  return s;
}
}  // namespace

RecordTableModel::RecordTableModel(LogAdapter* adapter, QObject* parent)
    : QAbstractTableModel(parent), m_adapter(adapter), m_log(adapter->log()) {
  m_frame.setSingleShot(true);
  m_frame.setInterval(33);
  connect(&m_frame, &QTimer::timeout, this, &RecordTableModel::sync);
  connect(adapter, &LogAdapter::appended, this, &RecordTableModel::scheduleSync);
  connect(adapter, &LogAdapter::purged, this, &RecordTableModel::scheduleSync);
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    m_log = m_adapter->log();
    beginResetModel();
    m_first = -1;
    m_count = 0;
    m_cache.clear();
    m_cacheFirst = -1;
    endResetModel();
    scheduleSync();
  });
  sync();
}

void RecordTableModel::scheduleSync() {
  if (!m_frozen && m_frames == nullptr && !m_frame.isActive()) m_frame.start();
}

void RecordTableModel::followFrames(FrameClock* frames) {
  m_frames = frames;
  m_frame.stop();
  connect(frames, &FrameClock::frame, this, [this](const Frame& frame) { syncTo(frame.stats.range); });
  syncTo(frames->current().stats.range);
}

void RecordTableModel::setFrozen(bool frozen) {
  m_frozen = frozen;
  if (!frozen) m_frames ? syncTo(m_frames->current().stats.range) : sync();  // catch up at once
}

void RecordTableModel::sync() { syncTo(m_adapter->log()->range()); }

void RecordTableModel::syncTo(const memlog::Range& range) {
  if (m_frozen) return;
  // The key field, once per frame: data() runs per cell, and the router's lock is the writers'.
  if (m_shards) m_keyField = m_shards->router()->key_field();
  if (range.empty()) return;
  // A Qt model has at most INT_MAX rows; the log retains at most 2 x 10,000,000 here.
  const memlog::Offset newFirst = std::max(range.earliest, range.latest - (std::numeric_limits<int>::max() - 1));
  bool changed = false;
  if (m_count > 0 && newFirst > m_first) {
    const memlog::Offset drop = std::min<memlog::Offset>(newFirst - m_first, m_count);
    beginRemoveRows(QModelIndex(), 0, static_cast<int>(drop) - 1);
    m_first += drop;
    m_count -= static_cast<int>(drop);
    endRemoveRows();
    changed = true;
  }
  if (m_count == 0) m_first = newFirst;
  const memlog::Offset newLast = range.latest;
  const memlog::Offset last = m_first + m_count - 1;
  if (newLast > last) {
    const int add = static_cast<int>(newLast - last);
    beginInsertRows(QModelIndex(), m_count, m_count + add - 1);
    m_count += add;
    endInsertRows();
    changed = true;
  }
  if (changed) emit rowsSynced();
}

int RecordTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_count; }
int RecordTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_shards ? ColumnCount : kPlainColumns;
}

void RecordTableModel::showShards(ShardSet* shards) {
  beginInsertColumns({}, kPlainColumns, ColumnCount - 1);
  m_shards = shards;
  m_keyField = shards->router()->key_field();
  endInsertColumns();
  // The shard column names the shard shown: all of its rows change with it.
  connect(shards, &ShardSet::focusChanged, this, [this] {
    if (m_count > 0) emit dataChanged(index(0, ShardColumn), index(m_count - 1, ShardColumn));
  });
}

QString RecordTableModel::keyAt(int row) const {
  if (!m_shards || row < 0 || row >= m_count) return {};
  const memlog::Record* r = cached(offsetAt(row));
  if (r == nullptr || r->offset() != offsetAt(row)) return {};
  const auto key = memlog::shard::extract_key(r->text(), m_keyField);
  return key ? QString::fromStdString(*key) : QString();
}

int RecordTableModel::rowOf(memlog::Offset offset) const {
  if (m_count == 0 || offset < m_first || offset >= m_first + m_count) return -1;
  return static_cast<int>(offset - m_first);
}

const memlog::Record* RecordTableModel::cached(memlog::Offset offset) const {
  if (m_cacheFirst < 0 || offset < m_cacheFirst ||
      offset >= m_cacheFirst + static_cast<memlog::Offset>(m_cache.size())) {
    // Read the window around the requested row in one batch.
    m_cacheFirst = std::max(m_first, offset - kCacheRows / 4);
    m_cache.assign(kCacheRows, memlog::Record{});
    const memlog::BatchResult got = m_log->read_batch(m_cacheFirst, m_cache);
    m_cache.resize(got.count);
    if (got.count == 0) m_cacheFirst = -1;
  }
  if (m_cacheFirst < 0 || offset < m_cacheFirst || offset >= m_cacheFirst + static_cast<memlog::Offset>(m_cache.size()))
    return nullptr;
  return &m_cache[static_cast<std::size_t>(offset - m_cacheFirst)];
}

std::optional<memlog::Record> RecordTableModel::record(int row) const {
  if (row < 0 || row >= m_count) return std::nullopt;
  auto r = m_log->read(offsetAt(row));
  if (!r) return std::nullopt;
  return *r;
}

QVariant RecordTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= m_count) return {};
  const memlog::Offset offset = offsetAt(index.row());
  if (role == OffsetRole) return QVariant::fromValue<qint64>(offset);
  if (role == Qt::TextAlignmentRole)
    return index.column() == PayloadColumn || index.column() == KeyColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                                          : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (index.column() == ShardColumn && role == Qt::DisplayRole && m_shards) return u"#%1"_s.arg(m_shards->focused());
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != PayloadRole) return {};
  if (index.column() == OffsetColumn && role == Qt::DisplayRole) return QVariant::fromValue<qint64>(offset);

  // Purged since the row was shown: say so; never show what is gone as if it were there.
  if (offset < m_log->range().earliest) return role == Qt::DisplayRole ? QVariant(u"(purged)"_s) : QVariant();
  const memlog::Record* r = cached(offset);
  if (r == nullptr || r->offset() != offset) {
    m_cacheFirst = -1;  // stale window: read again next time
    return role == Qt::DisplayRole ? QVariant(u"(purged)"_s) : QVariant();
  }
  if (role == PayloadRole)
    return QByteArray(reinterpret_cast<const char*>(r->data().data()), static_cast<qsizetype>(r->size()));
  switch (index.column()) {
    case CreatedColumn: {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(r->created().time_since_epoch()).count();
      return QDateTime::fromMSecsSinceEpoch(ms).toString(u"HH:mm:ss.zzz"_s);
    }
    case SizeColumn:
      return QVariant::fromValue<qulonglong>(r->size());
    case PayloadColumn:
      return role == Qt::ToolTipRole ? preview(r->text().substr(0, 1000)) : preview(r->text());
    case KeyColumn: {
      if (!m_shards) return {};
      const auto key = memlog::shard::extract_key(r->text(), m_keyField);
      if (key) return preview(*key);
      return role == Qt::ToolTipRole ? QVariant(QString::fromStdString(key.error())) : QVariant(u"(no key)"_s);
    }
    default:
      return {};
  }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  static const QString titles[ColumnCount] = {u"Offset"_s, u"Created"_s, u"Size"_s, u"Payload"_s, u"Shard"_s, u"Key"_s};
  static const QString tips[ColumnCount] = {
      u"A record's position in the log: given once, in order, never reused. Sharded: in its shard."_s,
      u"When the log stamped the record (local time)."_s,
      u"Payload size in bytes."_s,
      u"The start of the payload; select a row to see it whole."_s,
      u"The shard the record is on: its key's shard (choose another in the Shards view)."_s,
      u"The key the record was routed by."_s};
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  if (role == Qt::DisplayRole) return titles[section];
  if (role == Qt::ToolTipRole) return tips[section];
  return {};
}
