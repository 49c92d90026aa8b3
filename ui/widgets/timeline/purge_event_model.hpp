// SPDX-License-Identifier: MIT
// PurgeEventModel: every purge as a row — time, purged offset range, records and bytes freed
// (the newest kMaxRows). For a sharded log: the purges of the shard shown, each naming its
// shard ("#3: 100 – 199").
//
// Threading: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

#include <deque>

class LogAdapter;
class ShardSet;

class PurgeEventModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  static constexpr int kMaxRows = 10'000;
  enum Column { TimeColumn, RangeColumn, RecordsColumn, BytesColumn, ColumnCount };

  explicit PurgeEventModel(LogAdapter* adapter, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  qint64 totalRecords() const { return m_totalRecords; }
  // A sharded log: each purge is the shard's shown when it happened.
  void showShards(const ShardSet* shards) { m_shards = shards; }

 private:
  struct Purge {
    QDateTime time;
    qint64 first, last, records, bytes;
    int shard = -1;
  };
  const ShardSet* m_shards = nullptr;
  std::deque<Purge> m_rows;
  qint64 m_totalRecords = 0;
};
