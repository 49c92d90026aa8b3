// SPDX-License-Identifier: MIT
// CompareWindow: compare mode — the monitor's log and another one (e.g. another segment size)
// fed the same records, side by side: each with its title, its segments picture and a table of
// its figures (retention in records and seconds, memory, purges, each consumer), the better and
// the worse side of every difference marked in words and bold, the colour only repeating them.
// A row adds a consumer to both logs.
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

class CompareWindow : public QWidget {
  Q_OBJECT

 public:
  // `other` must be valid (log_limits::validate); `a` must run a single log (or show one shard).
  CompareWindow(LogSession* a, const memlog::Options& other, QWidget* parent = nullptr);
  ~CompareWindow() override;

  CompareSession* session() const { return m_session; }
  // A lesson opened compare mode: its step and narration (a compact LessonsPanel) across the
  // top, with Back / Next and → ← Space, so the lesson goes on here while this window covers the
  // monitor's.
  void showLesson(LessonPlayer* player);
  LessonsPanel* lessonPanel() const { return m_lesson; }
  SegmentsView* segmentsView(CompareSession::Side side) const { return column(side).segments; }
  QTableWidget* figuresTable(CompareSession::Side side) const { return column(side).figures; }
  QString title(CompareSession::Side side) const;

  QSize sizeHint() const override { return {1280, 720}; }

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  struct Column {
    QLabel* title = nullptr;
    SegmentsView* segments = nullptr;
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
  QElapsedTimer m_sinceShown;  // figures readable: redrawn a few times a second, not per frame
  int m_added = 0;
};
