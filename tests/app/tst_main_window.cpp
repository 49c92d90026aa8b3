// SPDX-License-Identifier: MIT
// MainWindow's layout: the first start fits the screen it opens on (all of a small one, most
// of a large one), every dock is there and usable — the consumers table shows several rows —
// and a remembered geometry from a larger screen is brought back onto a smaller one. A lesson's
// highlight of a row rings that row (and follows it), of a series emphasises it.
#include <QApplication>
#include <QChartView>
#include <QCheckBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXYSeries>

#include "adapter/log_session.hpp"
#include "charts/charts_panel.hpp"
#include "compare/compare_dialog.hpp"
#include "compare/compare_session.hpp"
#include "compare/compare_window.hpp"
#include "lessons/highlight_overlay.hpp"
#include "lessons/lesson_player.hpp"
#include "main_window.hpp"
#include "panels/configuration_panel.hpp"
#include "panels/consumers_panel.hpp"
#include "panels/sharding_panel.hpp"
#include "segments/segments_view.hpp"
#include "server/log_server.hpp"
#include "table/record_table_model.hpp"
#include "table/record_table_view.hpp"

namespace {
// Where the table draws the row of `offset` (every cell of it), in the window's coordinates.
QRect rowInWindow(MainWindow& window, qint64 offset) {
  QTableView* table = window.recordTable()->table();
  const int row = window.recordTable()->model()->rowOf(offset);
  QRect cells;
  for (int column = 0; column < table->model()->columnCount(); ++column)
    cells |= table->visualRect(table->model()->index(row, column));
  return cells.translated(table->viewport()->mapTo(&window, QPoint(0, 0)));
}
QRect inWindow(MainWindow& window, const QWidget* widget, QRect rect = {}) {
  return (rect.isNull() ? widget->rect() : rect).translated(widget->mapTo(&window, QPoint(0, 0)));
}
// The ring the overlay draws around `rect` (in the window's coordinates): a few pixels out.
QRect ringAround(MainWindow& window, const QRect& rect) {
  return rect.adjusted(-4, -4, 4, 4).intersected(window.rect());
}
}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void firstStartFitsTheScreen_data() {
    QTest::addColumn<QRect>("available");
    QTest::addColumn<bool>("whole");  // a small screen is used whole
    QTest::addRow("1280x720 projector") << QRect(0, 0, 1280, 720) << true;
    QTest::addRow("1366x768 laptop") << QRect(0, 0, 1366, 768) << true;
    QTest::addRow("1920x1080 below a panel") << QRect(0, 32, 1920, 1048) << false;
    QTest::addRow("2560x1440 second screen") << QRect(1920, 0, 2560, 1440) << false;
  }
  void firstStartFitsTheScreen() {
    QFETCH(QRect, available);
    QFETCH(bool, whole);
    LogSession session({.segment_size = 20}, {.rate = 50});
    MainWindow window(&session);
    window.fitToScreen(available);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.keepOnScreen(available);                                    // as main() does once the frame is known
    QVERIFY(window.minimumSizeHint().height() <= available.height());  // the layout allows it
    QVERIFY2(available.contains(window.frameGeometry()), qPrintable(QStringLiteral("%1,%2 %3x%4 frame %5,%6 %7x%8")
                                                                        .arg(window.geometry().x())
                                                                        .arg(window.geometry().y())
                                                                        .arg(window.width())
                                                                        .arg(window.height())
                                                                        .arg(window.frameGeometry().x())
                                                                        .arg(window.frameGeometry().y())
                                                                        .arg(window.frameGeometry().width())
                                                                        .arg(window.frameGeometry().height())));
    if (whole)
      QCOMPARE(window.frameGeometry().size(), available.size());
    else
      QVERIFY(window.width() >= available.width() * 3 / 4 && window.height() >= available.height() * 3 / 4);

    // Every dock is open, with room to be used: shown, or a tab of a shown group.
    for (const QString& name :
         {QStringLiteral("segments"), QStringLiteral("source"), QStringLiteral("consumers"),
          QStringLiteral("configuration"), QStringLiteral("charts"), QStringLiteral("timeline")}) {
      QDockWidget* dock = window.dock(name);
      QVERIFY2(dock != nullptr, qPrintable(name));
      QVERIFY2(!dock->isFloating() && dock->toggleViewAction()->isChecked(), qPrintable(name));
      // A tab of a group counts when the group has the room (one click shows it there).
      QList<QDockWidget*> group = window.tabifiedDockWidgets(dock);
      group.append(dock);
      QSize room;
      for (QDockWidget* d : group)
        if (d->isVisible() && window.rect().intersects(d->geometry())) room = room.expandedTo(d->size());
      QVERIFY2(room.height() >= 120 && room.width() >= 300,
               qPrintable(QStringLiteral("%1: %2x%3").arg(name).arg(room.width()).arg(room.height())));
    }
    // The consumers table shows at least three rows, not one and a half.
    auto* consumers = window.findChild<ConsumersPanel*>();
    QVERIFY(consumers != nullptr);
    QTableView* table = consumers->table();
    const int rows = table->viewport()->height() / table->verticalHeader()->defaultSectionSize();
    QVERIFY2(rows >= 3, qPrintable(QString::number(rows)));
  }

  // Lessons menu: every built-in (choosing one asks for it), a lesson file, and the playing
  // lesson's steps, enabled while one plays.
  void lessonsMenu() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    QMenu* menu = nullptr;
    for (QAction* a : window.menuBar()->actions())
      if (a->text() == QStringLiteral("L&essons")) menu = a->menu();
    QVERIFY(menu);
    const auto find = [menu](const QString& start) -> QAction* {
      for (QAction* a : menu->actions())
        if (a->text().remove(u'&').contains(start)) return a;
      return nullptr;
    };
    const std::vector<Lesson> lessons = builtInLessons();
    QVERIFY(lessons.size() >= 7);
    for (const Lesson& lesson : lessons) QVERIFY2(find(lesson.title), qPrintable(lesson.title));
    QVERIFY(find(QStringLiteral("Open lesson file")));
    QSignalSpy requested(&window, &MainWindow::lessonRequested);
    find(lessons[1].title)->trigger();
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).toString(), lessons[1].name);
    emit menu->aboutToShow();  // no lesson: nothing to step through
    QVERIFY(!find(QStringLiteral("Next step"))->isEnabled());
    QVERIFY(!find(QStringLiteral("Restart lesson"))->isEnabled());
    LessonPlayer player(&session, lessons[0]);
    window.showLesson(&player);
    player.start();
    emit menu->aboutToShow();
    QVERIFY(find(QStringLiteral("Next step"))->isEnabled());
    QVERIFY(!find(QStringLiteral("Previous step"))->isEnabled());
    find(QStringLiteral("Next step"))->trigger();
    QCOMPARE(player.current(), 1);
    emit menu->aboutToShow();
    QVERIFY(find(QStringLiteral("Previous step"))->isEnabled());
    find(QStringLiteral("Restart lesson"))->trigger();
    QCOMPARE(requested.at(1).at(0).toString(), lessons[0].name);
  }

  // While a lesson plays its panel stays in sight at 1280×720: out of the tabs of the source and
  // the configuration, so that a step pointing at those panels does not hide the narration.
  void lessonPanelStaysInSight() {
    QString error;
    const auto lesson = loadLesson(QStringLiteral("redis"), &error);
    QVERIFY2(lesson || !MEMLOG_WITH_REDIS, qPrintable(error));
    if (!lesson) QSKIP("no Redis in this build: no redis lesson");
    LogSession session(lesson->log, lesson->source);
    LessonPlayer player(&session, *lesson);
    MainWindow window(&session);
    window.showLesson(&player);
    window.fitToScreen(QRect(0, 0, 1280, 720));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QDockWidget* lessons = window.dock(QStringLiteral("lessons"));
    QVERIFY(lessons);
    QVERIFY(!window.tabifiedDockWidgets(lessons).contains(window.dock(QStringLiteral("source"))));
    for (const QString& target : {QStringLiteral("panel:source"), QStringLiteral("panel:configuration"),
                                  QStringLiteral("panel:mirror"), QStringLiteral("control:crash")}) {
      window.highlight(target);
      QVERIFY2(lessons->isVisible() && !lessons->visibleRegion().isEmpty(), qPrintable(target));
      QVERIFY2(lessons->height() >= 200, qPrintable(QString::number(lessons->height())));
    }
    // The mirror's panel, below the fold of the source panel, is scrolled into sight and ringed.
    window.highlight(QStringLiteral("panel:mirror"));
    auto* overlay = window.findChild<HighlightOverlay*>();
    QVERIFY(overlay && !overlay->ringRect().isEmpty());
    QVERIFY(window.dock(QStringLiteral("source"))->geometry().intersects(overlay->ringRect()));
  }

  void rememberedGeometryIsBroughtOntoASmallerScreen_data() {
    QTest::addColumn<QRect>("saved");
    QTest::addRow("larger than the screen") << QRect(0, 0, 1900, 1050);
    QTest::addRow("off to the right and below") << QRect(1700, 900, 800, 500);
    QTest::addRow("above and left") << QRect(-500, -300, 900, 600);
  }
  void rememberedGeometryIsBroughtOntoASmallerScreen() {
    QFETCH(QRect, saved);
    const QRect available(0, 0, 1280, 720);
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    window.fitToScreen(available);
    window.setGeometry(saved);
    window.keepOnScreen(available);
    QVERIFY2(
        available.contains(window.frameGeometry()),
        qPrintable(
            QStringLiteral("%1,%2 %3x%4").arg(window.x()).arg(window.y()).arg(window.width()).arg(window.height())));
  }

  // A server shown (--serve, or the serving lesson's start_server): the status bar says where
  // it listens; shown again, nothing is added twice.
  void statusBarSaysWhereTheServerListens() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    LogServer server(session.adapter());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0, 0));
    MainWindow window(&session);
    window.showServer(&server);
    window.showServer(&server);
    const QString http = QStringLiteral("http://127.0.0.1:%1/").arg(server.httpPort());
    const QString ws = QStringLiteral("ws://127.0.0.1:%1/stream").arg(server.webSocketPort());
    int found = 0;
    for (const QLabel* label : window.statusBar()->findChildren<QLabel*>())
      if (label->text().contains(http) && label->text().contains(ws)) ++found;
    QCOMPARE(found, 1);
  }

  // View → Pause views pauses the charts, and their own "Pause charts" box says so.
  void pauseViewsChecksTheChartsBox() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    auto* charts = window.findChild<ChartsPanel*>();
    QVERIFY(charts != nullptr);
    window.setViewsPaused(true);
    QVERIFY(charts->isPaused());
    QVERIFY(charts->pauseBox()->isChecked());
    window.setViewsPaused(false);
    QVERIFY(!charts->isPaused());
    QVERIFY(!charts->pauseBox()->isChecked());
    charts->pauseBox()->setChecked(true);  // the box itself still pauses
    QVERIFY(charts->isPaused());
  }

  void geometryThatFitsStaysAsSaved() {
    const QRect available(0, 0, 1920, 1080);
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    window.fitToScreen(available);
    const QRect saved(100, 80, 1300, 800);
    window.setGeometry(saved);
    window.keepOnScreen(available);
    QCOMPARE(window.geometry(), saved);
  }

  // Every action from the keyboard: each menu entry has a mnemonic, unique within its menu, and
  // Alt+1… go to each panel (raised if tabbed behind another) with the focus in it.
  void menusHaveMnemonics() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    QList<QMenu*> menus;
    for (QAction* top : window.menuBar()->actions()) menus << top->menu();
    for (int i = 0; i < menus.size(); ++i) {  // submenus join the list as they are found
      QSet<QChar> letters;
      for (QAction* action : menus.at(i)->actions()) {
        if (action->isSeparator()) continue;
        if (action->menu()) menus << action->menu();
        const QString text = action->text();
        const qsizetype amp = text.indexOf(u'&');
        QVERIFY2(amp >= 0 && amp + 1 < text.size(), qPrintable(menus.at(i)->title() + QStringLiteral(": ") + text));
        const QChar letter = text.at(amp + 1).toLower();
        QVERIFY2(!letters.contains(letter), qPrintable(menus.at(i)->title() + QStringLiteral(": ") + text));
        letters.insert(letter);
      }
    }
  }

  void everyPanelIsReachableFromTheKeyboard() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    window.fitToScreen(QRect(0, 0, 1280, 720));  // charts and timeline tabbed: one hidden
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QMenu* goTo = nullptr;
    for (QMenu* menu : window.findChildren<QMenu*>())
      if (menu->title() == QStringLiteral("&Go to panel")) goTo = menu;
    QVERIFY(goTo != nullptr);
    const QList<QAction*> actions = goTo->actions();
    QCOMPARE(actions.size(), 8);  // the records table and seven docks
    for (int i = 0; i < actions.size(); ++i) {
      QCOMPARE(actions.at(i)->shortcut(), QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + i)));
      actions.at(i)->trigger();
      QWidget* focus = QApplication::focusWidget();
      QVERIFY2(focus != nullptr, qPrintable(actions.at(i)->text()));
      if (i == 0) {
        QCOMPARE(focus, window.recordTable()->table());
      } else {
        QDockWidget* dock = nullptr;
        for (QDockWidget* d : window.findChildren<QDockWidget*>())
          if (d->windowTitle() == QString(actions.at(i)->text()).remove(u'&')) dock = d;
        QVERIFY(dock != nullptr);
        QVERIFY2(dock->isAncestorOf(focus), qPrintable(actions.at(i)->text()));
        QVERIFY2(focus->isVisible(), qPrintable(actions.at(i)->text()));
      }
    }
    // Tab reaches the painted views: the segments picture and the charts.
    bool segments = false;
    int charts = 0;
    QWidget* w = window.recordTable()->table();
    for (int hops = 0; hops < 500; ++hops) {
      w = w->nextInFocusChain();
      if (w == window.recordTable()->table()) break;
      if (!(w->focusPolicy() & Qt::TabFocus)) continue;
      segments |= w == static_cast<QWidget*>(window.segments());
      charts += w->inherits("QChartView");
    }
    QVERIFY(segments);
    QCOMPARE(charts, 3);
  }

  // A sharded session: the shard docks are there and usable at 1280×720, the table has its
  // shard and key columns, and going to SHARD:OFFSET shows that shard.
  void shardedWindow() {
    ShardingOptions sharding;
    sharding.shards = 8;
    LogSession session({.segment_size = 50}, {.rate = 0}, sharding);
    for (int n = 0; n < 400; ++n) session.source()->step();
    MainWindow window(&session);
    window.fitToScreen(QRect(0, 0, 1280, 720));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.keepOnScreen(QRect(0, 0, 1280, 720));
    QVERIFY2(window.frameGeometry().width() <= 1280, qPrintable(QString::number(window.frameGeometry().width())));
    for (const QString& name : {QStringLiteral("shards"), QStringLiteral("routing"), QStringLiteral("skew")}) {
      QDockWidget* dock = window.dock(name);
      QVERIFY2(dock != nullptr, qPrintable(name));
      QVERIFY2(!dock->isHidden(), qPrintable(name));
    }
    QCOMPARE(window.dock(QStringLiteral("segments"))->windowTitle(), QStringLiteral("Segments of shard #0"));
    QCOMPARE(window.recordTable()->model()->columnCount(), static_cast<int>(RecordTableModel::ColumnCount));
    const int shard = static_cast<int>(*session.shards()->log()->shard_of("th-005"));
    QString why;
    QVERIFY2(window.recordTable()->goToShardOffset(shard, 3, &why), qPrintable(why));
    QCOMPARE(session.shards()->focused(), shard);
    QCOMPARE(window.recordTable()->shownOffset(), qint64{3});
    QCOMPARE(window.dock(QStringLiteral("segments"))->windowTitle(),
             QStringLiteral("Segments of shard #%1").arg(shard));
    QVERIFY(!window.recordTable()->goToShardOffset(8, 0, &why));
    QVERIFY2(why.contains(QStringLiteral("no shard 8")), qPrintable(why));
  }

  // Sharding from the configuration dock asks main() for a new log; bad values never do.
  void shardingPanelAsksForANewLog() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    ShardingPanel* panel = window.shardingPanel();
    QVERIFY(panel != nullptr);
    panel->setConfirmationEnabled(false);
    QSignalSpy restart(&window, &MainWindow::restartRequested);
    QVERIFY(panel->apply(QStringLiteral("2000"), QString(), QString()).contains(QStringLiteral("from 2 to 1024")));
    QVERIFY(panel->apply(QStringLiteral("4"), QStringLiteral("a\"b"), QString()).contains(QStringLiteral("key field")));
    QVERIFY(
        panel->apply(QStringLiteral("2"), QString(), QStringLiteral("keys:a,b,c")).contains(QStringLiteral("3 keys")));
    QVERIFY(panel->apply(QString(), QStringLiteral("sku"), QString()).contains(QStringLiteral("2 shards or more")));
    QCOMPARE(restart.count(), 0);
    QCOMPARE(panel->apply(QStringLiteral("16"), QStringLiteral("sku"), QStringLiteral("fnv")), QString());
    QCOMPARE(restart.count(), 1);
    const auto sharding = restart.at(0).at(1).value<ShardingOptions>();
    QCOMPARE(sharding.shards, 16);
    QCOMPARE(sharding.keyField, QStringLiteral("sku"));
    QCOMPARE(restart.at(0).at(0).value<memlog::Options>().segment_size, 20u);
    // Already one log: nothing to do.
    QCOMPARE(panel->apply(QStringLiteral("1"), QString(), QString()), QString());
    QCOMPARE(restart.count(), 1);
  }

  // A sharded log's segment size is applied by starting it anew, never by the adapter (which
  // holds one shard).
  void shardedSegmentSizeAsksForANewLog() {
    ShardingOptions sharding;
    sharding.shards = 4;
    LogSession session({.segment_size = 20}, {.rate = 0}, sharding);
    MainWindow window(&session);
    auto* configuration = window.findChild<ConfigurationPanel*>();
    QVERIFY(configuration != nullptr);
    configuration->setConfirmationEnabled(false);
    QSignalSpy restart(&window, &MainWindow::restartRequested);
    QSignalSpy replaced(session.adapter(), &LogAdapter::logReplaced);
    QCOMPARE(configuration->apply(QStringLiteral("300"), QStringLiteral("1000"), QString()), QString());
    QCOMPARE(restart.count(), 1);
    QCOMPARE(replaced.count(), 0);
    QCOMPARE(restart.at(0).at(0).value<memlog::Options>().segment_size, 300u);
    QCOMPARE(restart.at(0).at(1).value<ShardingOptions>().shards, 4);
  }

  // Presenter mode: only the segments picture, the lesson and the lag chart, larger text; leaving
  // it puts every dock and the table back as they were.
  void presenterModeAndBack() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    window.fitToScreen(QRect(0, 0, 1280, 720));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList shown;
    for (QDockWidget* d : window.findChildren<QDockWidget*>())
      if (!d->isHidden()) shown << d->objectName();
    const qreal size = window.font().pointSizeF();
    window.setPresenterMode(true);
    QVERIFY(window.isPresenting());
    QVERIFY(window.font().pointSizeF() > size * 1.3);
    QVERIFY(window.recordTable()->isHidden());
    QStringList presenting;
    for (QDockWidget* d : window.findChildren<QDockWidget*>())
      if (!d->isHidden()) presenting << d->objectName();
    presenting.sort();
    QCOMPARE(presenting,
             (QStringList{QStringLiteral("charts"), QStringLiteral("lessons"), QStringLiteral("segments")}));
    window.setPresenterMode(false);
    QVERIFY(!window.isPresenting());
    QCOMPARE(window.font().pointSizeF(), size);
    QVERIFY(!window.recordTable()->isHidden());
    QStringList back;
    for (QDockWidget* d : window.findChildren<QDockWidget*>())
      if (!d->isHidden()) back << d->objectName();
    back.sort();
    shown.sort();
    QCOMPARE(back, shown);
  }

  // A lesson's row:N: the table scrolls to the record at offset N (it was following the newest)
  // and the ring is around that row, following it as rows arrive; a row not written yet: the
  // ring around the table until it comes, then around it, scrolled to; row:latest follows the
  // newest; a purged row: the table.
  void highlightRowRingsTheRecord() {
    LogSession session({.segment_size = 1000}, {.rate = 0});
    for (int n = 0; n < 300; ++n) session.source()->step();
    MainWindow window(&session);
    window.fitToScreen(QRect(0, 0, 1280, 720));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    RecordTableView* records = window.recordTable();
    HighlightOverlay* overlay = window.highlightOverlay();
    QTRY_COMPARE(records->model()->rowCount(), 300);
    const QRect viewport = inWindow(window, records->table()->viewport());
    QVERIFY(!viewport.contains(rowInWindow(window, 5)));  // following the newest: offset 5 out of sight

    window.highlight(QStringLiteral("row:5"));
    QVERIFY2(viewport.contains(rowInWindow(window, 5)), "scrolled to the row");
    QCOMPARE(overlay->ringRect(), ringAround(window, rowInWindow(window, 5)));
    QVERIFY(inWindow(window, records).contains(rowInWindow(window, 5)));
    for (int n = 0; n < 100; ++n) session.source()->step();
    QTRY_COMPARE(records->model()->rowCount(), 400);
    QVERIFY2(viewport.contains(rowInWindow(window, 5)), "the new rows did not scroll it away");
    QCOMPARE(overlay->ringRect(), ringAround(window, rowInWindow(window, 5)));

    window.highlight(QStringLiteral("row:450"));  // not written yet
    QCOMPARE(overlay->ringRect(), ringAround(window, inWindow(window, records)));
    for (int n = 0; n < 100; ++n) session.source()->step();
    QTRY_COMPARE(records->model()->rowCount(), 500);
    QVERIFY2(viewport.contains(rowInWindow(window, 450)), "scrolled to the row when it came");
    QCOMPARE(overlay->ringRect(), ringAround(window, rowInWindow(window, 450)));

    window.highlight(QStringLiteral("row:latest"));
    QCOMPARE(overlay->ringRect(), ringAround(window, rowInWindow(window, 499)));
    for (int n = 0; n < 10; ++n) session.source()->step();
    QTRY_COMPARE(records->model()->rowCount(), 510);
    QVERIFY(viewport.contains(rowInWindow(window, 509)));
    QCOMPARE(overlay->ringRect(), ringAround(window, rowInWindow(window, 509)));

    window.highlight(QStringLiteral("row:earliest"));
    QVERIFY(viewport.contains(rowInWindow(window, 0)));
    QCOMPARE(overlay->ringRect(), ringAround(window, rowInWindow(window, 0)));
    window.highlight(QString());
    QVERIFY(overlay->ringRect().isEmpty());
  }

  void highlightPurgedRowRingsTheTable() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    for (int n = 0; n < 100; ++n) session.source()->step();
    MainWindow window(&session);
    window.fitToScreen(QRect(0, 0, 1280, 720));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY(window.recordTable()->model()->firstOffset() > 0);
    window.highlight(QStringLiteral("row:0"));
    QCOMPARE(window.highlightOverlay()->ringRect(), ringAround(window, inWindow(window, window.recordTable())));
  }

  // A lesson's series:lag:NAME: that series drawn wider than the others of its chart (faded), the
  // ring around its legend marker; the next highlight restores every pen. A consumer's series
  // that comes after the highlight is emphasised when it comes.
  void highlightSeriesEmphasisesIt() {
    LogSession session({.segment_size = 50}, {.rate = 0});
    const memlog::sim::ConsumerStart earliest = memlog::sim::ConsumerStart::earliest;
    session.consumers()->add({.name = "slow", .pace = 1, .start = earliest, .offset = 0});
    session.consumers()->add({.name = "fast", .pace = 0, .start = earliest, .offset = 0});
    session.consumers()->refresh();
    MainWindow window(&session);
    window.fitToScreen(QRect(0, 0, 1280, 720));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* charts = window.findChild<ChartsPanel*>();
    QVERIFY(charts != nullptr);
    charts->sample();
    QXYSeries* slow = charts->series(QStringLiteral("lag"), QStringLiteral("slow"));
    QXYSeries* fast = charts->series(QStringLiteral("lag"), QStringLiteral("fast"));
    QXYSeries* reads = charts->series(QStringLiteral("writes"), QStringLiteral("reads:slow"));
    QVERIFY(slow && fast && reads);
    const qreal normal = fast->pen().widthF();
    QCOMPARE(slow->pen().widthF(), normal);

    window.highlight(QStringLiteral("series:lag:slow"));
    QVERIFY2(slow->pen().widthF() > fast->pen().widthF(), qPrintable(QString::number(slow->pen().widthF())));
    QVERIFY(fast->pen().color().alphaF() < 0.5F);  // the others faded
    QCOMPARE(reads->pen().widthF(), normal);       // another chart: as it was
    QCOMPARE(reads->pen().color().alphaF(), 1.0F);
    charts->sample();  // the charts set their pens each tick: the emphasis stays
    QVERIFY(slow->pen().widthF() > fast->pen().widthF());

    // The ring: around the slow consumer's legend marker, inside the lag chart, not all of it.
    QWidget* lagChart = charts->chart(QStringLiteral("lag"));
    QTRY_VERIFY(!charts->legendRect(QStringLiteral("lag"), QStringLiteral("slow")).isEmpty());
    const QRect marker = charts->legendRect(QStringLiteral("lag"), QStringLiteral("slow")).toAlignedRect();
    const QRect other = charts->legendRect(QStringLiteral("lag"), QStringLiteral("fast")).toAlignedRect();
    // Each series its own marker (side by side: they may share a pixel when rounded).
    QVERIFY(!other.isEmpty() && !marker.contains(other.center()) && !other.contains(marker.center()));
    const QRect ring = window.highlightOverlay()->ringRect();
    QCOMPARE(ring, ringAround(window, inWindow(window, lagChart, marker)));
    QVERIFY(inWindow(window, lagChart).contains(inWindow(window, lagChart, marker)));
    QVERIFY(ring.height() < lagChart->height() / 3);
    // The legend hidden: the ring around the chart.
    qobject_cast<QChartView*>(lagChart)->chart()->legend()->hide();
    QCOMPARE(window.highlightOverlay()->ringRect(), ringAround(window, inWindow(window, lagChart)));
    qobject_cast<QChartView*>(lagChart)->chart()->legend()->show();

    window.highlight(QStringLiteral("chart:lag"));  // the next highlight restores the pens
    QCOMPARE(slow->pen().widthF(), normal);
    QCOMPARE(fast->pen().widthF(), normal);
    QCOMPARE(fast->pen().color().alphaF(), 1.0F);

    // Highlighted before its series exists (a consumer added by the same step).
    window.highlight(QStringLiteral("series:lag:late"));
    QCOMPARE(window.highlightOverlay()->ringRect(), ringAround(window, inWindow(window, lagChart)));
    session.consumers()->add({.name = "late", .pace = 0, .start = earliest, .offset = 0});
    session.consumers()->refresh();
    charts->sample();
    QXYSeries* late = charts->series(QStringLiteral("lag"), QStringLiteral("late"));
    QVERIFY(late != nullptr);
    QVERIFY(late->pen().widthF() > slow->pen().widthF());
    window.highlight(QString());
    QCOMPARE(late->pen().widthF(), normal);
  }

  // View → Compare: a second window with the same records in a log of another segment size.
  void compareOpensBesideTheWindow() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    MainWindow window(&session);
    const auto segments = [](std::size_t size) { return memlog::Options{.segment_size = size}; };
    QPointer<CompareWindow> compare = window.openCompareWith(segments(200));
    QVERIFY(compare);
    QVERIFY(compare->isVisible());
    QCOMPARE(compare->title(CompareSession::Side::b), QStringLiteral("segment size 200"));
    for (int n = 0; n < 30; ++n) session.source()->step();
    QTRY_COMPARE_WITH_TIMEOUT(compare->session()->copied(), 30u, 5000);
    QVERIFY(window.openCompareWith(segments(0)) == nullptr);  // refused, with a message: the old one stays
    QVERIFY(compare);
    compare->close();  // deletes itself
    QTRY_VERIFY(compare.isNull());
  }

  // View → Compare with another log… in a sharded monitor: its dialog suggests four times the
  // shards, and what it gives opens a sharded second log (the monitor's sharder, all its shards
  // copied into the second one's).
  void compareShardCountsFromTheDialog() {
    ShardingOptions sharding;
    sharding.shards = 4;
    LogSession session({.segment_size = 20}, {.rate = 0}, sharding);
    MainWindow window(&session);
    QAction* action = nullptr;
    for (QAction* a : window.findChildren<QAction*>())
      if (a->text().startsWith(QStringLiteral("Co&mpare"))) action = a;
    QVERIFY(action);
    bool seen = false;
    QTimer::singleShot(0, &window, [&] {
      auto* dialog = qobject_cast<CompareDialog*>(QApplication::activeModalWidget());
      QVERIFY(dialog);
      seen = true;
      QCOMPARE(dialog->shardsBox()->value(), 16);
      QCOMPARE(dialog->segmentSizeBox()->value(), 20);
      dialog->accept();
    });
    action->trigger();  // runs the dialog
    QVERIFY(seen);
    QPointer<CompareWindow> compare;
    for (QWidget* w : QApplication::topLevelWidgets())
      if (auto* found = qobject_cast<CompareWindow*>(w)) compare = found;
    QVERIFY(compare);
    QCOMPARE(compare->windowTitle(), QStringLiteral("memlog monitor — compare shard counts"));
    QCOMPARE(compare->title(CompareSession::Side::b), QStringLiteral("16 shards × segment size 20"));
    QVERIFY(compare->session()->b()->isSharded());
    QCOMPARE(compare->session()->b()->shards()->count(), 16);
    for (int n = 0; n < 40; ++n) session.source()->step();
    QTRY_COMPARE_WITH_TIMEOUT(compare->session()->copied(), 40u, 5000);
    compare->close();
    QTRY_VERIFY(compare.isNull());
  }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
