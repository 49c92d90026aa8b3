// SPDX-License-Identifier: MIT
// The simulated legacy source: its schedule (rate, bursts, stalls, pause, new options, stop) on
// a clock the test moves by hand, so every count is exact; one smoke test on the real clock;
// step, determinism, replay from a checkpoint.
#include <QJsonDocument>
#include <QTest>

#include <memlog/source/legacy_source.hpp>

#include <chrono>
#include <future>

using namespace std::chrono_literals;
using memlog::sim::LegacySource;
using memlog::sim::ManualSourceClock;
using memlog::sim::SourceKind;
using memlog::sim::SourceOptions;

namespace {
std::shared_ptr<memlog::Log> make_log(std::size_t segment = 100000, memlog::Offset start = 0,
                                      std::size_t max = 1 << 20) {
  return *memlog::Log::create({.start_offset = start, .segment_size = segment, .max_record_bytes = max});
}

// Real time a test waits for the source's thread to take something up (it takes microseconds).
constexpr auto kSettle = 10s;

// A source on a ManualSourceClock. The schedule it keeps (legacy_source.cpp): the first record
// at once when started (or resumed, or given a new rate), then one per period — 1/rate cut to
// whole nanoseconds — so that by time t after the start it has written 1 + floor(t / period),
// plus burst_size at every whole burst_every.
struct ClockedSource {
  std::shared_ptr<ManualSourceClock> clock = std::make_shared<ManualSourceClock>();
  std::shared_ptr<memlog::Log> log = make_log();
  LegacySource source;

  explicit ClockedSource(SourceOptions options) : source(log, options, clock) {}

  // Does `action`, then waits until the source's thread has taken it up: written what it made
  // due and asleep again (`sleeps` new sleeps: one per source woken). For a source that sleeps
  // when the action comes, and an action that wakes it.
  template <class Action>
  bool settle(Action action, std::uint64_t sleeps = 1) {
    const std::uint64_t before = clock->sleeps();
    action();
    return clock->wait_for_sleeps(before + sleeps, kSettle);
  }
  bool start() {
    return settle([this] { source.start(); });
  }
  // Moves the clock on; waits for the source if that woke it (its next write or burst came).
  bool advance(std::chrono::nanoseconds by) {
    const std::uint64_t before = clock->sleeps();
    const std::size_t woken = clock->advance(by);
    return clock->wait_for_sleeps(before + woken, kSettle);
  }
  std::uint64_t written() const { return source.counters().written; }
};
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

