// SPDX-License-Identifier: MIT
#include "shards/key_table_model.hpp"

#include <QLocale>

#include "shards/shard_set.hpp"

using namespace Qt::StringLiterals;

KeyTableModel::KeyTableModel(ShardSet* shards, QObject* parent) : QAbstractTableModel(parent), m_shards(shards) {
  connect(shards, &ShardSet::sampled, this, [this](const ShardFrame& frame) {
    if (m_lastRefreshMs < 0 || frame.elapsedMs - m_lastRefreshMs >= kRefreshMs) refresh(frame.elapsedMs);
  });
}

int KeyTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int KeyTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant KeyTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const Row& row = m_rows[static_cast<std::size_t>(index.row())];
  if (role == SortRole) {
    switch (index.column()) {
      case KeyColumn:
        return row.key;
      case ShardColumn:
        return row.shard;
      case RecordsColumn:
        return row.records;
      case RateColumn:
        return row.rate;
      default:
        return {};
    }
  }
  if (role == Qt::DisplayRole) {
    const QLocale locale;
    switch (index.column()) {
      case KeyColumn:
        return row.key;
      case ShardColumn:
        return u"#%1"_s.arg(row.shard);
      case RecordsColumn:
        return locale.toString(row.records);
      case RateColumn:
        return locale.toString(row.rate, 'f', row.rate < 10 ? 1 : 0);
      default:
        return {};
    }
  }
  if (role == Qt::TextAlignmentRole && index.column() != KeyColumn)
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant KeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::DisplayRole) {
    static const QString names[] = {u"Key"_s, u"Shard"_s, u"Records"_s, u"Records/s"_s};
    return names[section];
  }
  if (role == Qt::ToolTipRole) {
    static const QString tips[] = {
        u"The key a record is routed by: its key field's value, or the whole line."_s,
        u"The shard the key maps to — the same for every record of the key, always."_s,
        u"Records of this key routed so far."_s,
        u"Records of this key per second, over the last half second."_s,
    };
    return tips[section];
  }
  return {};
}

void KeyTableModel::refresh(qint64 elapsedMs) {
  const double seconds = m_lastRefreshMs < 0 ? 0 : static_cast<double>(elapsedMs - m_lastRefreshMs) / 1000.0;
  m_lastRefreshMs = elapsedMs;
  const std::vector<memlog::shard::KeyStats> keys = m_shards->router()->keys();
  std::vector<Row> fresh;
  int firstChanged = -1, lastChanged = -1;
  for (const memlog::shard::KeyStats& k : keys) {
    const auto found = m_rowOf.find(k.key);
    if (found == m_rowOf.end()) {
      // New since the last refresh: all its records are since then (0 on the first refresh).
      const double rate = seconds > 0 ? static_cast<double>(k.records) / seconds : 0;
      fresh.push_back(Row{QString::fromStdString(k.key), static_cast<int>(k.shard), k.records, rate});
      m_rowOf.emplace(k.key, m_rows.size() + fresh.size() - 1);
      continue;
    }
    Row& row = m_rows[found->second];
    const double rate = seconds > 0 ? static_cast<double>(k.records - row.records) / seconds : 0;
    if (row.records == k.records && row.rate == rate) continue;
    row.records = k.records;
    row.rate = rate;
    const int r = static_cast<int>(found->second);
    firstChanged = firstChanged < 0 ? r : std::min(firstChanged, r);
    lastChanged = std::max(lastChanged, r);
  }
  if (firstChanged >= 0) emit dataChanged(index(firstChanged, RecordsColumn), index(lastChanged, RateColumn));
  if (!fresh.empty()) {
    const int first = static_cast<int>(m_rows.size());
    beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
    for (Row& row : fresh) m_rows.push_back(std::move(row));
    endInsertRows();
  }
}
