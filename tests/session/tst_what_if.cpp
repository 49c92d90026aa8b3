// SPDX-License-Identifier: MIT
// whatIf: the figures against hand-computed ones — retention in records and seconds, memory,
// the seal/purge cadence, the records over the limit, and when the purge overtakes each
// consumer at its pace (the window and the pace it would need).
#include <QTest>

#include "adapter/what_if.hpp"

using what_if::kNever;
using what_if::WhatIfInput;

class TestWhatIf : public QObject {
  Q_OBJECT

 private slots:
  void logFigures_data() {
    QTest::addColumn<qulonglong>("segment");
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("payload");
    QTest::addColumn<double>("overhead");
    QTest::addColumn<double>("secondsMin");
    QTest::addColumn<double>("secondsMax");
    QTest::addColumn<double>("memoryMin");
    QTest::addColumn<double>("memoryMax");
    QTest::addColumn<double>("sealsPerSecond");
    QTest::addColumn<double>("secondsBetweenSeals");
    // 1000 / 100 = 10 s; (200 + 64) × 1000 = 264,000 B; a seal each 1000 writes = 10 s.
    QTest::addRow(
        "100 records/s, segment 1000, 200-byte payloads, 64 B overhead: 10–20 s, 264–528 kB, a seal every "
        "10 s")
        << 1000ull << 100.0 << 200.0 << 64.0 << 10.0 << 20.0 << 264'000.0 << 528'000.0 << 0.1 << 10.0;
    // 64 / 4000 = 0.016 s; (32 + 80) × 64 = 7,168 B; 4000 / 64 = 62.5 seals a second.
    QTest::addRow("4000 records/s, segment 64, 32-byte payloads, 80 B measured: 16–32 ms, 7168–14336 B, 62.5 seals/s")
        << 64ull << 4000.0 << 32.0 << 80.0 << 0.016 << 0.032 << 7168.0 << 14336.0 << 62.5 << 0.016;
    // Nothing written: nothing sealed or purged, records kept for ever; memory as retained.
    QTest::addRow("a paused source (0 records/s), segment 500, 100-byte payloads: kept for ever, no seals")
        << 500ull << 0.0 << 100.0 << 64.0 << kNever << kNever << 82'000.0 << 164'000.0 << 0.0 << kNever;
    // One-record segments: 1–2 records, 1 record per 0.5 s at 2/s.
    QTest::addRow("2 records/s, segment 1, 10-byte payloads, 54 B overhead: 0.5–1 s, 64–128 B, 2 seals/s")
        << 1ull << 2.0 << 10.0 << 54.0 << 0.5 << 1.0 << 64.0 << 128.0 << 2.0 << 0.5;
  }
  void logFigures() {
    QFETCH(qulonglong, segment);
    QFETCH(double, rate);
    QFETCH(double, payload);
    QFETCH(double, overhead);
    const auto w = what_if::whatIf({.segmentSize = segment,
                                    .maxRecordBytes = 1 << 20,
                                    .writeRate = rate,
                                    .meanPayloadBytes = payload,
                                    .overheadPerRecord = overhead,
                                    .consumers = {}});
    QCOMPARE(w.retainedMin, segment);
    QCOMPARE(w.retainedMax, 2 * segment);
    QTEST(w.retentionSecondsMin, "secondsMin");
    QTEST(w.retentionSecondsMax, "secondsMax");
    QTEST(w.memoryBytesMin, "memoryMin");
    QTEST(w.memoryBytesMax, "memoryMax");
    QTEST(w.sealsPerSecond, "sealsPerSecond");
    QTEST(w.secondsBetweenSeals, "secondsBetweenSeals");
    QVERIFY(!w.payloadOverMax);
    QVERIFY(w.consumers.empty());
  }

