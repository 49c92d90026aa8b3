// SPDX-License-Identifier: MIT
// The configuration panel: refuses bad values (the old log running on), applies good ones,
// continues the offsets by default, its message follows the fix, and its what-if follows the
// fields and names the consumers the purge would overtake.
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include "adapter/log_session.hpp"
#include "panels/configuration_panel.hpp"
#include "theme/theme.hpp"

using memlog::sim::ConsumerState;
using namespace Qt::StringLiterals;

namespace {

// A frame as the clock would take it: two full segments of 1000 records of 200 bytes (264 B a
// record with the slots: 64 B overhead), `written` records so far, a consumer at 50/s that is
// up to date and an unthrottled one.
Frame fullLogFrame(qint64 elapsedMs, quint64 written) {
  Frame frame;
  frame.elapsedMs = elapsedMs;
  frame.stats.segment_size = 1000;
  frame.stats.records_written = written;
  frame.stats.active_records = frame.stats.history_records = 1000;
  frame.stats.active_bytes = frame.stats.history_bytes = 200'000;
  frame.stats.segments_sealed = 3;
  frame.stats.memory_bytes = std::size_t{2000} * 264;
  memlog::sim::ConsumerSnapshot slow, quick;
  slow.name = "slow <1>";  // escaped in the rich text
  slow.pace = 50;
  slow.lag = 0;
  quick.name = "quick";
  quick.pace = 0;
  quick.lag = 10;
  frame.consumers = {slow, quick};
  return frame;
}

}  // namespace

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

  // The what-if describes the fields' values (not the log's) at the measured rate: 100 records/s
  // over one second of frames, 200-byte payloads, 64 B measured overhead. A consumer at 50/s
  // falls behind by 50 a second: past a segment of 1000 in 20 s, the next purge by 30 s.
  void whatIfFollowsTheFieldsAndNamesOvertakenConsumers() {
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    LogSession session({.segment_size = 1000}, {.rate = 0});
    session.frames()->setInterval(1'000'000);  // the test hands the panel its frames
    ConfigurationPanel panel(session.adapter(), session.frames());
    emit session.frames()->frame(fullLogFrame(0, 5000));
    QVERIFY2(panel.whatIfText().contains(u"measuring the write rate"_s), qPrintable(panel.whatIfText()));
    emit session.frames()->frame(fullLogFrame(1000, 5100));
    const QString error = Theme::of(panel.palette()).error.name();
    QString text = panel.whatIfText();
    QVERIFY2(text.contains(u"at 100 records/s and 200-byte payloads"_s), qPrintable(text));
    QVERIFY2(text.contains(u"Keeps 1,000–2,000 records: the last 10–20 s of writes"_s), qPrintable(text));
    QVERIFY2(text.contains(u"Memory 264–528 kB (264 B a record: payload + 64 B overhead, measured)"_s),
             qPrintable(text));
    QVERIFY2(text.contains(u"seals every 10 s (0.1 a second)"_s), qPrintable(text));
    QVERIFY2(text.contains(u"<span style=\"color:%1\">• “slow &lt;1&gt;” (50/s) is overtaken by the purge in "
                           "20–30 s — needs ≥ 100/s."_s.arg(error)),
             qPrintable(text));
    QVERIFY2(text.contains(u"• “quick” (unthrottled) keeps up."_s), qPrintable(text));

    // Twice the segment: twice the retention, the memory, the seal interval, and the slow
    // consumer's time: 2000 / 50 = 40 s, then up to one 20 s seal interval.
    auto* segment = panel.findChildren<QLineEdit*>().at(0);
    segment->selectAll();
    QTest::keyClicks(segment, u"2000"_s);
    text = panel.whatIfText();
    QVERIFY2(text.contains(u"Keeps 2,000–4,000 records: the last 20–40 s of writes"_s), qPrintable(text));
    QVERIFY2(text.contains(u"Memory 528 kB–1.06 MB"_s), qPrintable(text));
    QVERIFY2(text.contains(u"in 40–60 s — needs ≥ 100/s"_s), qPrintable(text));
    // A field's value is not the log's: the log keeps its segments of 1000.
    QCOMPARE(session.adapter()->log()->options().segment_size, 1000u);

    // An invalid value: no what-if, the message says why.
    segment->selectAll();
    QTest::keyClicks(segment, u"0"_s);
    QVERIFY2(panel.whatIfText().isEmpty(), qPrintable(panel.whatIfText()));
    QVERIFY(panel.message().contains(u"Segment size"_s));

    // The rate stops (a paused source): retention for ever, nobody overtaken.
    segment->selectAll();
    QTest::keyClicks(segment, u"1000"_s);
    emit session.frames()->frame(fullLogFrame(2000, 5100));
    text = panel.whatIfText();
    QVERIFY2(text.contains(u"Nothing is written now: no seals, no purges"_s), qPrintable(text));
    QVERIFY2(text.contains(u"• “slow &lt;1&gt;” (50/s) keeps up."_s), qPrintable(text));
    QVERIFY(panel.message().isEmpty());
  }
};

QTEST_MAIN(TestConfigurationPanel)
#include "tst_configuration_panel.moc"
