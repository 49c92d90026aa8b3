// SPDX-License-Identifier: MIT
// The simulated legacy source: rate accuracy, pause, step, determinism, replay from a checkpoint.
#include <QJsonDocument>
#include <QTest>

#include <memlog/source/legacy_source.hpp>

#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using memlog::sim::LegacySource;
using memlog::sim::SourceKind;
using memlog::sim::SourceOptions;

namespace {
std::shared_ptr<memlog::Log> make_log(std::size_t segment = 100000, memlog::Offset start = 0,
                                      std::size_t max = 1 << 20) {
  return *memlog::Log::create({.start_offset = start, .segment_size = segment, .max_record_bytes = max});
}
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
}  // namespace

class TestLegacySource : public QObject {
  Q_OBJECT

 private slots:
  void payloadsAreJsonAndDeterministic_data() {
    QTest::addColumn<int>("kind");
    QTest::addRow("sensor") << static_cast<int>(SourceKind::sensor);
    QTest::addRow("inventory") << static_cast<int>(SourceKind::inventory);
    QTest::addRow("tickets") << static_cast<int>(SourceKind::tickets);
  }
  void payloadsAreJsonAndDeterministic() {
    QFETCH(int, kind);
    const auto k = static_cast<SourceKind>(kind);
    for (std::uint64_t n = 0; n < 200; ++n) {
      const std::string p = memlog::sim::make_payload(k, 42, n);
      QCOMPARE(p, memlog::sim::make_payload(k, 42, n));  // a pure function
      QJsonParseError error;
      QJsonDocument::fromJson(QByteArray::fromStdString(p), &error);
      QCOMPARE(error.error, QJsonParseError::NoError);
      QVERIFY(p.find("\"seq\":" + std::to_string(n)) != std::string::npos);
    }
    QVERIFY(memlog::sim::make_payload(k, 1, 5) != memlog::sim::make_payload(k, 2, 5));  // the seed matters
  }

  void payloadSize_data() {
    QTest::addColumn<int>("size");
    QTest::addRow("padded to 300 (a pad field)") << 300;
    QTest::addRow("padded by a few bytes (spaces)") << 0;  // computed below
    QTest::addRow("1 MiB") << (1 << 20);
    QTest::addRow("cut to 20") << 20;
  }
  void payloadSize() {
    QFETCH(int, size);
    const std::string natural = memlog::sim::make_payload(SourceKind::sensor, 7, 3);
    const std::size_t want = size == 0 ? natural.size() + 3 : static_cast<std::size_t>(size);
    const std::string p = memlog::sim::make_payload(SourceKind::sensor, 7, 3, want);
    QCOMPARE(p.size(), want);
    if (want > natural.size()) {
      QJsonParseError error;
      QJsonDocument::fromJson(QByteArray::fromStdString(p), &error);
      QCOMPARE(error.error, QJsonParseError::NoError);
    }
  }

  void kindNames() {
    for (SourceKind k : {SourceKind::sensor, SourceKind::inventory, SourceKind::tickets})
      QCOMPARE(memlog::sim::source_kind_from_string(memlog::sim::to_string(k)), std::optional<SourceKind>(k));
    QVERIFY(!memlog::sim::source_kind_from_string("mainframe").has_value());
  }

  void rateIsAccurate_data() {
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("milliseconds");
    QTest::addRow("1/s over 2.5 s") << 1.0 << 2500;
    QTest::addRow("1k/s over 1 s") << 1000.0 << 1000;
    QTest::addRow("10k/s over 1 s") << 10000.0 << 1000;
  }
  void rateIsAccurate() {
    QFETCH(double, rate);
    QFETCH(int, milliseconds);
    auto log = make_log();
    LegacySource source(log, {.rate = rate});
    const auto t0 = std::chrono::steady_clock::now();
    source.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
    const auto written = source.counters().written;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    source.stop();
    const double expected = rate * seconds;
    // The first record is written at once, then one per period: expected + 1 at most.
    const double tolerance = kSanitized ? 0.5 : 0.15;
    QVERIFY2(written <= expected + 1.5,
             qPrintable(QStringLiteral("%1 written, %2 expected").arg(written).arg(expected)));
    QVERIFY2(written >= expected * (1 - tolerance) - 1,
             qPrintable(QStringLiteral("%1 written, %2 expected").arg(written).arg(expected)));
  }

