// SPDX-License-Identifier: MIT
// The views at the extremes: segment size 1 and 10,000,000, 1 MiB payloads, binary payloads —
// with the source unthrottled, the table, the segments picture and the charts stay correct
// (rows = the retained range, nothing purged shown) and the GUI thread stays responsive (each
// pass of the event loop is short).
#include <QElapsedTimer>
#include <QTest>

#include "adapter/log_session.hpp"
#include "charts/charts_panel.hpp"
#include "segments/segments_view.hpp"
#include "table/record_table_model.hpp"
#include "table/record_table_view.hpp"

class TestExtremes : public QObject {
  Q_OBJECT

 private slots:
  void unthrottled_data() {
    QTest::addColumn<int>("segmentSize");
    QTest::addColumn<int>("payloadBytes");
    QTest::addColumn<double>("rate");
    QTest::addRow("segment size 1") << 1 << 0 << 0.0;
    QTest::addRow("segment size 10,000,000") << 10'000'000 << 0 << 0.0;
    QTest::addRow("1 MiB payloads") << 100 << (1 << 20) << 200.0;
  }
  void unthrottled() {
    QFETCH(int, segmentSize);
    QFETCH(int, payloadBytes);
    QFETCH(double, rate);
    LogSession session({.segment_size = static_cast<std::size_t>(segmentSize), .max_record_bytes = 2u << 20},
                       {.rate = rate, .payload_bytes = static_cast<std::size_t>(payloadBytes)});
    session.consumers()->add({.name = "c", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    RecordTableView table(session.adapter());
    SegmentsView segments(&session);
    ChartsPanel charts(&session);
    table.resize(900, 500);
    segments.resize(900, 200);
    table.show();
    segments.show();
    session.source()->start();

    QElapsedTimer run, pass;
    run.start();
    qint64 longest = 0;
    while (run.elapsed() < 1500) {
      pass.start();
      QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
      longest = std::max(longest, pass.elapsed());
      // Every shown row is its record or "(purged)": sample a few.
      RecordTableModel* model = table.model();
      for (int row = 0; row < model->rowCount(); row += std::max(1, model->rowCount() / 5)) {
        const qint64 offset = model->data(model->index(row, RecordTableModel::OffsetColumn)).toLongLong();
        const QString payload = model->data(model->index(row, RecordTableModel::PayloadColumn)).toString();
        QVERIFY2(payload == QStringLiteral("(purged)") || payload.contains(QStringLiteral("\"seq\":%1,").arg(offset)) ||
                     payloadBytes > 0,
                 qPrintable(payload.left(80)));
      }
      QTest::qWait(5);
    }
    session.source()->pause();
    table.model()->sync();
    const memlog::Range range = session.adapter()->log()->range();
    QCOMPARE(table.model()->rowCount(), static_cast<int>(range.latest - range.earliest + 1));
    QCOMPARE(table.model()->firstOffset(), range.earliest);
    QTRY_COMPARE_WITH_TIMEOUT(
        segments.geometry().activeFirst + static_cast<qint64>(session.adapter()->stats().active_records),
        session.adapter()->stats().next_offset, 5000);
    charts.sample();
    QVERIFY(charts.samples() > 0);
    // Responsive: no pass of the event loop took long (generous for a loaded 2-core machine).
    QVERIFY2(longest < 1000, qPrintable(QStringLiteral("longest event-loop pass %1 ms").arg(longest)));
  }

  void binaryPayloadsInTheViews() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    RecordTableView table(session.adapter());
    const std::string binary("\0\x01\xff\xfe{\"not\": json", 16);
    QVERIFY(session.adapter()->log()->write(binary).has_value());
    table.model()->sync();
    QVERIFY(table.goToOffset(0));
    QVERIFY(table.detailText(0).startsWith(QStringLiteral("(not JSON")));
    QVERIFY(table.detailText(2).startsWith(QStringLiteral("00000000  00 01 ff fe")));
  }
};

QTEST_MAIN(TestExtremes)
#include "tst_extremes.moc"
