// SPDX-License-Identifier: MIT
// KeyTableModel: the keys a sharded log has seen — key, shard, records, records/s — refreshed
// from the router twice a second: new keys appended (one insert per refresh), changed counts
// one dataChanged; never a reset while the log runs. Sorting and filtering are a proxy's job.
//
// Threading: GUI thread only.
#pragma once

#include <QAbstractTableModel>

#include <string>
#include <unordered_map>
#include <vector>

class ShardSet;

class KeyTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { KeyColumn, ShardColumn, RecordsColumn, RateColumn, ColumnCount };
  static constexpr int SortRole = Qt::UserRole + 1;  // numbers as numbers, for a proxy
  static constexpr qint64 kRefreshMs = 500;

  // Refreshes itself from the set's frames (every kRefreshMs); refresh() forces one.
  explicit KeyTableModel(ShardSet* shards, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  void refresh(qint64 elapsedMs);
  int shardOfRow(int row) const { return m_rows[static_cast<std::size_t>(row)].shard; }

 private:
  struct Row {
    QString key;
    int shard = 0;
    quint64 records = 0;
    double rate = 0;
  };
  ShardSet* m_shards;
  std::vector<Row> m_rows;
  std::unordered_map<std::string, std::size_t> m_rowOf;
  qint64 m_lastRefreshMs = -1;
};
