// SPDX-License-Identifier: MIT
// SourceController over a LogAdapter: start, pause, resume and toggle with stateChanged
// counted; step() writes exactly one record, sequence n at offset n with make_payload's bytes;
// each setter changes its option and only that one; a refused write reported once with the
// reason, the source paused; a replacement of the log stops the source before and continues it
// at the new log's next offset after — or, for a replay, at the checkpoint with the payloads it
// wrote there the first time. Proof is counted (signals, offsets, payloads), never a fixed wait.
#include <QSignalSpy>
#include <QTest>

#include <functional>

#include "adapter/log_adapter.hpp"
#include "controllers/source_controller.hpp"

using namespace std::chrono_literals;
using memlog::Offset;
using memlog::sim::SourceKind;
using memlog::sim::SourceOptions;
// Calls a setter and makes the same change to the options expected.
using Setter = std::function<void(SourceController&, memlog::sim::SourceOptions&)>;
Q_DECLARE_METATYPE(Setter)
Q_DECLARE_METATYPE(SourceOptions)

namespace {
constexpr int kTimeout = 10000;

std::shared_ptr<memlog::Log> makeLog(Offset start = 0, std::size_t maxRecordBytes = 1 << 20) {
  return *memlog::Log::create({.start_offset = start, .segment_size = 1000, .max_record_bytes = maxRecordBytes});
}

std::string textAt(const memlog::Log& log, Offset offset) {
  const auto record = log.read(offset);
  return record ? std::string(record->text()) : std::string("<unreadable>");
}

// Waits until `spy` has `more` signals more than it has now (the controller's ticks).
bool waitFor(QSignalSpy& spy, int more) {
  const qsizetype target = spy.count() + more;
  return QTest::qWaitFor([&] { return spy.count() >= target; }, kTimeout);
}

// Not the defaults in any field, so that each row's change (and nothing else) shows.
const SourceOptions kBase{
    .kind = SourceKind::tickets, .seed = 3, .rate = 50, .burst_size = 4, .burst_every = 700ms, .payload_bytes = 64};
const QString kTooLarge = QString::fromStdString(make_error_code(memlog::Errc::record_too_large).message());
}  // namespace

class TestSourceController : public QObject {
  Q_OBJECT

 private slots:
  void startPauseResumeToggle() {
    LogAdapter adapter(makeLog());
    SourceController source(&adapter, SourceOptions{.rate = 50});
    QSignalSpy state(&source, &SourceController::stateChanged);
    QVERIFY(!source.isRunning());
    QVERIFY(!source.isPaused());

    source.start();
    QVERIFY(source.isRunning() && !source.isPaused());
    QTRY_VERIFY_WITH_TIMEOUT(adapter.stats().next_offset >= 3, kTimeout);
    source.pause();
    QVERIFY(!source.isRunning() && source.isPaused());
    QCOMPARE(state.count(), 2);
    // pause() returns after a write in flight: what was written is all there is.
    const Offset paused = adapter.stats().next_offset;
    QCOMPARE(source.counters().written, static_cast<std::uint64_t>(paused));
    QCOMPARE(source.counters().next_sequence, static_cast<std::uint64_t>(paused));

    source.resume();
    QVERIFY(source.isRunning() && !source.isPaused());
    QTRY_VERIFY_WITH_TIMEOUT(adapter.stats().next_offset > paused, kTimeout);
    source.togglePause();
    QVERIFY(source.isPaused());
    source.togglePause();
    QVERIFY(source.isRunning());
    QCOMPARE(state.count(), 5);

    // togglePause() of a source never started starts it.
    SourceController fresh(&adapter, SourceOptions{.rate = 50});
    QSignalSpy freshState(&fresh, &SourceController::stateChanged);
    fresh.togglePause();
    QVERIFY(fresh.isRunning());
    QCOMPARE(freshState.count(), 1);
  }

