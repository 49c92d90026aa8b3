// SPDX-License-Identifier: MIT
// PurgeEventModel: every purge as a row — time, purged offset range, records and bytes freed
// (the newest kMaxRows).
//
// Threading: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

#include <deque>

class LogAdapter;

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

 private:
  struct Purge {
    QDateTime time;
    qint64 first, last, records, bytes;
  };
  std::deque<Purge> m_rows;
  qint64 m_totalRecords = 0;
};
