// SPDX-License-Identifier: MIT
// The Qt wrappers of the source and the consumers, and the session's crash-and-replay
// scenario, driven through their signals and slots.
#include <QSignalSpy>
#include <QTest>

#include "adapter/log_session.hpp"

using memlog::sim::ConsumerState;

class TestLogSession : public QObject {
  Q_OBJECT

 private slots:
  void sourceControllerWritesPausesSteps() {
    LogSession session({.segment_size = 100}, {.rate = 500});
    SourceController* source = session.source();
    QSignalSpy state(source, &SourceController::stateChanged);
    QSignalSpy counters(source, &SourceController::countersChanged);
    source->start();
    QVERIFY(source->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(session.adapter()->log()->stats().next_offset > 20, 5000);
    source->togglePause();
    QVERIFY(source->isPaused());
    QCOMPARE(state.count(), 2);  // started, paused
    const auto paused = session.adapter()->log()->stats().next_offset;
    QCOMPARE(source->counters().written, static_cast<std::uint64_t>(paused));  // no write in flight
    // Two refreshes of the counters later (what the source panel shows), still nothing written.
    const auto refreshes = counters.count();
    QTRY_VERIFY_WITH_TIMEOUT(counters.count() >= refreshes + 2, 5000);
    QCOMPARE(session.adapter()->log()->stats().next_offset, paused);
    QCOMPARE(source->counters().written, static_cast<std::uint64_t>(paused));
    source->step();
    QCOMPARE(session.adapter()->log()->stats().next_offset, paused + 1);
    source->setRate(1234);
    QCOMPARE(source->options().rate, 1234.0);
    source->setKind(memlog::sim::SourceKind::tickets);
    QCOMPARE(source->options().kind, memlog::sim::SourceKind::tickets);
  }

  void sourceReportsRefusedWrites() {
    LogSession session({.segment_size = 100, .max_record_bytes = 50}, {.rate = 100, .payload_bytes = 400});
    QSignalSpy errors(session.source(), &SourceController::errorOccurred);
    session.source()->start();
    QTRY_VERIFY_WITH_TIMEOUT(errors.count() >= 1, 5000);
    QVERIFY(!errors.at(0).at(0).toString().isEmpty());
    QVERIFY(session.source()->isPaused());
  }

  void consumerControllerTracksConsumers() {
    LogSession session({.segment_size = 40}, {.rate = 0});
    ConsumerController* consumers = session.consumers();
    consumers->setRefreshInterval(20);
    QSignalSpy added(consumers, &ConsumerController::consumerAdded);
    QSignalSpy changed(consumers, &ConsumerController::consumerStateChanged);
    const int fast =
        consumers->add({.name = "fast", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    const int slow =
        consumers->add({.name = "slow", .pace = 5, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    QCOMPARE(added.count(), 2);
    QCOMPARE(consumers->snapshots().size(), 2u);
    session.source()->start();
    auto stateOf = [&](int id) {
      for (const auto& s : consumers->snapshots())
        if (s.id == id) return s.state;
      return ConsumerState::stopped;
    };
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(slow), ConsumerState::fell_behind, 10000);
    bool sawFellBehind = false;
    for (const auto& args : changed)
      if (args.at(0).toInt() == slow && args.at(3).value<ConsumerState>() == ConsumerState::fell_behind)
        sawFellBehind = true;
    QVERIFY(sawFellBehind);
    session.source()->pause();
    consumers->resume(slow, false);
    QVERIFY(stateOf(slow) != ConsumerState::fell_behind);
    consumers->remove(fast);
    QCOMPARE(consumers->snapshots().size(), 1u);
  }

  void reconfigureRestartsSourceAndConsumers() {
    LogSession session({.segment_size = 100}, {.rate = 1000});
    session.source()->start();
    const int id =
        session.consumers()->add({.name = "c", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    QTRY_VERIFY_WITH_TIMEOUT(session.adapter()->log()->stats().next_offset > 10, 5000);
    QVERIFY(session.adapter()
                ->reconfigure({.start_offset = 0, .segment_size = 50, .max_record_bytes = 1 << 20, .clock = {}})
                .isEmpty());
    auto log = session.adapter()->log();
    QCOMPARE(log->options().segment_size, 50u);
    QVERIFY(session.source()->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(log->stats().next_offset > 10, 5000);  // the source writes into the new log
    session.consumers()->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(session.consumers()->snapshots().at(0).position > 5, 5000);
    QCOMPARE(session.consumers()->snapshots().at(0).id, id);
  }

  void crashAndReplayFromTheLowestCheckpoint() {
    LogSession session({.segment_size = 1000}, {.kind = memlog::sim::SourceKind::inventory, .seed = 3, .rate = 0});
    for (int i = 0; i < 40; ++i) session.source()->step();
    const int id = session.consumers()->add(
        {.name = "reader", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    QTRY_COMPARE_WITH_TIMEOUT(session.consumers()->lowestCheckpoint(), 40, 5000);
    for (int i = 0; i < 10; ++i) session.source()->step();  // 40..49 written, maybe not yet read
    std::vector<std::string> payloads;
    for (memlog::Offset o = 40; o < 50; ++o) payloads.emplace_back(session.adapter()->log()->read(o)->text());

    QSignalSpy replayed(&session, &LogSession::replayed);
    const memlog::Offset checkpoint = session.crashAndReplay();
    QVERIFY(checkpoint >= 40 && checkpoint <= 50);
    QCOMPARE(replayed.count(), 1);
    auto log = session.adapter()->log();
    QCOMPARE(log->options().start_offset, checkpoint);
    // The durable source replays: the same payloads at the same offsets.
    for (int i = 0; i < 10; ++i) session.source()->step();
    for (memlog::Offset o = checkpoint; o < 50; ++o)
      QCOMPARE(std::string(log->read(o)->text()), payloads[static_cast<std::size_t>(o - 40)]);
    // The consumer resumed from its checkpoint on the new log.
    QTRY_VERIFY_WITH_TIMEOUT(session.consumers()->lowestCheckpoint() >= 50, 5000);
    QCOMPARE(session.consumers()->snapshots().at(0).id, id);
  }
};

QTEST_GUILESS_MAIN(TestLogSession)
#include "tst_log_session.moc"