  void consumers_data() {
    QTest::addColumn<double>("rate");
    QTest::addColumn<double>("pace");
    QTest::addColumn<qlonglong>("lag");
    QTest::addColumn<bool>("overtaken");
    QTest::addColumn<double>("after");
    QTest::addColumn<double>("atLatest");
    QTest::addColumn<double>("needed");
    // All with a segment of 1000 records. At 100/s a seal comes every 10 s.
    // Its lag grows by 50 a second: past 1000 after 1000 / 50 = 20 s; the next purge by 30 s.
    QTest::addRow("a consumer at 50/s vs 100/s writes, lag 0: overtaken in 20–30 s, needs 100/s")
        << 100.0 << 50.0 << 0ll << true << 20.0 << 30.0 << 100.0;
    // (1000 − 400) / 50 = 12 s, then at most one seal interval (10 s) more.
    QTest::addRow("a consumer at 50/s vs 100/s writes, lag 400: overtaken in 12–22 s")
        << 100.0 << 50.0 << 400ll << true << 12.0 << 22.0 << 100.0;
    // (1000 − 0) / (1000 − 10) s: barely over one second; a seal every second.
    QTest::addRow("a consumer at 10/s vs 1000/s writes, lag 10: overtaken in 1–2 s")
        << 1000.0 << 10.0 << 10ll << true << 1.0 << 2.0 << 1000.0;
    QTest::addRow("an unthrottled consumer (pace 0) is never overtaken")
        << 100.0 << 0.0 << 900ll << false << kNever << kNever << 100.0;
    QTest::addRow("a consumer exactly at the rate, within a segment: never overtaken")
        << 100.0 << 100.0 << 1000ll << false << kNever << kNever << 100.0;
    QTest::addRow("a consumer faster than the rate: never overtaken")
        << 100.0 << 250.0 << 10ll << false << kNever << kNever << 100.0;
    // 1500 behind: beyond the newest segment, so the next purge (within 10 s) may take it.
    QTest::addRow("a consumer at the rate but 1500 behind: the next purge (0–10 s)")
        << 100.0 << 100.0 << 1500ll << true << 0.0 << 10.0 << 100.0;
    QTest::addRow("a slow consumer already 1200 behind: the next purge (0–10 s)")
        << 100.0 << 20.0 << 1200ll << true << 0.0 << 10.0 << 100.0;
    QTest::addRow("a faster consumer 1200 behind: the next purge may still come first (0–10 s)")
        << 100.0 << 150.0 << 1200ll << true << 0.0 << 10.0 << 100.0;
    QTest::addRow("a paused source: a slow consumer is never overtaken")
        << 0.0 << 5.0 << 1500ll << false << kNever << kNever << 0.0;
  }
  void consumers() {
    QFETCH(double, rate);
    QFETCH(double, pace);
    QFETCH(qlonglong, lag);
    const auto w = what_if::whatIf({.segmentSize = 1000,
                                    .maxRecordBytes = 1 << 20,
                                    .writeRate = rate,
                                    .meanPayloadBytes = 100,
                                    .overheadPerRecord = 64,
                                    .consumers = {{.name = "reader", .pace = pace, .lag = lag}}});
    QCOMPARE(w.consumers.size(), 1u);
    const auto& c = w.consumers.front();
    QCOMPARE(c.name, std::string("reader"));
    QCOMPARE(c.pace, pace);
    QTEST(c.overtaken, "overtaken");
    QTEST(c.overtakenAfter, "after");
    QTEST(c.overtakenAtLatest, "atLatest");
    QTEST(c.neededPace, "needed");
    QCOMPARE(c.beyondSegment, lag > 1000);
  }

  // Several consumers: each judged on its own, in the input's order.
  void consumersKeepTheirOrder() {
    const auto w = what_if::whatIf({.segmentSize = 200,
                                    .maxRecordBytes = 4096,
                                    .writeRate = 40,
                                    .meanPayloadBytes = 50,
                                    .overheadPerRecord = 64,
                                    .consumers = {{.name = "fast", .pace = 0, .lag = 3},
                                                  {.name = "slow", .pace = 30, .lag = 100},
                                                  {.name = "steady", .pace = 40, .lag = 150}}});
    QCOMPARE(w.consumers.size(), 3u);
    QCOMPARE(w.consumers[0].name, std::string("fast"));
    QVERIFY(!w.consumers[0].overtaken);
    QCOMPARE(w.consumers[1].name, std::string("slow"));
    QVERIFY(w.consumers[1].overtaken);
    QCOMPARE(w.consumers[1].overtakenAfter, 10.0);     // (200 − 100) / (40 − 30)
    QCOMPARE(w.consumers[1].overtakenAtLatest, 15.0);  // + 200 / 40
    QCOMPARE(w.consumers[2].name, std::string("steady"));
    QVERIFY(!w.consumers[2].overtaken);
  }

  void payloadOverTheLimit_data() {
    QTest::addColumn<double>("payload");
    QTest::addColumn<qulonglong>("maxBytes");
    QTest::addColumn<bool>("over");
    QTest::addRow("300-byte payloads, max 256: over") << 300.0 << 256ull << true;
    QTest::addRow("256-byte payloads, max 256: at the limit, accepted") << 256.0 << 256ull << false;
    QTest::addRow("200-byte payloads, max 1 MiB: under") << 200.0 << 1048576ull << false;
  }
  void payloadOverTheLimit() {
    QFETCH(double, payload);
    QFETCH(qulonglong, maxBytes);
    const auto w = what_if::whatIf({.segmentSize = 10,
                                    .maxRecordBytes = maxBytes,
                                    .writeRate = 1,
                                    .meanPayloadBytes = payload,
                                    .overheadPerRecord = what_if::kOverheadBound,
                                    .consumers = {}});
    QTEST(w.payloadOverMax, "over");
  }
};

QTEST_GUILESS_MAIN(TestWhatIf)
#include "tst_what_if.moc"
