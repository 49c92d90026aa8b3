// SPDX-License-Identifier: MIT
// CompareWindow: compare mode — the monitor's log and another one (another segment size, another
// shard count) fed the same records, side by side: each with its title, its picture (the
// segments of one log; every shard's lanes, or a heat-map, for a sharded one) and a table of its
// figures (retention in records and seconds, memory, purges, for sharded logs the shards and how
// uneven their load is, each consumer), the better and the worse side of every difference marked
// in words and bold, the colour only repeating them. A row adds a consumer to both logs.
//
// It owns the CompareSession (and so the second log). Closing it stops the copier and deletes
// it (Qt::WA_DeleteOnClose): keep a QPointer to it. If the monitor's session goes first, the
// window closes too.
//
// Threading: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include "compare/compare_session.hpp"

class LessonPlayer;
class LessonsPanel;
class LogSession;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class SegmentsView;
class ShardMapView;

class CompareWindow : public QWidget {
  Q_OBJECT

 public:
  // `other` must be valid (log_limits::validate), and so must `sharding` (sharding::validate;
  // not sharded: the second log is one log).
  CompareWindow(LogSession* a, const memlog::Options& other, const ShardingOptions& sharding = {},
                QWidget* parent = nullptr);
  ~CompareWindow() override;

  CompareSession* session() const { return m_session; }
  // A lesson opened compare mode: its step and narration (a compact LessonsPanel) across the
  // top, with Back / Next and → ← Space, so the lesson goes on here while this window covers the
  // monitor's.
  void showLesson(LessonPlayer* player);
  LessonsPanel* lessonPanel() const { return m_lesson; }
  // A side's picture: the segments of its log (null when it is sharded), or the map of its shards
  // (null when it is one log).
  SegmentsView* segmentsView(CompareSession::Side side) const { return column(side).segments; }
  ShardMapView* shardMap(CompareSession::Side side) const { return column(side).shardMap; }
  QTableWidget* figuresTable(CompareSession::Side side) const { return column(side).figures; }
  QString title(CompareSession::Side side) const;

  QSize sizeHint() const override { return {1280, 720}; }
  // Moves it to the middle of `monitor` (the monitor's window), kept within `screen` as far as
  // its size allows: without a window manager it would open at the screen's corner, over the
  // monitor's menus, wherever that window is.
  void placeOver(const QRect& monitor, const QRect& screen);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  struct Column {
    QLabel* title = nullptr;
    SegmentsView* segments = nullptr;
    ShardMapView* shardMap = nullptr;
    QTableWidget* figures = nullptr;
  };
  const Column& column(CompareSession::Side side) const { return side == CompareSession::Side::a ? m_a : m_b; }
  QWidget* makeColumn(Column& column, LogSession* session, const QString& role, const QString& name);
  QWidget* makeAddRow();
  void showFigures(bool now);
  void fillColumn(const Column& column, const CompareFigures& mine, const CompareFigures& theirs);
  void showCopier();

  CompareSession* m_session;
  LessonsPanel* m_lesson = nullptr;
  Column m_a, m_b;
  QLabel* m_copier = nullptr;
  QLabel* m_lost = nullptr;
  QLineEdit* m_name = nullptr;
  QSpinBox* m_pace = nullptr;
  QPushButton* m_add = nullptr;
  int m_firstConsumerRow = 0;  // the figures' rows before the consumers': one more when a side is sharded
  QElapsedTimer m_sinceShown;  // figures readable: redrawn a few times a second, not per frame
  int m_added = 0;
};
