// SPDX-License-Identifier: MIT
// The segments picture: its geometry from Stats (a pure function), and the widget following
// the adapter's seals and purges.
#include <QTest>

#include "adapter/log_session.hpp"
#include "segments/segment_geometry.hpp"
#include "segments/segments_description.hpp"
#include "segments/segments_view.hpp"

class TestSegmentsView : public QObject {
  Q_OBJECT

 private slots:
  void geometry_data() {
    QTest::addColumn<int>("segmentSize");
    QTest::addColumn<int>("writes");
    QTest::addColumn<bool>("hasHistory");
    QTest::addColumn<qint64>("historyFirst");
    QTest::addColumn<qint64>("activeFirst");
    QTest::addColumn<double>("activeFill");
    QTest::addRow("empty") << 10 << 0 << false << qint64{-1} << qint64{0} << 0.0;
    QTest::addRow("half of the first segment") << 10 << 5 << false << qint64{-1} << qint64{0} << 0.5;
    QTest::addRow("first segment full, not sealed yet") << 10 << 10 << false << qint64{-1} << qint64{0} << 1.0;
    QTest::addRow("one record after the seal") << 10 << 11 << true << qint64{0} << qint64{10} << 0.1;
    QTest::addRow("after purges") << 10 << 37 << true << qint64{20} << qint64{30} << 0.7;
    QTest::addRow("segment size 1") << 1 << 5 << true << qint64{3} << qint64{4} << 1.0;
  }
  void geometry() {
    QFETCH(int, segmentSize);
    QFETCH(int, writes);
    QFETCH(bool, hasHistory);
    QFETCH(qint64, historyFirst);
    QFETCH(qint64, activeFirst);
    QFETCH(double, activeFill);
    auto log = *memlog::Log::create({.segment_size = static_cast<std::size_t>(segmentSize)});
    for (int i = 0; i < writes; ++i) QVERIFY(log->write("x").has_value());
    const SegmentGeometry g = SegmentGeometry::from(log->stats());
    QCOMPARE(g.hasHistory, hasHistory);
    if (hasHistory) {
      QCOMPARE(g.historyFirst, historyFirst);
      QCOMPARE(g.historyLast, activeFirst - 1);
      QCOMPARE(g.historyFill, 1.0);
    }
    QCOMPARE(g.activeFirst, activeFirst);
    QCOMPARE(g.activeLast, activeFirst + segmentSize - 1);
    QCOMPARE(g.activeFill, activeFill);
  }

  void markers() {
    auto log = *memlog::Log::create({.segment_size = 10});
    for (int i = 0; i < 35; ++i) QVERIFY(log->write("x").has_value());  // history 20..29, active 30..34
    const SegmentGeometry g = SegmentGeometry::from(log->stats());
    QVERIFY(g.markerX(5) < 0);     // overtaken by the purge
    QCOMPARE(g.markerX(20), 0.0);  // at the history's start
    QCOMPARE(g.markerX(25), 0.5);
    QCOMPARE(g.markerX(30), 1.0);  // at the active's start
    QCOMPARE(g.markerX(33), 1.3);
    QCOMPARE(g.markerX(35), 1.5);  // caught up: at the write position
    QCOMPARE(g.markerX(1000), 1.5);
  }

  void followsSealsAndPurges() {
    LogSession session({.segment_size = 5}, {.rate = 0});
    SegmentsView view(session.adapter(), session.frames());
    view.resize(800, 220);
    for (int i = 0; i < 16; ++i) session.source()->step();  // seals at 5, 10, 15; purges at 10, 15
    QTRY_COMPARE_WITH_TIMEOUT(view.sealsSeen() >= 1 && view.purgesSeen() >= 1, true, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(view.geometry().activeFirst, 15, 5000);
    QCOMPARE(view.geometry().historyFirst, 10);
    const QImage image = view.grab().toImage();
    QVERIFY(!image.isNull());
  }

  // A consumer's words stay in the picture: caught up at the right edge (the active segment full),
  // they go to the left of its marker instead of being cut by the edge.
  void consumerWordsStayInThePicture() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    const std::string name = "a consumer with a long name";
    session.consumers()->add({.name = name, .pace = 0});
    SegmentsView view(session.adapter(), session.frames());
    view.resize(420, 220);
    for (int i = 0; i < 10; ++i) session.source()->step();  // offsets 0..9: the active segment full
    QTRY_COMPARE_WITH_TIMEOUT(view.geometry().activeFill, 1.0, 5000);
    const QString part = QStringLiteral("consumer:") + QString::fromStdString(name);
    QTRY_VERIFY_WITH_TIMEOUT(view.partRect(part).right() > view.width() * 0.7, 5000);  // at the write position
    const QRectF mark = view.partRect(part);
    QVERIFY2(QRectF(view.rect()).contains(mark), qPrintable(QStringLiteral("%1,%2 %3×%4 in %5 wide")
                                                                .arg(mark.x())
                                                                .arg(mark.y())
                                                                .arg(mark.width())
                                                                .arg(mark.height())
                                                                .arg(view.width())));
    QVERIFY(!view.grab().toImage().isNull());
  }

