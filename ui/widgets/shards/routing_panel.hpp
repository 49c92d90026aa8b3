// SPDX-License-Identifier: MIT
// RoutingPanel: how keys reach their shards — the records routed just now, drawn travelling to
// their shard (RoutingView), a box that answers "which shard would this key go to?" for any key,
// and the keys seen so far with their shard, records and rate (KeyTableModel), filtered by key
// text or by shard; double-clicking a key shows its shard.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class KeyTableModel;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class RoutingView;
class ShardSet;

class RoutingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RoutingPanel(ShardSet* shards, QWidget* parent = nullptr);

  RoutingView* view() const { return m_view; }
  KeyTableModel* model() const { return m_model; }
  QSortFilterProxyModel* proxy() const { return m_proxy; }
  QLineEdit* lookup() const { return m_lookup; }
  QLabel* lookupResult() const { return m_lookupResult; }
  QSpinBox* shardFilter() const { return m_shardFilter; }
  QLineEdit* keyFilter() const { return m_keyFilter; }
  void setFrozen(bool frozen);

 private:
  void lookUp();

  ShardSet* m_shards;
  RoutingView* m_view;
  KeyTableModel* m_model;
  QSortFilterProxyModel* m_proxy;
  QLineEdit* m_lookup;
  QLabel* m_lookupResult;
  QLineEdit* m_keyFilter;
  QSpinBox* m_shardFilter;
  QTableView* m_table;
};
