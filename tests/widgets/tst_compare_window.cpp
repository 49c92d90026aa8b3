// SPDX-License-Identifier: MIT
// CompareWindow, offscreen: both logs' titles, segments pictures and figures; the better and
// the worse side of each difference marked in words (and bold), not by colour alone; a
// consumer added to both; closing stops the copier and drops the second log; the window fits
// 1280×720 and is saved as /tmp/memlog-compare.png for a person to look at. Sharded sides: a
// shard map each, titles with the shard count, a Shards row. The wording of the marks is
// checked on its own (compare_words).
#include <QComboBox>
#include <QLayout>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

#include "adapter/log_session.hpp"
#include "compare/compare_window.hpp"
#include "compare/compare_words.hpp"
#include "lessons/lesson_player.hpp"
#include "lessons/lessons_panel.hpp"
#include "segments/segments_view.hpp"
#include "shards/shard_map_view.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;
using compare_words::Figure;
using compare_words::Verdict;
using memlog::sim::ConsumerState;
using Side = CompareSession::Side;

namespace {
constexpr int kTimeout = 20000;

memlog::Options segments(std::size_t size) {
  memlog::Options options;
  options.segment_size = size;
  return options;
}

ShardingOptions shardsOf(int n) {
  ShardingOptions options;
  options.shards = n;  // the fnv sharder; 0 = one log
  return options;
}

memlog::sim::SourceOptions source(double rate) {
  memlog::sim::SourceOptions options;
  options.rate = rate;
  return options;
}

// The row of `figure` (first column) in a figures table, or -1.
int rowOf(const QTableWidget* table, const QString& figure) {
  for (int row = 0; row < table->rowCount(); ++row)
    if (table->item(row, 0) != nullptr && table->item(row, 0)->text() == figure) return row;
  return -1;
}

QString markOf(const QTableWidget* table, const QString& figure) {
  const int row = rowOf(table, figure);
  return row < 0 || table->item(row, 2) == nullptr ? QString() : table->item(row, 2)->text();
}

bool markIsBold(const QTableWidget* table, const QString& figure) {
  const int row = rowOf(table, figure);
  return row >= 0 && table->item(row, 2) != nullptr && table->item(row, 2)->font().bold();
}
}  // namespace

class TestCompareWindow : public QObject {
  Q_OBJECT