  void writesExactlyOnSchedule_data() {
    QTest::addColumn<double>("rate");
    QTest::addColumn<qint64>("periodNs");  // 1/rate cut to whole nanoseconds
    QTest::addColumn<int>("burstSize");
    QTest::addColumn<int>("burstEveryMs");
    QTest::addColumn<int>("stepMs");  // how far the clock moves at a time (no step is a stall)
    QTest::addColumn<int>("steps");
    QTest::addColumn<quint64>("written");  // in the end, the first record included
    QTest::addRow("1/s: 10 steps of 1 s write 10")
        << 1.0 << qint64{1'000'000'000} << 0 << 1000 << 1000 << 10 << quint64{1 + 10};
    QTest::addRow("100/s: 10 steps of 100 ms write 100")
        << 100.0 << qint64{10'000'000} << 0 << 1000 << 100 << 10 << quint64{1 + 100};
    QTest::addRow("10k/s: 10 steps of 100 ms write 10,000, 1,000 per wake-up")
        << 10'000.0 << qint64{100'000} << 0 << 1000 << 100 << 10 << quint64{1 + 10'000};
    QTest::addRow("3/s: 3 s in steps of 100 ms write 9 (period 333,333,333 ns)")
        << 3.0 << qint64{333'333'333} << 0 << 1000 << 100 << 30 << quint64{1 + 9};
    QTest::addRow("1/s with a burst of 5 every second: 10 s write 10 + 50")
        << 1.0 << qint64{1'000'000'000} << 5 << 1000 << 1000 << 10 << quint64{1 + 10 + 50};
    QTest::addRow("10/s with a burst of 100 every 500 ms: 2 s write 20 + 400")
        << 10.0 << qint64{100'000'000} << 100 << 500 << 100 << 20 << quint64{1 + 20 + 400};
  }
  void writesExactlyOnSchedule() {
    QFETCH(double, rate);
    QFETCH(qint64, periodNs);
    QFETCH(int, burstSize);
    QFETCH(int, burstEveryMs);
    QFETCH(int, stepMs);
    QFETCH(int, steps);
    QFETCH(quint64, written);
    ClockedSource s({.rate = rate,
                     .burst_size = static_cast<std::size_t>(burstSize),
                     .burst_every = std::chrono::milliseconds(burstEveryMs)});
    QVERIFY(s.start());
    QCOMPARE(s.written(), 1u);  // the first record at once
    for (int step = 1; step <= steps; ++step) {
      QVERIFY(s.advance(std::chrono::milliseconds(stepMs)));
      const qint64 t = qint64{step} * stepMs * 1'000'000;  // ns since the start
      const auto expected =
          static_cast<std::uint64_t>(1 + t / periodNs + burstSize * (t / (qint64{burstEveryMs} * 1'000'000)));
      QVERIFY2(s.written() == expected, qPrintable(QStringLiteral("after %1 ms: %2 written, %3 expected")
                                                       .arg(t / 1'000'000)
                                                       .arg(s.written())
                                                       .arg(expected)));
    }
    QCOMPARE(s.written(), written);
    QCOMPARE(s.log->stats().next_offset, static_cast<memlog::Offset>(written));
  }

  // The thread sleeps once per wake-up: a deadline it does not wait for (a busy loop) would show
  // as more sleeps, or as none at all (wait_for_sleeps would time out).
  void sleepsOncePerWakeUp() {
    ClockedSource s({.rate = 1});
    QVERIFY(s.start());
    for (int second = 1; second <= 10; ++second) {
      QCOMPARE(s.clock->advance(999ms), 0u);  // not due yet: nobody woken
      QVERIFY(s.advance(1ms));
    }
    QCOMPARE(s.clock->sleeps(), 1u + 10u);
    QCOMPARE(s.written(), 1u + 10u);
  }

  // Behind schedule by more than 250 ms (a stall), the source starts a new schedule at once
  // instead of writing all it missed; up to 250 ms behind, it catches up.
  void stallIsNotFlooded_data() {
    QTest::addColumn<int>("stallMs");
    QTest::addColumn<quint64>("written");  // after the stall, the first record included
    QTest::addRow("250 ms (240 ms behind): all 25 written") << 250 << quint64{1 + 25};
    QTest::addRow("260 ms (250 ms behind): all 26 written") << 260 << quint64{1 + 26};
    QTest::addRow("261 ms (251 ms behind): one, a new schedule") << 261 << quint64{1 + 1};
    QTest::addRow("1 s: one, a new schedule") << 1000 << quint64{1 + 1};
  }
  void stallIsNotFlooded() {
    QFETCH(int, stallMs);
    QFETCH(quint64, written);
    ClockedSource s({.rate = 100});
    QVERIFY(s.start());
    QVERIFY(s.advance(std::chrono::milliseconds(stallMs)));
    QCOMPARE(s.written(), written);
    QVERIFY(s.advance(100ms));  // then on schedule again: 10 per 100 ms
    QCOMPARE(s.written(), written + 10);
  }

  // Paused, nothing is written however long; resumed, a new schedule starts with one record at
  // once — what was missed while paused is not made up, even within the 250 ms catch-up.
  void pauseStopsWritesResumeWritesAtOnce_data() {
    QTest::addColumn<int>("pausedMs");
    QTest::addRow("paused 200 ms (within the catch-up)") << 200;
    QTest::addRow("paused 10 s") << 10'000;
  }
  void pauseStopsWritesResumeWritesAtOnce() {
    QFETCH(int, pausedMs);
    ClockedSource s({.rate = 100});
    QVERIFY(s.start());
    QVERIFY(s.advance(100ms));
    QCOMPARE(s.written(), 1u + 10u);
    QVERIFY(s.settle([&] { s.source.pause(); }));
    QVERIFY(s.source.counters().paused);
    QCOMPARE(s.clock->advance(std::chrono::milliseconds(pausedMs)), 0u);  // a paused source is not woken
    QCOMPARE(s.written(), 11u);
    QCOMPARE(s.log->stats().next_offset, 11);
    QVERIFY(s.settle([&] { s.source.resume(); }));
    QCOMPARE(s.written(), 12u);
    QVERIFY(s.advance(100ms));
    QCOMPARE(s.written(), 22u);
  }

  void newRateTakesEffectAtOnce() {
    ClockedSource s({.rate = 1});
    QVERIFY(s.start());
    QCOMPARE(s.written(), 1u);
    // Not after the rest of the 1 s period: the thread is woken, starts a schedule at 100/s.
    QVERIFY(s.settle([&] { s.source.set_options({.rate = 100}); }));
    QCOMPARE(s.written(), 2u);
    QVERIFY(s.advance(100ms));
    QCOMPARE(s.written(), 12u);
  }

  // One clock, several sources: advance() wakes every one whose next write came.
  void oneClockPacesSeveralSources() {
    auto clock = std::make_shared<ManualSourceClock>();
    auto slowLog = make_log();
    auto fastLog = make_log();
    LegacySource slow(slowLog, {.rate = 10}, clock);
    LegacySource fast(fastLog, {.rate = 100}, clock);
    const std::uint64_t before = clock->sleeps();
    slow.start();
    fast.start();
    QVERIFY(clock->wait_for_sleeps(before + 2, kSettle));
    for (int step = 0; step < 10; ++step) {
      const std::uint64_t sleeps = clock->sleeps();
      QCOMPARE(clock->advance(100ms), 2u);  // both were due
      QVERIFY(clock->wait_for_sleeps(sleeps + 2, kSettle));
    }
    QCOMPARE(slow.counters().written, 1u + 10u);
    QCOMPARE(fast.counters().written, 1u + 100u);
  }

  // A race test for the tsan preset: the clock moves while the source writes, pauses and
  // resumes, without waiting for it. Then what must hold once the thread is joined: never ahead
  // of the clock (plus one record per resume, which starts a schedule), record n the source's
  // n-th payload; and a new thread on the same clock is its only sleeper and answers it.
  void clockMovedWhileTheSourceWrites() {
    ClockedSource s({.kind = SourceKind::tickets, .seed = 3, .rate = 1000});
    QVERIFY(s.start());
    std::chrono::nanoseconds moved{0};
    int resumes = 0;
    for (int i = 0; i < 3000; ++i) {
      s.clock->advance(1ms);
      moved += 1ms;
      if (i % 500 == 250) s.source.pause();
      if (i % 500 == 400) {
        s.source.resume();
        ++resumes;
      }
      if (i % 100 == 0) (void)s.source.counters();
    }
    s.source.stop();  // joined: the counts are final (a pause and a resume the thread did not
                      // see in between cancel out, so no sleep count would say when)
    const std::uint64_t written = s.written();
    QVERIFY2(written <= 1 + static_cast<std::uint64_t>(moved / 1ms) + static_cast<std::uint64_t>(resumes),
             qPrintable(QString::number(written)));
    QCOMPARE(s.log->stats().next_offset, static_cast<memlog::Offset>(written));
    for (memlog::Offset o = 0; o < static_cast<memlog::Offset>(written); ++o)
      QCOMPARE(std::string(s.log->read(o)->text()),
               memlog::sim::make_payload(SourceKind::tickets, 3, static_cast<std::uint64_t>(o)));
    QVERIFY(s.start());
    QCOMPARE(s.written(), written + 1);
    const std::uint64_t sleeps = s.clock->sleeps();
    QCOMPARE(s.clock->advance(1ms), 1u);  // the old thread left no sleeper behind
    QVERIFY(s.clock->wait_for_sleeps(sleeps + 1, kSettle));
    QCOMPARE(s.written(), written + 2);
  }

  void unthrottledWritesFast() {
    auto log = make_log(1000);
    LegacySource source(log, {.rate = 0});
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.counters().written > 20000, 10000);
    source.stop();
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

  // stop() wakes the thread whatever it waits for: the clock never moves here, so a stop that
  // waited for the next write (or burst, or resume) would never return.
  void stopIsPrompt_data() {
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("burstSize");
    QTest::addColumn<bool>("paused");
    QTest::addRow("asleep until the next write (1/s)") << 1.0 << 0 << false;
    QTest::addRow("asleep until the next write or burst") << 1.0 << 100 << false;
    QTest::addRow("paused") << 100.0 << 0 << true;
  }
  void stopIsPrompt() {
    QFETCH(double, rate);
    QFETCH(int, burstSize);
    QFETCH(bool, paused);
    ClockedSource s({.rate = rate, .burst_size = static_cast<std::size_t>(burstSize)});
    QVERIFY(s.start());
    if (paused) QVERIFY(s.settle([&] { s.source.pause(); }));
    auto stopped = std::async(std::launch::async, [&] { s.source.stop(); });
    if (stopped.wait_for(kSettle) != std::future_status::ready) {
      s.clock->advance(24h);  // let it go, so that the test fails instead of hanging
      s.source.resume();
      QFAIL("stop() waited for the clock");
    }
    QVERIFY(!s.source.counters().running);
    QCOMPARE(s.written(), 1u);
  }

  // The real clock's wiring: the source paces itself by steady_clock (never ahead of its
  // schedule — an exact bound — and not stuck after its first record) and stop() wakes its sleep.
  void realClockSmoke() {
    auto log = make_log();
    LegacySource source(log, {.rate = 20});  // the default clock: steady_clock, period 50 ms
    const auto t0 = std::chrono::steady_clock::now();
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.counters().written >= 3, 10000);
    const auto written = source.counters().written;
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    QVERIFY2(written <= 1 + static_cast<std::uint64_t>(elapsed / 50ms),
             qPrintable(QStringLiteral("%1 written in %2 ms").arg(written).arg(elapsed / 1ms)));
    source.set_options({.rate = 0.2});  // a 5 s period: the thread writes one record, then sleeps
    const auto before = std::chrono::steady_clock::now();
    source.stop();
    // Waking and joining take milliseconds; waiting out the period would take up to 5 s. The
    // bound is half of that, for a loaded machine.
    QVERIFY2(std::chrono::steady_clock::now() - before < 2500ms,
             qPrintable(QString::number((std::chrono::steady_clock::now() - before) / 1ms)));
    QVERIFY(!source.counters().running);
  }
};

QTEST_GUILESS_MAIN(TestLegacySource)
#include "tst_legacy_source.moc"
