// SPDX-License-Identifier: MIT
// MainWindow, the teaching part: the Lessons menu, a lesson shown and what its steps point at,
// compare mode, presenter mode. (The window's set-up, its menus and status: main_window.cpp.)
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>

#include "adapter/log_limits.hpp"
#include "adapter/log_session.hpp"
#include "charts/charts_panel.hpp"
#include "compare/compare_dialog.hpp"
#include "compare/compare_window.hpp"
#include "lessons/highlight_overlay.hpp"
#include "lessons/lesson_player.hpp"
#include "lessons/lessons_panel.hpp"
#include "main_window.hpp"
#if MEMLOG_WITH_REDIS
#include "panels/mirror_panel.hpp"
#endif
#include "panels/simulation_panel.hpp"
#include "panels/source_panel.hpp"
#include "segments/segments_view.hpp"
#include "table/record_table_view.hpp"

using namespace Qt::StringLiterals;

void MainWindow::buildLessonsMenu() {
  // The built-ins (each starts on a new log with its own setup), a lesson file, and the playing
  // lesson's steps — → ← and Space work anywhere in the window; the menu says so.
  QMenu* lessons = menuBar()->addMenu(u"L&essons"_s);
  lessons->setToolTipsVisible(true);
  int number = 1;
  for (const Lesson& lesson : builtInLessons()) {
    const QString mnemonic = number <= 9 ? u"&%1 "_s.arg(number) : QString();
    ++number;
    QAction* start = lessons->addAction(mnemonic + lesson.title);
    start->setToolTip(lesson.summary);
    connect(start, &QAction::triggered, this, [this, name = lesson.name] { emit lessonRequested(name); });
  }
  lessons->addSeparator();
  lessons->addAction(u"&Open lesson file…"_s, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, u"Open a lesson"_s, QString(), u"Lessons (*.json)"_s);
    if (!file.isEmpty()) emit lessonRequested(file);
  });
  lessons->addSeparator();
  // The window's shortcuts do the work: the menu shows them without taking them over.
  QAction* next = lessons->addAction(u"&Next step\t→ / Space"_s, this, [this] {
    if (m_lessons->player()) m_lessons->player()->next();
  });
  QAction* back = lessons->addAction(u"&Previous step\t←"_s, this, [this] {
    if (m_lessons->player()) m_lessons->player()->back();
  });
  QAction* restart = lessons->addAction(u"&Restart lesson"_s, this, [this] {
    if (const LessonPlayer* player = m_lessons->player())
      emit lessonRequested(player->lesson().file.startsWith(u":/"_s) ? player->lesson().name : player->lesson().file);
  });
  connect(lessons, &QMenu::aboutToShow, this, [this, next, back, restart] {
    const LessonPlayer* player = m_lessons->player();
    next->setEnabled(player && !player->isFinished());
    back->setEnabled(player && player->current() > 0);
    restart->setEnabled(player);
  });
}

void MainWindow::showLesson(LessonPlayer* player) {
  m_lessons->setPlayer(player);
  // While a lesson plays, its panel stays in sight: out of the tabs it shares with the source and
  // the configuration (panels a step may point at, which would hide it when raised), below the
  // consumers. (Split against a tabbed dock, Qt only tabs it again.)
  if (tabifiedDockWidgets(m_lessonsDock).contains(m_sourceDock)) {
    removeDockWidget(m_lessonsDock);
    splitDockWidget(m_consumersDock, m_lessonsDock, Qt::Vertical);
    m_lessonsDock->show();
    resizeDocks({m_sourceDock, m_consumersDock, m_lessonsDock}, {27, 36, 37}, Qt::Vertical);
  }
  m_lessonsDock->show();
  m_lessonsDock->raise();
}

void MainWindow::highlight(const QString& target) {
  // The lesson's target: a part of the segments picture, a chart or one of its series, the
  // table or one of its rows, a panel's dock, a control. Its dock is raised first, so that the
  // ring is seen. A row or a series not there (yet, or any more): the ring is around the table
  // or the chart. The row pointed at and the series emphasised end with the next highlight.
  const auto raiseDockOf = [](QWidget* w) {
    for (QWidget* p = w; p; p = p->parentWidget())
      if (auto* dock = qobject_cast<QDockWidget*>(p)) {
        dock->show();
        dock->raise();
        return;
      }
  };
  QWidget* widget = nullptr;
  std::function<QRectF()> part;
  if (target.startsWith(u"segment:"_s) || target.startsWith(u"consumer:"_s)) {
    widget = m_segments;
    const QString name = target.startsWith(u"segment:"_s) ? target.mid(8) : target;
    part = [this, name] { return m_segments->partRect(name); };
  } else if (target.startsWith(u"chart:"_s)) {
    widget = m_charts->chart(target.mid(6));
  } else if (target.startsWith(u"series:"_s)) {
    const QString chart = target.section(u':', 1, 1), name = target.section(u':', 2);
    widget = m_charts->chart(chart);
    part = [this, chart, name] { return m_charts->legendRect(chart, name); };
  } else if (target == u"table"_s) {
    widget = m_table;
  } else if (target.startsWith(u"row:"_s)) {
    widget = m_table;
    part = [this] { return QRectF(m_table->pointedRect()); };
  } else if (target == u"panel:mirror"_s) {
#if MEMLOG_WITH_REDIS
    widget = m_sourcePanel->mirrorPanel();  // in the source panel (a lesson without Redis never names it)
#endif
  } else if (target.startsWith(u"panel:"_s)) {
    if (QDockWidget* d = dock(target.mid(6))) widget = d->widget();
  } else if (target == u"control:rate"_s) {
    widget = m_sourcePanel->rateField();
  } else if (target == u"control:step"_s) {
    widget = m_sourcePanel->simulationPanel()->stepButton();
  } else if (target == u"control:crash"_s) {
    widget = m_sourcePanel->crashButton();
  }
  if (widget) {
    raiseDockOf(widget);
    // A control below the fold of a scrolled panel (the source panel's crash button, its mirror)
    // is scrolled into sight.
    for (QWidget* p = widget->parentWidget(); p; p = p->parentWidget())
      if (auto* area = qobject_cast<QScrollArea*>(p)) {
        area->ensureWidgetVisible(widget, 0, 0);
        break;
      }
  }
  pointAtRow(target.startsWith(u"row:"_s) ? target.mid(4) : QString());
  const bool series = target.startsWith(u"series:"_s);
  m_charts->emphasise(series ? target.section(u':', 1, 1) : QString(), series ? target.section(u':', 2) : QString());
  m_highlight->show(widget, part);
}

