// SPDX-License-Identifier: MIT
// CompareDialog, offscreen: the second log it suggests (ten times or a tenth of one log's
// segment size; four times the shards, a quarter at the top), the problems it names (the
// monitor's own log, a key list longer than the shard count) with OK waiting until they are
// fixed, and the options and sharding it returns (1 shard: one log).
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

#include <algorithm>

#include "compare/compare_dialog.hpp"

using namespace Qt::StringLiterals;

namespace {
memlog::Options segments(std::size_t size) {
  memlog::Options options;
  options.segment_size = size;
  return options;
}

ShardingOptions shardsOf(int n, const QString& sharder = u"fnv"_s) {
  ShardingOptions options;
  options.shards = n;
  const QString why = sharding::parseSharder(sharder, &options.sharder);
  Q_ASSERT_X(why.isEmpty(), "shardsOf", qPrintable(why));
  return options;
}

QPushButton* okButton(const CompareDialog& dialog) {
  return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

// The label that names the problem under the fields (the only one that can say "keys for").
bool problemShown(const CompareDialog& dialog, const QString& problem) {
  const auto labels = dialog.findChildren<QLabel*>();
  return std::any_of(labels.begin(), labels.end(),
                     [&](const QLabel* label) { return !label->isHidden() && label->text() == problem; });
}
}  // namespace

class TestCompareDialog : public QObject {
  Q_OBJECT

 private slots:
  void suggests_data() {
    QTest::addColumn<int>("segment");  // the monitor's
    QTest::addColumn<int>("shards");   // the monitor's; 0 = one log
    QTest::addColumn<int>("suggestedSegment");
    QTest::addColumn<int>("suggestedShards");  // 1 = one log
    QTest::addRow("one log of 100: ten times the segment") << 100 << 0 << 1000 << 1;
    QTest::addRow("one log of 1: ten times") << 1 << 0 << 10 << 1;
    QTest::addRow("one log of 999: ten times") << 999 << 0 << 9990 << 1;
    QTest::addRow("one log of 1000: a tenth") << 1000 << 0 << 100 << 1;
    QTest::addRow("one log of 5000: a tenth") << 5000 << 0 << 500 << 1;
    QTest::addRow("2 shards: 8") << 100 << 2 << 100 << 8;
    QTest::addRow("4 shards: 16, the same segment") << 100 << 4 << 100 << 16;
    QTest::addRow("256 shards: 1024, the most") << 50 << 256 << 50 << 1024;
    QTest::addRow("300 shards: a quarter") << 100 << 300 << 100 << 75;
    QTest::addRow("1024 shards: 256") << 100 << 1024 << 100 << 256;
  }
  void suggests() {
    QFETCH(int, segment);
    QFETCH(int, shards);
    QFETCH(int, suggestedSegment);
    QFETCH(int, suggestedShards);
    const memlog::Options current = segments(static_cast<std::size_t>(segment));
    const ShardingOptions sharding = shardsOf(shards);
    QCOMPARE(CompareDialog::suggestedSegmentSize(current, sharding), suggestedSegment);
    QCOMPARE(CompareDialog::suggestedShards(sharding), suggestedShards);
    // The dialog opens on the suggestion, which is not the monitor's log: OK at once.
    CompareDialog dialog(current, sharding);
    QCOMPARE(dialog.segmentSizeBox()->value(), suggestedSegment);
    QCOMPARE(dialog.shardsBox()->value(), suggestedShards);
    QCOMPARE(dialog.problem(), QString());
    QVERIFY(okButton(dialog)->isEnabled());
  }

