// SPDX-License-Identifier: MIT
// ConsumersPanel: the consumers table with its actions — add a consumer (pace; start at
// earliest, latest or an offset), remove one, resume one from the earliest retained record
// or from its checkpoint — and the total lag.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class LogServer;
class ConsumerController;
class QTableWidget;
class ConsumerTableModel;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

class ConsumersPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ConsumersPanel(ConsumerController* consumers, QWidget* parent = nullptr);

  ConsumerTableModel* model() const { return m_model; }
  QTableView* table() const { return m_table; }
  QString totalLagText() const;
  // Also lists the WebSocket clients of `server` (remote consumers) with their lag.
  void showRemoteConsumers(LogServer* server);
  QTableWidget* remoteTable() const { return m_remote; }

 public slots:
  void addFromForm();
  void removeSelected();
  void resumeSelected(bool fromCheckpoint);

 private:
  int selectedId() const;

  ConsumerController* m_consumers;
  ConsumerTableModel* m_model;
  QTableView* m_table;
  QLineEdit* m_name;
  QDoubleSpinBox* m_pace;
  QComboBox* m_start;
  QSpinBox* m_offset;
  QSpinBox* m_shard = nullptr;  // sharded: which shard a new consumer reads (-1: all)
  QDateTimeEdit* m_time;
  QLabel* m_totalLag;
  QTableWidget* m_remote = nullptr;
};