  // The picture in words (for screen readers): the offsets shown, the fill, each consumer.
  void description_data() {
    QTest::addColumn<int>("writes");
    QTest::addColumn<qint64>("position");
    QTest::addColumn<int>("state");
    QTest::addColumn<QStringList>("says");
    using memlog::sim::ConsumerState;
    QTest::addRow("first segment filling")
        << 4 << qint64{4} << static_cast<int>(ConsumerState::live)
        << QStringList{QStringLiteral("no history yet"), QStringLiteral("active offsets 0–19, 4 of 20 records"),
                       QStringLiteral("next write at 4"), QStringLiteral("reader at 4 live")};
    QTest::addRow("history and active") << 84 << qint64{61} << static_cast<int>(ConsumerState::lagging)
                                        << QStringList{QStringLiteral("history offsets 60–79, 20 of 20 records"),
                                                       QStringLiteral("active offsets 80–99, 4 of 20 records"),
                                                       QStringLiteral("next write at 84"),
                                                       QStringLiteral("reader at 61 lagging")};
    QTest::addRow("overtaken by the purge")
        << 84 << qint64{12} << static_cast<int>(ConsumerState::fell_behind)
        << QStringList{QStringLiteral("history offsets 60–79"), QStringLiteral("reader at 12 overtaken by the purge")};
    QTest::addRow("stopped") << 30 << qint64{25} << static_cast<int>(ConsumerState::stopped)
                             << QStringList{QStringLiteral("history offsets 0–19"),
                                            QStringLiteral("active offsets 20–39, 10 of 20 records"),
                                            QStringLiteral("reader at 25 stopped")};
  }
  void description() {
    QFETCH(int, writes);
    QFETCH(qint64, position);
    QFETCH(int, state);
    QFETCH(QStringList, says);
    auto log = *memlog::Log::create({.segment_size = 20});
    for (int i = 0; i < writes; ++i) QVERIFY(log->write("x").has_value());
    memlog::sim::ConsumerSnapshot reader;
    reader.name = "reader";
    reader.position = position;
    reader.state = static_cast<memlog::sim::ConsumerState>(state);
    const std::vector<memlog::sim::ConsumerSnapshot> consumers{reader};
    const QString text = describeSegments(SegmentGeometry::from(log->stats()), 20, consumers);
    for (const QString& part : says) QVERIFY2(text.contains(part), qPrintable(text + QStringLiteral(" lacks ") + part));
  }

  // The widget carries it as its accessible description, following the log frame by frame.
  void accessibleDescriptionFollowsTheLog() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    SegmentsView view(session.adapter(), session.frames());
    QVERIFY(!view.accessibleName().isEmpty());
    QVERIFY(view.focusPolicy() & Qt::TabFocus);  // a screen reader reaches it with Tab
    for (int i = 0; i < 24; ++i) session.source()->step();
    session.frames()->tick();
    QVERIFY2(view.accessibleDescription().contains(QStringLiteral("history offsets 0–19, 20 of 20 records")),
             qPrintable(view.accessibleDescription()));
    QVERIFY(view.accessibleDescription().contains(QStringLiteral("active offsets 20–39, 4 of 20 records")));
    for (int i = 0; i < 20; ++i) session.source()->step();
    session.frames()->tick();
    QVERIFY2(view.accessibleDescription().contains(QStringLiteral("history offsets 20–39")),
             qPrintable(view.accessibleDescription()));
    QVERIFY(view.accessibleDescription().contains(QStringLiteral("next write at 44")));
  }
};

QTEST_MAIN(TestSegmentsView)
#include "tst_segments_view.moc"
