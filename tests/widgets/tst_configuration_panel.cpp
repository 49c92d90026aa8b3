// SPDX-License-Identifier: MIT
// The configuration panel: refuses bad values (the old log running on), applies good ones,
// continues the offsets by default, and its message follows the fix.
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include "adapter/log_session.hpp"
#include "panels/configuration_panel.hpp"

using memlog::sim::ConsumerState;

class TestConfigurationPanel : public QObject {
  Q_OBJECT

 private slots:
  void configurationRefusesBadValues_data() {
    QTest::addColumn<QString>("segment");
    QTest::addColumn<QString>("maxBytes");
    QTest::addColumn<QString>("start");
    QTest::addRow("zero segment size") << QStringLiteral("0") << QStringLiteral("100") << QStringLiteral("0");
    QTest::addRow("text segment size") << QStringLiteral("big") << QStringLiteral("100") << QStringLiteral("0");
    QTest::addRow("absurd segment size") << QStringLiteral("50000000") << QStringLiteral("100") << QStringLiteral("0");
    QTest::addRow("negative max bytes") << QStringLiteral("10") << QStringLiteral("-4") << QStringLiteral("0");
    QTest::addRow("negative start") << QStringLiteral("10") << QStringLiteral("100") << QStringLiteral("-1");
  }
  void configurationRefusesBadValues() {
    QFETCH(QString, segment);
    QFETCH(QString, maxBytes);
    QFETCH(QString, start);
    LogSession session({.segment_size = 33}, {.rate = 0});
    ConfigurationPanel panel(session.adapter(), session.frames());
    panel.setConfirmationEnabled(false);
    auto old = session.adapter()->log();
    QSignalSpy replaced(session.adapter(), &LogAdapter::logReplaced);
    QVERIFY(!panel.apply(segment, maxBytes, start).isEmpty());
    QCOMPARE(replaced.count(), 0);
    QCOMPARE(session.adapter()->log(), old);
    session.source()->step();  // the old log runs on
    QCOMPARE(old->stats().next_offset, 1);
  }

  void configurationApplies() {
    LogSession session({.segment_size = 33}, {.rate = 0});
    ConfigurationPanel panel(session.adapter(), session.frames());
    panel.setConfirmationEnabled(false);
    QVERIFY(panel.apply(QStringLiteral("64"), QStringLiteral("2048"), QStringLiteral("1000")).isEmpty());
    const memlog::Options& o = session.adapter()->log()->options();
    QCOMPARE(o.segment_size, 64u);
    QCOMPARE(o.max_record_bytes, 2048u);
    QCOMPARE(o.start_offset, 1000);
    QVERIFY(panel.message().contains(QStringLiteral("Applied")));
  }

  // An empty start offset continues where the log ends: consumers' checkpoints keep naming the
  // same records, and the source writes on at the next offset.
  void configurationContinuesTheOffsets() {
    LogSession session({.segment_size = 100}, {.rate = 0});
    ConfigurationPanel panel(session.adapter(), session.frames());
    panel.setConfirmationEnabled(false);
    const int id = session.consumers()->add({.name = "c", .pace = 0, .start = memlog::sim::ConsumerStart::earliest});
    for (int i = 0; i < 37; ++i) session.source()->step();
    QTRY_COMPARE_WITH_TIMEOUT(session.consumers()->lowestCheckpoint(), 37, 5000);
    memlog::Options continuing = session.adapter()->log()->options();
    continuing.start_offset = 37;
    QVERIFY(panel.confirmation(continuing).contains(QStringLiteral("continue at 37")));
    continuing.start_offset = 0;
    QVERIFY(panel.confirmation(continuing).contains(QStringLiteral("restart at 0: offsets 0 to 36 will name other")));
    QVERIFY(panel.apply(QStringLiteral("20"), QStringLiteral("4096"), QString()).isEmpty());
    QCOMPARE(session.adapter()->log()->options().start_offset, 37);
    QVERIFY2(panel.message().contains(QStringLiteral("starting at offset 37")), qPrintable(panel.message()));
    session.source()->step();
    QCOMPARE(session.adapter()->log()->read(37).value().offset(), 37);  // the source writes on at 37
    session.consumers()->refresh();
    QCOMPARE(session.consumers()->snapshots().at(0).id, id);
    QVERIFY(session.consumers()->snapshots().at(0).position >= 37);  // not back at 0
  }

  // A refused value's message goes when the value is fixed, and changes while still wrong.
  void configurationMessageFollowsTheFix() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    ConfigurationPanel panel(session.adapter(), session.frames());
    panel.setConfirmationEnabled(false);
    QVERIFY(!panel.apply(QStringLiteral("0"), QStringLiteral("100"), QString()).isEmpty());
    auto* segment = panel.findChildren<QLineEdit*>().at(0);
    segment->setFocus();
    segment->selectAll();
    QTest::keyClicks(segment, QStringLiteral("x"));
    QVERIFY(panel.message().contains(QStringLiteral("Segment size")));
    segment->selectAll();
    QTest::keyClicks(segment, QStringLiteral("25"));
    QVERIFY2(panel.message().isEmpty(), qPrintable(panel.message()));
  }
};

QTEST_MAIN(TestConfigurationPanel)
#include "tst_configuration_panel.moc"