  void namesTheProblem_data() {
    QTest::addColumn<int>("shards");  // the monitor's; 0 = one log
    QTest::addColumn<QString>("sharder");
    QTest::addColumn<int>("segmentChosen");
    QTest::addColumn<int>("shardsChosen");
    QTest::addColumn<QString>("problem");  // a part of it; empty = none
    QTest::addRow("the monitor's own log") << 0 << u"fnv"_s << 100 << 1 << u"the monitor's log itself"_s;
    QTest::addRow("the monitor's own 4 shards") << 4 << u"fnv"_s << 100 << 4 << u"the monitor's log itself"_s;
    QTest::addRow("one log, another segment size") << 0 << u"fnv"_s << 200 << 1 << QString();
    QTest::addRow("4 shards, another segment size") << 4 << u"fnv"_s << 200 << 4 << QString();
    QTest::addRow("4 shards instead of one log") << 0 << u"fnv"_s << 100 << 4 << QString();
    QTest::addRow("5 keys for 4 shards") << 8 << u"keys:a,b,c,d,e"_s << 100 << 4 << u"5 keys for 4 shards"_s;
    QTest::addRow("5 keys for 2 shards") << 8 << u"keys:a,b,c,d,e"_s << 100 << 2 << u"5 keys for 2 shards"_s;
    QTest::addRow("5 keys for 5 shards") << 8 << u"keys:a,b,c,d,e"_s << 100 << 5 << QString();
    QTest::addRow("a key list, one log instead") << 8 << u"keys:a,b,c,d,e"_s << 100 << 1 << QString();
  }
  void namesTheProblem() {
    QFETCH(int, shards);
    QFETCH(QString, sharder);
    QFETCH(int, segmentChosen);
    QFETCH(int, shardsChosen);
    QFETCH(QString, problem);
    CompareDialog dialog(segments(100), shardsOf(shards, sharder));
    dialog.show();  // the problem's label is shown or hidden only in a shown dialog
    dialog.segmentSizeBox()->setValue(segmentChosen);
    dialog.shardsBox()->setValue(shardsChosen);
    if (problem.isEmpty()) {
      QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
      QVERIFY(okButton(dialog)->isEnabled());
      return;
    }
    QVERIFY2(dialog.problem().contains(problem), qPrintable(dialog.problem()));
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY(problemShown(dialog, dialog.problem()));
  }

  // OK waits for a fix and comes back with it; the problem's words go with it.
  void okWaitsUntilFixed() {
    CompareDialog dialog(segments(100), shardsOf(8, u"keys:a,b,c,d,e"_s));
    dialog.show();
    QCOMPARE(dialog.shardsBox()->value(), 32);
    QVERIFY(okButton(dialog)->isEnabled());
    dialog.shardsBox()->setValue(3);
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY(problemShown(dialog, dialog.problem()));
    dialog.shardsBox()->setValue(8);  // the monitor's own, now
    QVERIFY(!okButton(dialog)->isEnabled());
    QVERIFY(problemShown(dialog, dialog.problem()));
    dialog.segmentSizeBox()->setValue(1000);
    QVERIFY(okButton(dialog)->isEnabled());
    QVERIFY(!problemShown(dialog, u"That is the monitor's log itself: change the segment size or the shard count."_s));
    QCOMPARE(dialog.problem(), QString());
  }

  // The monitor's options with the segment size chosen; its sharding with the shard count
  // chosen — 1 is one log, not sharded.
  void returnsTheChoice_data() {
    QTest::addColumn<int>("shardsChosen");
    QTest::addColumn<int>("shards");  // what sharding() says
    QTest::addRow("16 shards") << 16 << 16;
    QTest::addRow("2 shards") << 2 << 2;
    QTest::addRow("1: one log") << 1 << 0;
  }
  void returnsTheChoice() {
    QFETCH(int, shardsChosen);
    QFETCH(int, shards);
    memlog::Options current = segments(100);
    current.start_offset = 42;
    current.max_record_bytes = 4096;
    ShardingOptions monitors = shardsOf(4, u"keys:a,b"_s);
    monitors.keyField = u"user"_s;
    CompareDialog dialog(current, monitors);
    dialog.segmentSizeBox()->setValue(250);
    dialog.shardsBox()->setValue(shardsChosen);
    const memlog::Options options = dialog.options();
    QCOMPARE(options.segment_size, std::size_t{250});
    QCOMPARE(options.start_offset, memlog::Offset{42});
    QCOMPARE(options.max_record_bytes, std::size_t{4096});
    const ShardingOptions sharding = dialog.sharding();
    QCOMPARE(sharding.shards, shards);
    QCOMPARE(sharding.sharded(), shards > 0);
    QCOMPARE(sharding.keyField, u"user"_s);
    QVERIFY(sharding.sharder == monitors.sharder);
    QCOMPARE(dialog.problem(), QString());
  }
};

QTEST_MAIN(TestCompareDialog)
#include "tst_compare_dialog.moc"
