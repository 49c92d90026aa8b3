// SPDX-License-Identifier: MIT
// LogAdapter: coalesced, ordered, lossless delivery of appends, seals and purges on the GUI
// thread, at any rate; reconfiguration that refuses bad options and replaces the log cleanly.
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>

#include "adapter/log_adapter.hpp"

namespace {
struct Range {
  qint64 first, last;
};
}  // namespace

class TestLogAdapter : public QObject {
  Q_OBJECT

 private slots:
  void millionAppendsCoalesced() {
    constexpr qint64 kRecords = 1'000'000;
    LogAdapter adapter(*memlog::Log::create({.segment_size = 1000}));
    std::vector<Range> appends, seals, purges;
    qint64 purgedRecords = 0, purgedBytes = 0;
    std::vector<char> order;  // p, s, a per delivery: purges come before appends
    connect(&adapter, &LogAdapter::appended, this, [&](qint64 f, qint64 l) {
      appends.push_back({f, l});
      order.push_back('a');
    });
    connect(&adapter, &LogAdapter::sealed, this, [&](qint64 f, qint64 l) {
      seals.push_back({f, l});
      order.push_back('s');
    });
    connect(&adapter, &LogAdapter::purged, this, [&](qint64 f, qint64 l, qint64 records, qint64 bytes) {
      purges.push_back({f, l});
      purgedRecords += records;
      purgedBytes += bytes;
      order.push_back('p');
    });

    auto log = adapter.log();
    std::atomic<bool> done{false};
    std::jthread writer([&] {
      for (qint64 i = 0; i < kRecords; ++i) (void)log->write("0123456789abcdef0123456789abcdef");
      done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done.load() && !appends.empty() && appends.back().last == kRecords - 1, 60000);

    // Appends: contiguous from 0, nothing lost or duplicated, in far fewer signals than records.
    qint64 expected = 0, total = 0;
    for (const Range& r : appends) {
      QCOMPARE(r.first, expected);
      QVERIFY(r.last >= r.first);
      expected = r.last + 1;
      total += r.last - r.first + 1;
    }
    QCOMPARE(total, kRecords);
    QVERIFY2(appends.size() < static_cast<std::size_t>(kRecords / 10), qPrintable(QString::number(appends.size())));

    // Seals and purges: contiguous, and exactly what the log's counters say.
    const memlog::Stats stats = log->stats();
    qint64 sealedRecords = 0;
    expected = 0;
    for (const Range& r : seals) {
      QCOMPARE(r.first, expected);
      expected = r.last + 1;
      sealedRecords += r.last - r.first + 1;
    }
    QCOMPARE(sealedRecords, static_cast<qint64>(stats.segments_sealed * stats.segment_size));
    expected = 0;
    qint64 purgedSpan = 0;
    for (const Range& r : purges) {
      QCOMPARE(r.first, expected);
      expected = r.last + 1;
      purgedSpan += r.last - r.first + 1;
    }
    QCOMPARE(purgedSpan, static_cast<qint64>(stats.records_purged));
    QCOMPARE(purgedRecords, static_cast<qint64>(stats.records_purged));
    QCOMPARE(purgedBytes, static_cast<qint64>(stats.records_purged * 32));
    QCOMPARE(expected, stats.range.earliest);  // everything before the earliest was announced purged
    QVERIFY(adapter.deliveries() >= appends.size());
  }

  void statsChangedFollowsTheLog() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 10}));
    adapter.setStatsInterval(20);
    QSignalSpy spy(&adapter, &LogAdapter::statsChanged);
    for (int i = 0; i < 25; ++i) QVERIFY(adapter.log()->write("x").has_value());
    QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty() && spy.last().at(0).value<memlog::Stats>().next_offset == 25, 5000);
  }

  void reconfigureRefusesBadOptions_data() {
    QTest::addColumn<qint64>("segmentSize");
    QTest::addColumn<qint64>("maxRecordBytes");
    QTest::addColumn<qint64>("startOffset");
    QTest::addRow("segment size 0") << qint64{0} << qint64{100} << qint64{0};
    QTest::addRow("segment size over the monitor's limit") << qint64{20'000'000} << qint64{100} << qint64{0};
    QTest::addRow("max record bytes 0") << qint64{10} << qint64{0} << qint64{0};
    QTest::addRow("max record bytes over 64 MiB") << qint64{10} << qint64{(64 << 20) + 1} << qint64{0};
    QTest::addRow("negative start offset") << qint64{10} << qint64{100} << qint64{-5};
  }
  void reconfigureRefusesBadOptions() {
    QFETCH(qint64, segmentSize);
    QFETCH(qint64, maxRecordBytes);
    QFETCH(qint64, startOffset);
    LogAdapter adapter(*memlog::Log::create({.segment_size = 7}));
    auto old = adapter.log();
    QVERIFY(old->write("kept").has_value());
    QSignalSpy errors(&adapter, &LogAdapter::errorOccurred);
    QSignalSpy replaced(&adapter, &LogAdapter::logReplaced);
    const QString error = adapter.reconfigure({.start_offset = startOffset,
                                               .segment_size = static_cast<std::size_t>(segmentSize),
                                               .max_record_bytes = static_cast<std::size_t>(maxRecordBytes),
                                               .clock = {}});
    QVERIFY(!error.isEmpty());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), error);
    QCOMPARE(replaced.count(), 0);
    QCOMPARE(adapter.log(), old);  // the old log keeps running
    QCOMPARE(old->options().segment_size, 7u);
    QVERIFY(old->write("still").has_value());
  }

  void reconfigureReplacesTheLog() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 7}));
    auto old = adapter.log();
    QVERIFY(old->write("old").has_value());
    std::vector<QString> events;
    connect(&adapter, &LogAdapter::aboutToReplaceLog, this, [&] {
      events.push_back(QStringLiteral("about"));
      QCOMPARE(adapter.log(), old);  // listeners still see the old log here
    });
    connect(&adapter, &LogAdapter::logReplaced, this, [&] { events.push_back(QStringLiteral("replaced")); });
    QSignalSpy appended(&adapter, &LogAdapter::appended);
    QVERIFY(
        adapter.reconfigure({.start_offset = 100, .segment_size = 3, .max_record_bytes = 50, .clock = {}}).isEmpty());
    QCOMPARE(events, (std::vector<QString>{QStringLiteral("about"), QStringLiteral("replaced")}));
    auto fresh = adapter.log();
    QVERIFY(fresh != old);
    QCOMPARE(fresh->options().start_offset, 100);
    // Writes to the old log are no longer announced; the new log's are, from its start.
    QVERIFY(old->write("ignored").has_value());
    QVERIFY(fresh->write("new").has_value());
    QTRY_COMPARE_WITH_TIMEOUT(appended.count(), 1, 5000);
    QCOMPARE(appended.at(0).at(0).toLongLong(), 100);
    QCOMPARE(appended.at(0).at(1).toLongLong(), 100);
  }

  void destroyedWhileWritersRun() {
    auto log = *memlog::Log::create({.segment_size = 16});
    std::atomic<bool> done{false};
    std::jthread writer([&] {
      while (!done) (void)log->write("busy");
    });
    for (int i = 0; i < 50; ++i) {
      auto adapter = std::make_unique<LogAdapter>(log);
      QCoreApplication::processEvents();
      adapter.reset();  // its posted delivery (if any) dies with it
      QCoreApplication::processEvents();
    }
    done = true;
  }
};

QTEST_GUILESS_MAIN(TestLogAdapter)
#include "tst_log_adapter.moc"
