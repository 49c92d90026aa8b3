// SPDX-License-Identifier: MIT
// MainWindow: wires the views of one LogSession together — the record table in the middle,
// the segments picture and the panels around it as docks, a status bar with the log's vital
// signs. Each view is its own class; this one only arranges them.
//
// Threading: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QLabel>
#include <QMainWindow>
#include <QStringList>

class ChartsPanel;
class QSettings;
class LogServer;
class LogSession;
class ConsumersPanel;
class RecordTableView;
class SegmentsView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(LogSession* session, const QStringList& warnings = {}, QWidget* parent = nullptr);

  RecordTableView* recordTable() const { return m_table; }
  SegmentsView* segments() const { return m_segments; }
  bool saveScreenshot(const QString& path);
  void showServer(LogServer* server);       // lists the server's remote clients with the consumers
  void saveLayout(QSettings& store) const;  // window geometry and docks
  void restoreLayout(QSettings& store);     // a bad stored layout is ignored: Qt checks it

 public slots:
  // Freezes the table, the segments picture and the charts for inspection; the log runs on.
  void setViewsPaused(bool paused);

 private:
  void buildMenus();
  void updateStatus();
  QDockWidget* addDock(QWidget* widget, const QString& title, Qt::DockWidgetArea area, const QString& objectName);

  LogSession* m_session;
  RecordTableView* m_table;
  SegmentsView* m_segments;
  ChartsPanel* m_charts;
  ConsumersPanel* m_consumers;
  QMenu* m_viewMenu = nullptr;
  QLabel* m_range;
  QLabel* m_retained;
  QLabel* m_memory;
  QLabel* m_rate;
  QLabel* m_warning;
  QLabel* m_paused;
  qint64 m_lastWritten = -1;
  QElapsedTimer m_rateClock;
};