 private slots:
  void showsBothLogsAndMarksTheDifferences() {
    // At 300 records/s the slow consumer is overtaken on a within a second, on b after 2,000
    // records (6.7 s): the picture is taken between the two.
    LogSession a(segments(100), source(300));
    memlog::sim::ConsumerOptions slow;
    slow.name = "slow";
    slow.pace = 50;
    a.consumers()->add(slow);
    QPointer<CompareWindow> window = new CompareWindow(&a, segments(1000));
    window->resize(1280, 720);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    a.source()->start();

    QCOMPARE(window->findChildren<SegmentsView*>().size(), 2);
    QVERIFY(window->segmentsView(Side::a) != window->segmentsView(Side::b));
    QCOMPARE(window->title(Side::a), u"segment size 100"_s);
    QCOMPARE(window->title(Side::b), u"segment size 1000"_s);
    const QTableWidget* figuresA = window->figuresTable(Side::a);
    const QTableWidget* figuresB = window->figuresTable(Side::b);

    // Enough records for b to have sealed a segment, and the slow consumer overtaken on a.
    const auto logB = window->session()->b()->adapter()->log();
    QTRY_VERIFY_WITH_TIMEOUT(logB->stats().segments_sealed >= 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(window->segmentsView(Side::b)->geometry().hasHistory, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(markOf(figuresA, u"Consumer “slow”"_s), u"worse: overtaken here only"_s, kTimeout);
    QCOMPARE(markOf(figuresB, u"Consumer “slow”"_s), u"better: not overtaken here"_s);
    QVERIFY(markIsBold(figuresA, u"Consumer “slow”"_s));
    QVERIFY(markIsBold(figuresB, u"Consumer “slow”"_s));
    const int slowRow = rowOf(figuresA, u"Consumer “slow”"_s);
    QVERIFY(figuresA->item(slowRow, 1)->text().startsWith(Theme::stateWord(ConsumerState::fell_behind)));

    // b keeps more records for longer, in more memory; a purges more often.
    QTRY_VERIFY_WITH_TIMEOUT(markOf(figuresB, u"Retained"_s).startsWith(u"better: keeps "_s), kTimeout);
    QVERIFY(markOf(figuresB, u"Retained"_s).endsWith(u"× the records"_s));
    QVERIFY(markOf(figuresA, u"Retained"_s).startsWith(u"worse: keeps "_s));
    QTRY_VERIFY_WITH_TIMEOUT(markOf(figuresB, u"Memory"_s).startsWith(u"worse: "_s), kTimeout);
    QVERIFY(markOf(figuresB, u"Memory"_s).endsWith(u"× the memory"_s));
    QVERIFY(markOf(figuresA, u"Memory"_s).startsWith(u"better: "_s));
    QTRY_VERIFY_WITH_TIMEOUT(markOf(figuresA, u"Retention"_s).startsWith(u"worse: "_s), kTimeout);
    QVERIFY(markOf(figuresB, u"Retention"_s).endsWith(u"longer"_s));
    // b has not purged yet (it will after 2,000 records): a's purges are its own.
    QTRY_COMPARE_WITH_TIMEOUT(markOf(figuresA, u"Purges since opened"_s), u"purged here only"_s, kTimeout);
    QCOMPARE(markOf(figuresB, u"Purges since opened"_s), u"no purge yet"_s);
    for (const QString& figure : {u"Retained"_s, u"Retention"_s, u"Memory"_s, u"Purges since opened"_s})
      QVERIFY2(markIsBold(figuresA, figure) || markIsBold(figuresB, figure), qPrintable(figure));

    // At 1280×720 everything fits: both pictures get a fair share of the width.
    QVERIFY(window->layout()->minimumSize().width() <= 1280);
    QVERIFY(window->layout()->minimumSize().height() <= 720);
    QVERIFY(window->segmentsView(Side::a)->width() >= 500);
    QCOMPARE(window->segmentsView(Side::a)->width(), window->segmentsView(Side::b)->width());
    QVERIFY(window->segmentsView(Side::a)->height() >= 120);

    QImage image(1280, 720, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    window->render(&image);
    QVERIFY(image.save(u"/tmp/memlog-compare.png"_s));
    window->close();
  }

  void addsAConsumerToBoth() {
    LogSession a(segments(100), source(200));
    QPointer<CompareWindow> window = new CompareWindow(&a, segments(1000));
    window->findChild<QLineEdit*>()->setText(u"mine"_s);
    window->findChild<QSpinBox*>()->setValue(7);
    const auto buttons = window->findChildren<QPushButton*>();
    const auto add = std::find_if(buttons.begin(), buttons.end(),
                                  [](const QPushButton* b) { return b->text() == u"Add consumer to both"_s; });
    QVERIFY(add != buttons.end());
    (*add)->click();
    for (LogSession* session : {&a, window->session()->b()}) {
      const auto& consumers = session->consumers()->snapshots();
      QCOMPARE(consumers.size(), 1u);
      QCOMPARE(consumers.front().name, std::string("mine"));
      QCOMPARE(consumers.front().pace, 7.0);
    }
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(window->figuresTable(Side::b), u"Consumer “mine”"_s) >= 0, kTimeout);
    window->close();
  }

  void closingStopsTheCopierAndDropsTheSecondLog() {
    LogSession a(segments(100), source(1000));
    QPointer<CompareWindow> window = new CompareWindow(&a, segments(1000));
    QPointer<LogSession> b = window->session()->b();
    a.source()->start();
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->copied() > 10, kTimeout);
    QVERIFY(window->session()->isCopying());
    window->show();
    QVERIFY(window->close());
    QVERIFY(!window.isNull() && !window->session()->isCopying());  // stopped at once
    QTRY_VERIFY_WITH_TIMEOUT(window.isNull() && b.isNull(), kTimeout);
  }

  // A lesson that opens compare mode goes on in the compare window (which covers the monitor's):
  // its step, narration and Back / Next at the top, the same player as the main window's.
  void showsTheLessonThatOpenedIt() {
    QString error;
    const auto lesson = loadLesson(u"segment-size"_s, &error);
    QVERIFY2(lesson, qPrintable(error));
    LogSession a(lesson->log, lesson->source);
    LessonPlayer player(&a, *lesson);
    QPointer<CompareWindow> window;
    player.setCompareOpener([&](const memlog::Options& other, const ShardingOptions& sharding) {
      window = new CompareWindow(&a, other, sharding);
      window->showLesson(&player);
      return window->session();
    });
    player.start();  // step 1 opens compare mode
    QVERIFY(window);
    QCOMPARE(window->session()->b()->adapter()->log()->options().segment_size, std::size_t{1000});
    LessonsPanel* panel = window->lessonPanel();
    QVERIFY(panel);
    QCOMPARE(window->layout()->itemAt(0)->widget(), panel);  // across the top
    QVERIFY2(panel->progressText().endsWith(u"step 1 of 5"_s), qPrintable(panel->progressText()));
    QVERIFY(panel->lessonChoice()->isHidden());  // compact: the chooser stays in the main window
    panel->nextButton()->click();
    QCOMPARE(player.current(), 1);
    QVERIFY2(panel->progressText().endsWith(u"step 2 of 5"_s), qPrintable(panel->progressText()));
    panel->backButton()->click();
    QCOMPARE(player.current(), 0);
    window->close();
  }

  // Where it opens: on the middle of the monitor's window, kept within the screen as far as its
  // size allows (900×600 here).
  void placedOverTheMonitor_data() {
    QTest::addColumn<QRect>("monitor");
    QTest::addColumn<QRect>("screen");
    QTest::addColumn<QPoint>("placed");
    QTest::addRow("centred on the monitor's window")
        << QRect(500, 300, 1000, 700) << QRect(0, 0, 1920, 1080) << QPoint(550, 350);
    QTest::addRow("kept on the screen at its top right")
        << QRect(1500, 100, 400, 300) << QRect(0, 0, 1920, 1080) << QPoint(1020, 0);
    QTest::addRow("on a second screen") << QRect(2000, 100, 800, 500) << QRect(1920, 0, 1280, 720) << QPoint(1950, 50);
    QTest::addRow("larger than the screen: at its corner")
        << QRect(100, 100, 300, 200) << QRect(0, 0, 800, 500) << QPoint(0, 0);
  }
  void placedOverTheMonitor() {
    QFETCH(QRect, monitor);
    QFETCH(QRect, screen);
    QFETCH(QPoint, placed);
    LogSession a(segments(100), source(0));
    CompareWindow window(&a, segments(1000));
    window.resize(900, 600);
    window.placeOver(monitor, screen);
    QCOMPARE(window.pos(), placed);
  }

  void closesWhenTheMonitorsSessionGoes() {
    auto* a = new LogSession(segments(100), source(1000));
    QPointer<CompareWindow> window = new CompareWindow(a, segments(1000));
    window->show();
    delete a;
    QTRY_VERIFY_WITH_TIMEOUT(window.isNull(), kTimeout);
  }

  // Sharded sides: each drawn as its shard map (no segments picture), titled by its shards, and
  // a Shards row in both tables when either side is sharded — "one log" on a side that is not.
  void showsShardedSides_data() {
    QTest::addColumn<int>("shardsA");  // 0 = one log
    QTest::addColumn<int>("shardsB");
    QTest::addRow("4 shards vs 16") << 4 << 16;
    QTest::addRow("one log vs 8 shards") << 0 << 8;
    QTest::addRow("4 shards vs one log") << 4 << 0;
    QTest::addRow("one log vs one log: no Shards row") << 0 << 0;
  }
  void showsShardedSides() {
    QFETCH(int, shardsA);
    QFETCH(int, shardsB);
    LogSession a(segments(100), source(1000), shardsOf(shardsA));
    QPointer<CompareWindow> window = new CompareWindow(&a, segments(shardsB > 0 ? 100 : 1000), shardsOf(shardsB));
    window->resize(1280, 720);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    a.source()->start();
    const QLocale locale;
    for (const Side side : {Side::a, Side::b}) {
      const int shards = side == Side::a ? shardsA : shardsB;
      const int segment = side == Side::a || shards > 0 ? 100 : 1000;
      QCOMPARE(window->shardMap(side) != nullptr, shards > 0);
      QCOMPARE(window->segmentsView(side) != nullptr, shards == 0);
      const QString title =
          shards > 0 ? u"%1 shards × segment size %2"_s.arg(shards).arg(segment) : u"segment size %1"_s.arg(segment);
      QCOMPARE(window->title(side), title);
      const QTableWidget* figures = window->figuresTable(side);
      const int shardsRow = rowOf(figures, u"Shards"_s);
      QCOMPARE(shardsRow >= 0, shardsA > 0 || shardsB > 0);
      // The figures fill in from a's frames: the retained records of up to two segments a shard.
      const QString most = u" of up to "_s + locale.toString(2 * segment * std::max(1, shards)) + u" records"_s;
      QTRY_VERIFY_WITH_TIMEOUT(figures->item(rowOf(figures, u"Retained"_s), 1)->text().endsWith(most), kTimeout);
      QTRY_VERIFY_WITH_TIMEOUT(figures->item(rowOf(figures, u"Retention"_s), 1)->text().contains(u" s "_s), kTimeout);
      if (shardsRow < 0) continue;
      const QTableWidgetItem* text = figures->item(shardsRow, 1);
      if (shards == 0) {
        QCOMPARE(text->text(), u"one log"_s);
        QCOMPARE(markOf(figures, u"Shards"_s), QString());  // no skew to compare with
        continue;
      }
      // Written to: how uneven the load is, and the retention of the shard keeping records shortest.
      QTRY_VERIFY_WITH_TIMEOUT(text->text().startsWith(QString::number(shards) + u" (fnv), busiest at "_s), kTimeout);
      QVERIFY2(text->text().endsWith(u"× the mean"_s), qPrintable(text->text()));
      QTRY_VERIFY_WITH_TIMEOUT(figures->item(rowOf(figures, u"Retention"_s), 1)->text().contains(u" on shard "_s),
                               kTimeout);
    }
    window->close();
  }

  // A consumer of one shard of a has no counterpart on b of another shard count: b says so.
  void oneShardConsumerAbsentOnOtherShards() {
    LogSession a(segments(100), source(200), shardsOf(4));
    memlog::sim::ConsumerOptions one;
    one.name = "one";
    one.shard = 1;
    a.consumers()->add(one);
    QPointer<CompareWindow> window = new CompareWindow(&a, segments(100), shardsOf(16));
    a.source()->start();
    const QTableWidget* figuresB = window->figuresTable(Side::b);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(figuresB, u"Consumer “one”"_s) >= 0, kTimeout);
    QCOMPARE(figuresB->item(rowOf(figuresB, u"Consumer “one”"_s), 1)->text(),
             u"not here: it reads one shard of the other log"_s);
    QVERIFY(rowOf(window->figuresTable(Side::a), u"Consumer “one”"_s) >= 0);
    window->close();
  }

