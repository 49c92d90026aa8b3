// SPDX-License-Identifier: MIT
// ShardingPanel: how the log is sharded — the number of shards (empty or 1: one log), the key
// field, the sharder — checked as the command line checks --shards, --shard-key and --sharder.
// A sharded log cannot become another in place (its shards, the router, every view depend on
// the count), so Apply asks, after a confirmation, for the log to be started anew with them
// (applyRequested); the window does that.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

#include "shards/sharding_options.hpp"

class QLabel;
class QLineEdit;

class ShardingPanel : public QWidget {
  Q_OBJECT

 public:
  // `current`: how the running log is sharded (not sharded: shards == 0).
  explicit ShardingPanel(const ShardingOptions& current, QWidget* parent = nullptr);

  void setConfirmationEnabled(bool enabled) { m_confirm = enabled; }  // off in tests
  // Sets the fields as a user would type them and applies; returns the error shown, if any.
  QString apply(const QString& shards, const QString& keyField, const QString& sharder);
  QString message() const;
  // The options the fields describe, or nullopt with the reason in *why.
  std::optional<ShardingOptions> parseFields(QString* why) const;

 public slots:
  void applyFromFields();

 signals:
  void applyRequested(const ShardingOptions& options);

 private:
  ShardingOptions m_current;
  QLineEdit* m_shards;
  QLineEdit* m_keyField;
  QLineEdit* m_sharder;
  QLabel* m_message;
  bool m_confirm = true;
};
