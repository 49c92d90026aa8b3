// SPDX-License-Identifier: MIT
// MainWindow: wires the views of one LogSession together — the record table in the middle,
// the segments picture and the panels around it as docks, a status bar with the log's vital
// signs. Each view is its own class; this one only arranges them.
//
// Threading: GUI thread only.
#pragma once

#include <QDockWidget>
#include <QFont>
#include <QPointer>

#include <memlog/options.hpp>

#include "shards/sharding_options.hpp"

Q_DECLARE_METATYPE(memlog::Options)
Q_DECLARE_METATYPE(ShardingOptions)
#include <QElapsedTimer>
#include <QLabel>
#include <QMainWindow>
#include <QStringList>

class ChartsPanel;

struct Frame;
class QSettings;
class LogServer;
class LogSession;
class ConsumersPanel;
class RecordTableView;
class SegmentsView;
class SourcePanel;
class ShardSet;
class ShardsPanel;
class RoutingPanel;
class SkewChart;
class ShardingPanel;
class LessonsPanel;
class LessonPlayer;
class HighlightOverlay;
class CompareWindow;

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
  // The first-start layout for a screen's available area: all of a small screen, most of a
  // large one, the docks in proportion (every dock visible and usable at 1280×720).
  void fitToScreen(const QRect& available);
  // Brings a restored geometry that no longer fits the screen back onto it.
  void keepOnScreen(const QRect& available);
  QDockWidget* dock(const QString& objectName) const { return findChild<QDockWidget*>(objectName); }
  ShardingPanel* shardingPanel() const { return m_sharding; }
  LessonsPanel* lessonsPanel() const { return m_lessons; }
  HighlightOverlay* highlightOverlay() const { return m_highlight; }
  bool isPresenting() const { return m_presenting; }
  // A lesson plays: the lessons panel follows it (and its highlights), raised.
  void showLesson(LessonPlayer* player);
  // Rings what a lesson talks about (see lessons/lesson_highlight.hpp); empty: nothing.
  void highlight(const QString& target);

 signals:
  // The user asked for a new log that cannot replace this one in place (other sharding, or new
  // options for a sharded log): main() starts the session and the window anew with them.
  void restartRequested(const memlog::Options& log, const ShardingOptions& sharding);
  // A lesson was chosen (a built-in's name or a file): main() starts it on a new session.
  void lessonRequested(const QString& nameOrFile);

 public slots:
  // Freezes the table, the segments picture and the charts for inspection; the log runs on.
  void setViewsPaused(bool paused);
  // Presenter mode (F11, --present): full screen, larger text and markers, a calm layout — the
  // segments picture, the lesson, one chart; leaving it puts the window back as it was.
  void setPresenterMode(bool on);
  // View → Compare: asks for the second log's segment size and shard count (CompareDialog),
  // then openCompareWith(them).
  void openCompare();
  // The same records in a second log made from `other` and `sharding` (not sharded: one log),
  // side by side (a window of its own). Null, with the reason in the window, if they are invalid.
  CompareWindow* openCompareWith(const memlog::Options& other, const ShardingOptions& sharding = {});

 private:
  void buildMenus();
  void buildLessonsMenu();  // main_window_teaching.cpp, with the lesson, compare and presenter parts
  void arrangeDocks(QSize size);
  void addShardDocks(ShardSet* shards);
  QWidget* configurationPanels();  // the log's options and its sharding, in one dock
  // A lesson's "row:…" in the table: "latest", "earliest" or an offset; empty: no row.
  void pointAtRow(const QString& row);
  QString stateKey()
      const;  // where saveLayout keeps the docks' arrangement  // a sharded session: every shard, the routing, the skew
  QWidget* scrollable(QWidget* panel);
  void updateStatus(const Frame& frame);
  QDockWidget* addDock(QWidget* widget, const QString& title, Qt::DockWidgetArea area, const QString& objectName);

  LogSession* m_session;
  RecordTableView* m_table;
  SegmentsView* m_segments;
  ChartsPanel* m_charts;
  ConsumersPanel* m_consumers;
  SourcePanel* m_sourcePanel;
  QMenu* m_viewMenu = nullptr;
  QDockWidget* m_segmentsDock;
  QDockWidget* m_sourceDock;
  QDockWidget* m_consumersDock;
  QDockWidget* m_chartsDock;
  QDockWidget* m_timelineDock;
  QDockWidget* m_shardsDock = nullptr;  // the sharded log's docks: only in a sharded session
  ShardsPanel* m_shardsPanel = nullptr;
  RoutingPanel* m_routing = nullptr;
  SkewChart* m_skew = nullptr;
  ShardingPanel* m_sharding = nullptr;
  LessonsPanel* m_lessons = nullptr;
  QDockWidget* m_lessonsDock = nullptr;
  HighlightOverlay* m_highlight = nullptr;
  QAction* m_presentAction = nullptr;
  QPointer<CompareWindow> m_compare;
  bool m_presenting = false;
  QByteArray m_beforePresenting, m_geometryBeforePresenting;
  QRect m_rectBeforePresenting;  // the window's own rect (restoreGeometry alone can shift it)
  QFont m_fontBeforePresenting;
  QLabel* m_range;
  QLabel* m_retained;
  QLabel* m_memory;
  QLabel* m_rate;
  QLabel* m_warning;
  QLabel* m_paused;
  QLabel* m_served = nullptr;  // where the server listens, once it does
  qint64 m_rateFromMs = -1;    // the frame the shown writes/s is measured from
  qint64 m_rateFromWritten = 0;
};