  void words_data() {
    QTest::addColumn<int>("figure");
    QTest::addColumn<double>("mine");
    QTest::addColumn<double>("theirs");
    QTest::addColumn<QString>("words");
    QTest::addColumn<int>("verdict");
    const auto records = static_cast<int>(Figure::retainedRecords), memory = static_cast<int>(Figure::memory);
    const auto purges = static_cast<int>(Figure::purges), seconds = static_cast<int>(Figure::retainedSeconds);
    QTest::addRow("ten times the records")
        << records << 2000.0 << 200.0 << u"better: keeps 10× the records"_s << static_cast<int>(Verdict::better);
    QTest::addRow("a tenth of the records")
        << records << 200.0 << 2000.0 << u"worse: keeps 10× fewer records"_s << static_cast<int>(Verdict::worse);
    QTest::addRow("twice the memory") << memory << 2048.0 << 1024.0 << u"worse: 2× the memory"_s
                                      << static_cast<int>(Verdict::worse);
    QTest::addRow("2.5 times less memory")
        << memory << 1000.0 << 2500.0 << u"better: 2.5× less memory"_s << static_cast<int>(Verdict::better);
    QTest::addRow("within a tenth: the same")
        << seconds << 1.0 << 1.05 << u"about the same"_s << static_cast<int>(Verdict::same);
    QTest::addRow("retention unknown") << seconds << -1.0 << 2.0 << QString() << static_cast<int>(Verdict::same);
    QTest::addRow("more purges: a trade-off")
        << purges << 40.0 << 4.0 << u"10× as many purges"_s << static_cast<int>(Verdict::differs);
    QTest::addRow("fewer purges: not marked twice")
        << purges << 4.0 << 40.0 << u"10× fewer purges"_s << static_cast<int>(Verdict::same);
    QTest::addRow("purged here only") << purges << 3.0 << 0.0 << u"purged here only"_s
                                      << static_cast<int>(Verdict::differs);
    // The skew (the busiest shard's rate over the mean): a difference, neither better nor worse
    // (more shards put one hot key further above the mean, its shard written just as fast);
    // marked on the more uneven side only.
    const auto skew = static_cast<int>(Figure::skew);
    QTest::addRow("load more uneven") << skew << 3.0 << 1.2 << u"load more uneven"_s
                                      << static_cast<int>(Verdict::differs);
    QTest::addRow("load more even: not marked twice")
        << skew << 1.1 << 4.0 << u"load more even"_s << static_cast<int>(Verdict::same);
    QTest::addRow("skews within a tenth: the same")
        << skew << 1.50 << 1.55 << u"about the same"_s << static_cast<int>(Verdict::same);
    QTest::addRow("skew of one log: nothing said")
        << skew << -1.0 << 2.0 << QString() << static_cast<int>(Verdict::same);
    QTest::addRow("skew unknown on the other side")
        << skew << 2.0 << -1.0 << QString() << static_cast<int>(Verdict::same);
    QTest::addRow("uneven load here only")
        << skew << 2.0 << 0.0 << u"uneven load"_s << static_cast<int>(Verdict::differs);
    QTest::addRow("even load here only") << skew << 0.0 << 2.0 << u"even load"_s << static_cast<int>(Verdict::same);
  }
  void words() {
    QFETCH(int, figure);
    QFETCH(double, mine);
    QFETCH(double, theirs);
    QFETCH(QString, words);
    QFETCH(int, verdict);
    const compare_words::Mark mark = compare_words::mark(static_cast<Figure>(figure), mine, theirs);
    QCOMPARE(mark.words, words);
    QCOMPARE(static_cast<int>(mark.verdict), verdict);
  }

  void consumerWords() {
    memlog::sim::ConsumerSnapshot overtaken, live, lagging;
    overtaken.state = ConsumerState::fell_behind;
    live.state = ConsumerState::live;
    lagging.state = ConsumerState::lagging;
    QCOMPARE(compare_words::consumerMark(overtaken, live).words, u"worse: overtaken here only"_s);
    QCOMPARE(compare_words::consumerMark(live, overtaken).words, u"better: not overtaken here"_s);
    QCOMPARE(compare_words::consumerMark(lagging, live).verdict, Verdict::worse);
    QCOMPARE(compare_words::consumerMark(live, lagging).verdict, Verdict::better);
    QCOMPARE(compare_words::consumerMark(overtaken, overtaken).words, u"overtaken on both"_s);
    QCOMPARE(compare_words::consumerMark(live, live).verdict, Verdict::same);
  }
};

QTEST_MAIN(TestCompareWindow)
#include "tst_compare_window.moc"
