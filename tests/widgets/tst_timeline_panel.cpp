// SPDX-License-Identifier: MIT
// The timeline panel: the log's story in sentences (seals, purges, replays) with the purge list,
// and long sentences wrapped, not cut.
#include <QAbstractItemModelTester>
#include <QListView>
#include <QTest>

#include "adapter/log_session.hpp"
#include "timeline/event_timeline_model.hpp"
#include "timeline/purge_event_model.hpp"
#include "timeline/timeline_panel.hpp"

using memlog::sim::ConsumerState;

class TestTimelinePanel : public QObject {
  Q_OBJECT

 private slots:
  void timelineTellsTheStory() {
    LogSession session({.segment_size = 3}, {.rate = 0});
    TimelinePanel panel(&session);
    QAbstractItemModelTester events(panel.events(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester purges(panel.purges(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 10; ++i) session.source()->step();  // seals at 3, 6, 9; purges at 6, 9
    QTRY_VERIFY_WITH_TIMEOUT(panel.purges()->rowCount() >= 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(panel.events()->rowCount() >= 2, 5000);  // contiguous seals and purges arrive merged
    bool sealed = false, purged = false;
    for (int row = 0; row < panel.events()->rowCount(); ++row) {
      const QString text = panel.events()->index(row).data().toString();
      sealed |= text.contains(QStringLiteral("sealed"));
      purged |= text.contains(QStringLiteral("purged"));
    }
    QVERIFY(sealed && purged);
    QCOMPARE(panel.purges()->totalRecords() % 3, 0);
    session.crashAndReplay();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          for (int row = 0; row < panel.events()->rowCount(); ++row)
            if (panel.events()->index(row).data().toString().contains(QStringLiteral("replay"))) return true;
          return false;
        }(),
        5000);
  }

  void timelineWrapsLongSentences() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    TimelinePanel panel(&session);
    panel.resize(260, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QString sentence = QStringLiteral(
        "The log refused a record (record_too_large: 70,000 bytes is over the limit of 65,536): the source paused.");
    panel.events()->add(EventTimelineModel::Kind::source, sentence);
    panel.events()->flush();
    auto* list = panel.findChild<QListView*>();
    QVERIFY(list != nullptr);
    QCOMPARE(list->textElideMode(), Qt::ElideNone);
    QVERIFY(list->wordWrap());
    const QModelIndex row = panel.events()->index(0);
    const QString shown = row.data().toString();
    QTRY_VERIFY_WITH_TIMEOUT(list->visualRect(row).height() >= 3 * list->fontMetrics().height(), 5000);
    QVERIFY(list->visualRect(row).right() <= list->viewport()->width());  // within the dock, no scrolling sideways
    // Tall enough for the whole sentence wrapped at the row's width.
    const QRect needed = list->fontMetrics().boundingRect(QRect(0, 0, list->visualRect(row).width() - 8, 100000),
                                                          Qt::TextWordWrap, shown);
    QVERIFY2(list->visualRect(row).height() >= needed.height(),
             qPrintable(QStringLiteral("%1 < %2").arg(list->visualRect(row).height()).arg(needed.height())));
    const int narrow = list->visualRect(row).height();
    panel.resize(1600, 400);
    QTRY_VERIFY_WITH_TIMEOUT(list->visualRect(row).height() < narrow, 5000);
  }

  // A sharded log: the shard shown tells its seals and purges with offsets and its number; the
  // other shards are summed up in one line per frame; the purge list names the shard.
  void shardedTimelineNamesTheShards() {
    ShardingOptions sharding;
    sharding.shards = 4;
    sharding::parseSharder(QStringLiteral("keys:th-000,th-001,th-002,th-003"), &sharding.sharder);
    LogSession session({.segment_size = 5}, {.rate = 0}, sharding);
    TimelinePanel panel(&session);
    QAbstractItemModelTester events(panel.events(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int n = 0; n < 24 * 12; ++n) session.source()->step();  // 12 records on each shard: seals and a purge
    session.frames()->tick();
    const auto lines = [&] {
      QStringList all;
      for (int row = 0; row < panel.events()->rowCount(); ++row) all << panel.events()->index(row).data().toString();
      return all.join(u'\n');
    };
    QTRY_VERIFY_WITH_TIMEOUT(lines().contains(QStringLiteral("Shard #0: Offsets 0–4 purged")), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(lines().contains(QStringLiteral("Shards #1, #2 and #3 sealed a segment.")), 5000);
    QVERIFY2(lines().contains(QStringLiteral("Shards #1, #2 and #3 purged their history: 15 records.")),
             qPrintable(lines()));
    QTRY_VERIFY_WITH_TIMEOUT(panel.purges()->rowCount() >= 1, 5000);
    QCOMPARE(panel.purges()->index(0, PurgeEventModel::RangeColumn).data().toString(), QStringLiteral("#0: 0 – 4"));
    session.shards()->requestFocus(2);
    QTRY_VERIFY_WITH_TIMEOUT(lines().contains(QStringLiteral("Showing shard #2")), 5000);
  }
};

QTEST_MAIN(TestTimelinePanel)
#include "tst_timeline_panel.moc"