  void slowRateDoesNotSpin() {
    auto log = make_log();
    LegacySource source(log, {.rate = 2});
    source.start();
    const std::clock_t cpu0 = std::clock();
    std::this_thread::sleep_for(600ms);
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    source.stop();
    QVERIFY2(cpu < 0.2, qPrintable(QString::number(cpu)));  // a spinning thread would use ~0.6 s
  }

  void unthrottledWritesFast() {
    auto log = make_log(1000);
    LegacySource source(log, {.rate = 0});
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.counters().written > 20000, 10000);
    source.stop();
  }

  void pauseStopsWrites() {
    auto log = make_log();
    LegacySource source(log, {.rate = 2000});
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.counters().written > 50, 5000);
    source.pause();
    const auto paused_at = log->stats().next_offset;
    std::this_thread::sleep_for(200ms);
    QCOMPARE(log->stats().next_offset, paused_at);
    QVERIFY(source.counters().paused);
    source.resume();
    QTRY_VERIFY_WITH_TIMEOUT(log->stats().next_offset > paused_at, 5000);
  }

  void stepWritesExactlyOne() {
    auto log = make_log();
    LegacySource source(log, {.kind = SourceKind::inventory, .seed = 9});
    for (int i = 0; i < 3; ++i) QVERIFY(source.step());
    QCOMPARE(log->stats().next_offset, 3);
    QCOMPARE(std::string(log->read(2)->text()), memlog::sim::make_payload(SourceKind::inventory, 9, 2));
    source.start();
    source.pause();
    const auto before = log->stats().next_offset;
    QVERIFY(source.step());
    QCOMPARE(log->stats().next_offset, before + 1);
  }

  void refusedWriteIsCountedAndPauses() {
    auto log = make_log(100, 0, 64);  // records over 64 bytes are refused
    LegacySource source(log, {.rate = 1000, .payload_bytes = 500});
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.counters().errors >= 1, 5000);
    const auto c = source.counters();
    QVERIFY(c.paused);
    QVERIFY(!c.last_error.empty());
    QCOMPARE(log->stats().next_offset, 0);  // nothing half-written, no offset consumed
    QCOMPARE(c.next_sequence, 0u);
  }

  void sameSeedSameRecords() {
    auto a = make_log();
    auto b = make_log();
    LegacySource sa(a, {.kind = SourceKind::tickets, .seed = 77});
    LegacySource sb(b, {.kind = SourceKind::tickets, .seed = 77});
    for (int i = 0; i < 50; ++i) {
      QVERIFY(sa.step());
      QVERIFY(sb.step());
    }
    for (memlog::Offset o = 0; o < 50; ++o) QCOMPARE(a->read(o)->text(), b->read(o)->text());
  }

  void replayFromCheckpointReproducesRecords() {
    auto original = make_log(10);
    LegacySource source(original, {.kind = SourceKind::sensor, .seed = 5, .rate = 0});
    for (int i = 0; i < 35; ++i) QVERIFY(source.step());
    const memlog::Offset checkpoint = 22;
    std::vector<std::string> before;
    for (memlog::Offset o = checkpoint; o < 35; ++o) before.emplace_back(original->read(o)->text());
    // The log "crashes": a new one starts at the checkpoint and the source replays into it.
    auto recreated = make_log(10, checkpoint);
    source.attach(recreated, static_cast<std::uint64_t>(checkpoint));
    for (int i = 0; i < 13; ++i) QVERIFY(source.step());
    for (memlog::Offset o = checkpoint; o < 35; ++o)
      QCOMPARE(std::string(recreated->read(o)->text()), before[static_cast<std::size_t>(o - checkpoint)]);
    QCOMPARE(recreated->read(checkpoint - 1).error(), make_error_code(memlog::Errc::out_of_range));
  }

  void stopIsPrompt() {
    auto log = make_log();
    LegacySource source(log, {.rate = 1});
    source.start();
    std::this_thread::sleep_for(50ms);
    const auto t0 = std::chrono::steady_clock::now();
    source.stop();
    QVERIFY(std::chrono::steady_clock::now() - t0 < 500ms);  // not the rest of a 1 s period
    QVERIFY(!source.counters().running);
  }
};

QTEST_GUILESS_MAIN(TestLegacySource)
#include "tst_legacy_source.moc"
