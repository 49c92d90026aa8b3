// SPDX-License-Identifier: MIT
// ConsumerTableModel: the consumers' snapshots as a table — name, start, pace, position, lag,
// state (coloured: live green, lagging amber, fell behind red), error. Rows follow
// ConsumerController's refreshes: inserted and removed as consumers come and go, changed in
// place otherwise.
//
// Threading: GUI thread only.
#pragma once

#include <QAbstractTableModel>

#include <memlog/source/consumer.hpp>

class ConsumerController;

class ConsumerTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    NameColumn,
    PaceColumn,
    PositionColumn,
    CheckpointColumn,
    LagColumn,
    StateColumn,
    ErrorColumn,
    ColumnCount
  };
  enum Role { IdRole = Qt::UserRole + 1, StateRole };

  explicit ConsumerTableModel(ConsumerController* consumers, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  int idAt(int row) const;
  // The Error column: why a consumer's stream ended, in words that say what to do next.
  static QString errorText(const memlog::sim::ConsumerSnapshot& snapshot);
  static QColor stateColor(memlog::sim::ConsumerState state);

 private:
  void refresh();

  ConsumerController* m_consumers;
  std::vector<memlog::sim::ConsumerSnapshot> m_rows;
};
