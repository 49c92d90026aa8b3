// SPDX-License-Identifier: MIT
// ConsumerTableModel: the consumers' snapshots as a table — name, start, pace, position, lag,
// state (its word, with the marker shape and colour-blind-safe colour of the segments picture:
// Theme), error. Rows follow
// ConsumerController's refreshes: inserted and removed as consumers come and go, changed in
// place otherwise.
//
// Threading: GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QImage>

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
  // A sharded consumer's shards, the worst first: the lag and state columns' tooltip.
  static QString shardBreakdown(const memlog::sim::ConsumerSnapshot& snapshot);
  // The state's colour (Theme, for the application palette) and its marker — the same shape as
  // in the segments picture — so the State column does not rely on colour.
  static QColor stateColor(memlog::sim::ConsumerState state);
  static QImage stateIcon(memlog::sim::ConsumerState state);

 private:
  void refresh();

  ConsumerController* m_consumers;
  std::vector<memlog::sim::ConsumerSnapshot> m_rows;
};