void MainWindow::pointAtRow(const QString& row) {
  using Row = RecordTableView::Row;
  bool isOffset = false;
  const qint64 offset = row.toLongLong(&isOffset);
  if (row == u"latest"_s || row == u"earliest"_s)
    m_table->pointAt(row == u"latest"_s ? Row::latest : Row::earliest);
  else
    m_table->pointAt(isOffset && offset >= 0 ? Row::offset : Row::none, offset);
}

void MainWindow::openCompare() {
  const ShardingOptions sharding = m_session->isSharded() ? m_session->shards()->options() : ShardingOptions{};
  CompareDialog dialog(m_session->adapter()->log()->options(), sharding, this);
  if (dialog.exec() != QDialog::Accepted) return;
  openCompareWith(dialog.options(), dialog.sharding());
}

CompareWindow* MainWindow::openCompareWith(const memlog::Options& other, const ShardingOptions& sharding) {
  QString why = log_limits::validate(other);
  if (why.isEmpty() && sharding.sharded()) why = sharding::validate(sharding);
  if (!why.isEmpty()) {
    m_warning->setText(why);
    return nullptr;
  }
  if (m_compare) m_compare->close();                          // one comparison at a time
  m_compare = new CompareWindow(m_session, other, sharding);  // deletes itself when closed
  m_compare->setAttribute(Qt::WA_DeleteOnClose);
  const int shards = m_session->isSharded() ? m_session->shards()->count() : 0;
  m_compare->setWindowTitle(shards != sharding.shards ? u"memlog monitor — compare shard counts"_s
                                                      : u"memlog monitor — compare segment sizes"_s);
  m_compare->placeOver(frameGeometry(), screen()->availableGeometry());
  m_compare->show();
  return m_compare;
}

void MainWindow::setPresenterMode(bool on) {
  if (on == m_presenting) return;
  m_presenting = on;
  if (m_presentAction->isChecked() != on) m_presentAction->setChecked(on);
  if (on) {
    // Kept to put back as it was: the docks' arrangement, the window's geometry, the font.
    m_beforePresenting = saveState();
    m_geometryBeforePresenting = saveGeometry();
    m_rectBeforePresenting = geometry();
    m_fontBeforePresenting = font();
    QFont big = font();
    big.setPointSizeF(font().pointSizeF() * 1.45);  // readable from the back of a room on 720 lines
    setFont(big);
    m_segments->setMarkerScale(1.6);
    for (QDockWidget* d : findChildren<QDockWidget*>()) d->hide();
    m_table->hide();
    m_charts->showOnly(u"lag"_s);
    // The picture across the top; the chart and the lesson side by side below it (the right
    // column's corners go back to the bottom area while presenting).
    setCorner(Qt::TopRightCorner, Qt::TopDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    removeDockWidget(m_segmentsDock);
    addDockWidget(Qt::TopDockWidgetArea, m_segmentsDock);
    removeDockWidget(m_chartsDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_chartsDock);
    removeDockWidget(m_lessonsDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_lessonsDock);
    splitDockWidget(m_chartsDock, m_lessonsDock, Qt::Horizontal);
    for (QDockWidget* d : {m_segmentsDock, m_lessonsDock, m_chartsDock}) d->show();
    showFullScreen();
    // Once full screen (a window manager resizes the window later): half and half.
    QTimer::singleShot(100, this, [this] {
      if (!m_presenting) return;
      resizeDocks({m_segmentsDock, m_chartsDock}, {height() / 2, height() / 2}, Qt::Vertical);
      resizeDocks({m_chartsDock, m_lessonsDock}, {width() * 2 / 5, width() * 3 / 5}, Qt::Horizontal);
    });
  } else {
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    setFont(m_fontBeforePresenting);
    m_segments->setMarkerScale(1.0);
    m_charts->showOnly({});
    m_table->show();
    showNormal();
    restoreState(m_beforePresenting);
    restoreGeometry(m_geometryBeforePresenting);
    // Without a window manager's frame (a kiosk, Xvfb) restoreGeometry puts the window a title
    // bar lower than it was, its bottom off the screen: the window's own rect is exact.
    if (!isMaximized()) setGeometry(m_rectBeforePresenting);
  }
  m_highlight->update();
}