  void stepWritesOneRecord_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<SourceOptions>("options");
    QTest::addRow("sensor, natural size") << Offset{0} << SourceOptions{.rate = 50};
    QTest::addRow("inventory, seed 7, log from 500")
        << Offset{500} << SourceOptions{.kind = SourceKind::inventory, .seed = 7, .rate = 50};
    QTest::addRow("tickets padded to 300 bytes")
        << Offset{0} << SourceOptions{.kind = SourceKind::tickets, .seed = 3, .rate = 50, .payload_bytes = 300};
    QTest::addRow("sensor cut to 20 bytes") << Offset{42} << SourceOptions{.rate = 50, .payload_bytes = 20};
  }

  void stepWritesOneRecord() {
    QFETCH(Offset, start);
    QFETCH(SourceOptions, options);
    LogAdapter adapter(makeLog(start));
    SourceController source(&adapter, options);
    QSignalSpy counters(&source, &SourceController::countersChanged);
    QSignalSpy errors(&source, &SourceController::errorOccurred);
    for (Offset n = start; n < start + 3; ++n) {
      const qsizetype ticks = counters.count();
      source.step();
      QCOMPARE(adapter.stats().next_offset, n + 1);  // exactly one record
      QCOMPARE(
          textAt(*adapter.log(), n),
          memlog::sim::make_payload(options.kind, options.seed, static_cast<std::uint64_t>(n), options.payload_bytes));
      QVERIFY(counters.count() > ticks);  // step() says so at once
    }
    if (options.payload_bytes > 0) QCOMPARE(textAt(*adapter.log(), start).size(), options.payload_bytes);
    QCOMPARE(source.counters().written, std::uint64_t{3});
    QCOMPARE(source.counters().next_sequence, static_cast<std::uint64_t>(start + 3));
    QVERIFY(!source.isRunning() && !source.isPaused());
    QCOMPARE(errors.count(), 0);
  }

  // Each row calls one setter on a source made with kBase, and changes kBase as it should.
  void settersChangeTheirOption_data() {
    QTest::addColumn<Setter>("set");
    using C = SourceController;
    using O = SourceOptions;
    QTest::addRow("rate") << Setter([](C& s, O& o) { s.setRate(1234), o.rate = 1234; });
    QTest::addRow("rate 0 is unthrottled") << Setter([](C& s, O& o) { s.setRate(0), o.rate = 0; });
    QTest::addRow("negative rate is 0") << Setter([](C& s, O& o) { s.setRate(-5), o.rate = 0; });
    QTest::addRow("burst") << Setter([](C& s, O& o) { s.setBurst(25, 300), o.burst_size = 25, o.burst_every = 300ms; });
    QTest::addRow("burst of -2 every 0 ms: none, every 1 ms")
        << Setter([](C& s, O& o) { s.setBurst(-2, 0), o.burst_size = 0, o.burst_every = 1ms; });
    QTest::addRow("payload bytes") << Setter([](C& s, O& o) { s.setPayloadBytes(777), o.payload_bytes = 777; });
    QTest::addRow("negative payload bytes: natural size")
        << Setter([](C& s, O& o) { s.setPayloadBytes(-1), o.payload_bytes = 0; });
    QTest::addRow("kind") << Setter(
        [](C& s, O& o) { s.setKind(SourceKind::inventory), o.kind = SourceKind::inventory; });
    QTest::addRow("seed") << Setter([](C& s, O& o) { s.setSeed(0xfeedbeefcafeULL), o.seed = 0xfeedbeefcafeULL; });
  }

  void settersChangeTheirOption() {
    QFETCH(Setter, set);
    LogAdapter adapter(makeLog());
    SourceController source(&adapter, kBase);
    QSignalSpy state(&source, &SourceController::stateChanged);
    SourceOptions expected = kBase;
    set(source, expected);
    QCOMPARE(state.count(), 1);
    const SourceOptions o = source.options();
    QCOMPARE(o.rate, expected.rate);
    QCOMPARE(o.burst_size, expected.burst_size);
    QCOMPARE(o.burst_every.count(), expected.burst_every.count());
    QCOMPARE(o.payload_bytes, expected.payload_bytes);
    QCOMPARE(o.kind, expected.kind);
    QCOMPARE(o.seed, expected.seed);
    QCOMPARE(adapter.stats().next_offset, 0);  // an option change writes nothing
  }

  // Running, the first write over max_record_bytes is refused: reported once by the refresh
  // tick with the log's reason, the source paused at the same sequence (no offset skipped).
  void refusedWriteWhileRunningPausesOnce() {
    LogAdapter adapter(makeLog(0, 2000));
    SourceController source(&adapter, {.rate = 0});
    QSignalSpy errors(&source, &SourceController::errorOccurred);
    QSignalSpy state(&source, &SourceController::stateChanged);
    QSignalSpy ticks(&source, &SourceController::countersChanged);
    for (int i = 0; i < 3; ++i) source.step();
    source.setPayloadBytes(4000);
    source.start();  // unthrottled: it writes at once
    QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, kTimeout);
    QCOMPARE(errors.at(0).at(0).toString(), kTooLarge);
    QVERIFY(source.isPaused() && !source.isRunning());
    QCOMPARE(state.count(), 3);  // payload bytes, start, the pause of the refusal
    QVERIFY(waitFor(ticks, 3));
    QCOMPARE(errors.count(), 1);  // once, not on every tick
    QCOMPARE(source.counters().errors, std::uint64_t{1});
    QCOMPARE(adapter.stats().next_offset, 3);
    QCOMPARE(source.counters().next_sequence, std::uint64_t{3});

    source.setPayloadBytes(0);
    source.setRate(200);
    source.resume();  // sequence 3 at offset 3, as it would have been
    QTRY_VERIFY_WITH_TIMEOUT(adapter.stats().next_offset >= 4, kTimeout);
    source.pause();
    QCOMPARE(textAt(*adapter.log(), 3), memlog::sim::make_payload(SourceKind::sensor, 1, 3));
  }

  // A refused step is reported at once (not again by the tick) and pauses the source.
  void refusedStepPausesOnce() {
    LogAdapter adapter(makeLog(0, 2000));
    SourceController source(&adapter, {.rate = 0.01});  // one write at start, then 100 s
    QSignalSpy errors(&source, &SourceController::errorOccurred);
    QSignalSpy state(&source, &SourceController::stateChanged);
    QSignalSpy ticks(&source, &SourceController::countersChanged);
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(adapter.stats().next_offset, 1, kTimeout);
    source.setPayloadBytes(4000);
    QCOMPARE(state.count(), 2);
    source.step();
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), kTooLarge);
    QVERIFY(source.isPaused() && !source.isRunning());
    QVERIFY(waitFor(ticks, 3));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(adapter.stats().next_offset, 1);
    // The pause is told as a state change, so that the simulation panel shows it.
    QCOMPARE(state.count(), 3);
  }

  // Reconfigured or replaced while running (or paused): stopped before the swap — nothing more
  // reaches the old log — and continued after it at the new log's next offset, in its state.
  void followsAReplacement_data() {
    QTest::addColumn<bool>("reconfigure");
    QTest::addColumn<bool>("paused");
    QTest::addRow("reconfigure at 500, running") << true << false;
    QTest::addRow("replaceLog at 500, running") << false << false;
    QTest::addRow("replaceLog at 500, paused") << false << true;
  }

  void followsAReplacement() {
    QFETCH(bool, reconfigure);
    QFETCH(bool, paused);
    LogAdapter adapter(makeLog());
    SourceController source(&adapter, {.kind = SourceKind::tickets, .seed = 9, .rate = 200});
    QSignalSpy state(&source, &SourceController::stateChanged);
    QSignalSpy ticks(&source, &SourceController::countersChanged);
    auto old = adapter.log();
    bool stoppedBefore = false;
    Offset oldNext = -1;
    connect(&adapter, &LogAdapter::aboutToReplaceLog, this, [&] {  // after the controller's slot
      stoppedBefore = !source.counters().running;
      oldNext = old->stats().next_offset;
    });
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(adapter.stats().next_offset >= 5, kTimeout);
    if (paused) source.pause();
    const int before = static_cast<int>(state.count());
    if (reconfigure)
      QCOMPARE(adapter.reconfigure({.start_offset = 500, .segment_size = 1000}), QString());
    else
      adapter.replaceLog(makeLog(500));
    QVERIFY(stoppedBefore);
    QCOMPARE(state.count(), before + 1);
    QCOMPARE(source.isPaused(), paused);
    QCOMPARE(source.isRunning(), !paused);
    auto log = adapter.log();
    QCOMPARE(log->options().start_offset, 500);
    if (paused) {
      QCOMPARE(source.counters().next_sequence, std::uint64_t{500});
      QVERIFY(waitFor(ticks, 2));
      QCOMPARE(log->stats().next_offset, 500);
    } else {
      QTRY_VERIFY_WITH_TIMEOUT(log->stats().next_offset >= 503, kTimeout);
      for (Offset n = 500; n < 503; ++n)
        QCOMPARE(textAt(*log, n), memlog::sim::make_payload(SourceKind::tickets, 9, static_cast<std::uint64_t>(n)));
    }
    QCOMPARE(old->stats().next_offset, oldNext);  // nothing written to the old log after the swap
  }

  // replayFrom(checkpoint) makes the next replacement a replay: sequence `checkpoint` next, at
  // that offset, with the payload it had the first time; the replacement after it is not one.
  void replaysFromACheckpoint() {
    LogAdapter adapter(makeLog());
    SourceController source(&adapter, {.kind = SourceKind::inventory, .seed = 5, .rate = 0});
    for (int i = 0; i < 30; ++i) source.step();
    auto first = adapter.log();
    source.setRate(200);
    source.start();
    source.replayFrom(10);
    adapter.replaceLog(makeLog(10));
    QVERIFY(source.isRunning());
    auto replay = adapter.log();
    QTRY_VERIFY_WITH_TIMEOUT(replay->stats().next_offset >= 13, kTimeout);
    for (Offset n = 10; n < 13; ++n) QCOMPARE(textAt(*replay, n), textAt(*first, n));

    source.pause();
    adapter.replaceLog(makeLog(0));  // not a replay: the new log's next offset, 0
    QCOMPARE(source.counters().next_sequence, std::uint64_t{0});
    source.step();
    QCOMPARE(textAt(*adapter.log(), 0), textAt(*first, 0));
  }

  // countersChanged ticks (every ~250 ms) and, while running, each few ticks show more written.
  void countersTickWhileRunning() {
    LogAdapter adapter(makeLog());
    SourceController source(&adapter, {.rate = 100});
    QSignalSpy ticks(&source, &SourceController::countersChanged);
    source.start();
    for (int round = 0; round < 3; ++round) {
      const std::uint64_t written = source.counters().written;
      QVERIFY(waitFor(ticks, 2));
      QVERIFY2(source.counters().written > written, "nothing written over two ticks while running");
    }
    source.pause();
    QCOMPARE(source.counters().written, static_cast<std::uint64_t>(adapter.stats().next_offset));
  }
};

QTEST_GUILESS_MAIN(TestSourceController)
#include "tst_source_controller.moc"
