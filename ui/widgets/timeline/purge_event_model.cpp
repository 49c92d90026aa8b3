// SPDX-License-Identifier: MIT
#include "timeline/purge_event_model.hpp"

#include <QLocale>

#include "adapter/log_adapter.hpp"
#include "shards/shard_set.hpp"

using namespace Qt::StringLiterals;

PurgeEventModel::PurgeEventModel(LogAdapter* adapter, QObject* parent) : QAbstractTableModel(parent) {
  connect(adapter, &LogAdapter::purged, this, [this](qint64 first, qint64 last, qint64 records, qint64 bytes) {
    if (m_rows.size() >= kMaxRows) {
      beginRemoveRows(QModelIndex(), 0, 0);
      m_rows.pop_front();
      endRemoveRows();
    }
    const int row = static_cast<int>(m_rows.size());
    beginInsertRows(QModelIndex(), row, row);
    m_rows.push_back({QDateTime::currentDateTime(), first, last, records, bytes, m_shards ? m_shards->focused() : -1});
    endInsertRows();
    m_totalRecords += records;
  });
}

int PurgeEventModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}
int PurgeEventModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PurgeEventModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()) || role != Qt::DisplayRole) return {};
  const Purge& p = m_rows[static_cast<std::size_t>(index.row())];
  const QLocale locale;
  switch (index.column()) {
    case TimeColumn:
      return p.time.toString(u"HH:mm:ss.zzz"_s);
    case RangeColumn:
      return QString((p.shard >= 0 ? u"#%1: "_s.arg(p.shard) : QString()) +
                     u"%1 – %2"_s.arg(locale.toString(p.first), locale.toString(p.last)));
    case RecordsColumn:
      return locale.toString(p.records);
    case BytesColumn:
      return locale.formattedDataSize(p.bytes, 1, QLocale::DataSizeTraditionalFormat);
  }
  return {};
}

QVariant PurgeEventModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case TimeColumn:
      return u"Time"_s;
    case RangeColumn:
      return u"Purged offsets"_s;
    case RecordsColumn:
      return u"Records"_s;
    case BytesColumn:
      return u"Freed"_s;
  }
  return {};
}
