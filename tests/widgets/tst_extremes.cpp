// SPDX-License-Identifier: MIT
// The views at the extremes: segment size 1 and 10,000,000, 1 MiB payloads, binary payloads —
// with the source unthrottled, the table, the segments picture and the charts stay correct
// (rows = the retained range, every row its record's start or, briefly, "(purged)") and the GUI
// thread does per-frame work, not per-record work (at most one table update per frame).
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <memlog/source/payloads.hpp>

#include "adapter/log_session.hpp"
#include "charts/charts_panel.hpp"
#include "segments/segments_view.hpp"
#include "table/record_table_model.hpp"
#include "table/record_table_view.hpp"

namespace {
// What row `row` of the table must show (empty if it does): the start of its record — record
// n of the session's source (sensor, seed 1) is make_payload(sensor, 1, n, payloadBytes) at
// offset n — cut with '…' if the record is longer, never the whole of a large one; or
// "(purged)", which the table shows only while it still starts at a purged record (it reads
// a window from its first row, and catches up with the purge at its next frame).
QString rowProblem(const RecordTableModel& model, int row, const memlog::Log& log, std::size_t payloadBytes) {
  const qint64 offset = model.data(model.index(row, RecordTableModel::OffsetColumn)).toLongLong();
  const QString shown = model.data(model.index(row, RecordTableModel::PayloadColumn)).toString();
  const QString where = QStringLiteral("offset %1: ").arg(offset);
  if (shown == QStringLiteral("(purged)")) {
    const memlog::Offset earliest = log.range().earliest;
    return model.firstOffset() < earliest
               ? QString()
               : where + QStringLiteral("'(purged)' while the table starts at %1, retained from %2")
                             .arg(model.firstOffset())
                             .arg(earliest);
  }
  const QString payload = QString::fromStdString(
      memlog::sim::make_payload(memlog::sim::SourceKind::sensor, 1, static_cast<std::uint64_t>(offset), payloadBytes));
  const bool cut = shown.endsWith(u'\u2026');
  const QString start = cut ? shown.chopped(1) : shown;
  if (start.isEmpty() || !payload.startsWith(start) || cut != (start.size() < payload.size()))
    return where + QStringLiteral("shows %1 characters%2 ('%3'), not the start of its %4-character record ('%5')")
                       .arg(shown.size())
                       .arg(cut ? QStringLiteral(" with '…'") : QString())
                       .arg(shown.left(60), QString::number(payload.size()), payload.left(60));
  if (shown.size() > 1000) return where + QStringLiteral("a cell renders %1 characters").arg(shown.size());
  return {};
}
}  // namespace

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
    SegmentsView segments(session.adapter(), session.frames());
    ChartsPanel charts(session.adapter(), session.consumers());
    table.resize(900, 500);
    segments.resize(900, 200);
    table.show();
    segments.show();
    session.source()->start();

    QSignalSpy tableUpdates(table.model(), &RecordTableModel::rowsSynced);
    QElapsedTimer run;
    run.start();
    while (run.elapsed() < 1500) {
      QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
      RecordTableModel* model = table.model();
      for (int row = 0; row < model->rowCount(); row += std::max(1, model->rowCount() / 5)) {
        const QString problem =
            rowProblem(*model, row, *session.adapter()->log(), static_cast<std::size_t>(payloadBytes));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
      }
      QTest::qWait(5);
    }
    const qint64 elapsed = run.elapsed();
    // Per frame, not per record: the table updates from a 33 ms single-shot timer (a coarse
    // timer, up to 5 % early), however many records arrive meanwhile.
    const qsizetype updates = tableUpdates.count();
    QVERIFY2(updates >= 1 && updates <= 1 + elapsed / 31,
             qPrintable(QStringLiteral("%1 table updates in %2 ms, %3 records written")
                            .arg(updates)
                            .arg(elapsed)
                            .arg(session.source()->counters().written)));
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
