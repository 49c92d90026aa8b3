// SPDX-License-Identifier: MIT
// ConsumerController over a LogAdapter: ids and signals of add and remove, snapshots
// reconciled with the stats of their refresh (position clamped to the next offset, lag and
// live/lagging from those stats), a consumer the purge overtakes shown as fell_behind and
// signalled once, resume from the earliest or from the checkpoint, the total lag and the
// lowest checkpoint, and consumers stopped before a replacement of the log and restarted after
// it (from the new log's earliest, or from their checkpoints for a replay). Slow consumers read
// one record at once and then sleep 10 s (pace 0.1): their positions are exact.
#include <QSignalSpy>
#include <QTest>

#include "adapter/log_adapter.hpp"
#include "controllers/consumer_controller.hpp"

using namespace Qt::StringLiterals;
using memlog::Offset;
using memlog::sim::ConsumerSnapshot;
using memlog::sim::ConsumerStart;
using memlog::sim::ConsumerState;

namespace {
constexpr int kTimeout = 10000;
constexpr double kSlow = 0.1;  // one record, then 10 s before the next

std::shared_ptr<memlog::Log> makeLog(std::size_t segmentSize, Offset start = 0) {
  memlog::Options options;
  options.start_offset = start;
  options.segment_size = segmentSize;
  return *memlog::Log::create(options);
}

void write(memlog::Log& log, int count) {
  for (int i = 0; i < count; ++i) QVERIFY(log.write("record " + std::to_string(log.stats().next_offset)).has_value());
}

memlog::sim::ConsumerOptions consumer(std::string name, double pace, ConsumerStart start, Offset offset = 0) {
  memlog::sim::ConsumerOptions o;
  o.name = std::move(name);
  o.pace = pace;
  o.start = start;
  o.offset = offset;
  return o;
}

// The latest snapshot of consumer `id` (a stopped one with id 0 if there is none).
ConsumerSnapshot snapshotOf(const ConsumerController& consumers, int id) {
  for (const auto& s : consumers.snapshots())
    if (s.id == id) return s;
  return {};
}

// Refreshes first: for QTRY_COMPARE on what a consumer's thread has done.
Offset checkpointOf(ConsumerController& consumers, int id) {
  consumers.refresh();
  return snapshotOf(consumers, id).checkpoint;
}

// The consumerStateChanged signals of consumer `id`, as (from, to).
QList<std::pair<ConsumerState, ConsumerState>> changesOf(const QSignalSpy& spy, int id) {
  QList<std::pair<ConsumerState, ConsumerState>> changes;
  for (const auto& args : spy)
    if (args.at(0).toInt() == id)
      changes.append({args.at(2).value<ConsumerState>(), args.at(3).value<ConsumerState>()});
  return changes;
}

bool waitFor(QSignalSpy& spy, int more) {
  const qsizetype target = spy.count() + more;
  return QTest::qWaitFor([&] { return spy.count() >= target; }, kTimeout);
}
}  // namespace

class TestConsumerController : public QObject {
  Q_OBJECT

 private slots:
  void addAndRemove() {
    LogAdapter adapter(makeLog(1000));
    write(*adapter.log(), 20);
    ConsumerController consumers(&adapter);
    QSignalSpy added(&consumers, &ConsumerController::consumerAdded);
    QSignalSpy removed(&consumers, &ConsumerController::consumerRemoved);
    const int all = consumers.add(consumer("all", 0, ConsumerStart::earliest));
    const int tail = consumers.add(consumer("tail", 0, ConsumerStart::latest));
    const int unnamed = consumers.add(consumer("", 0, ConsumerStart::offset, 15));
    QCOMPARE(all, 1);
    QCOMPARE(tail, 2);
    QCOMPARE(unnamed, 3);
    QCOMPARE(added.count(), 3);
    QCOMPARE(added.at(1).at(0).toInt(), tail);
    QCOMPARE(consumers.snapshots().size(), std::size_t{3});  // add() refreshes
    QCOMPARE(snapshotOf(consumers, unnamed).name, std::string("consumer 3"));

    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, all), 20, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, unnamed), 20, kTimeout);
    QCOMPARE(snapshotOf(consumers, all).consumed, std::uint64_t{20});
    QCOMPARE(snapshotOf(consumers, unnamed).consumed, std::uint64_t{5});
    QCOMPARE(snapshotOf(consumers, tail).position, 20);  // waits for what comes next
    QCOMPARE(snapshotOf(consumers, tail).checkpoint, -1);
    QCOMPARE(snapshotOf(consumers, tail).consumed, std::uint64_t{0});

    consumers.remove(all);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(0).toInt(), all);
    QCOMPARE(consumers.snapshots().size(), std::size_t{2});
    QCOMPARE(snapshotOf(consumers, all).id, 0);
    consumers.remove(all);  // gone already: no signal
    consumers.remove(99);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(consumers.add(consumer("next", 0, ConsumerStart::latest)), 4);  // ids are not reused
  }

  // refresh(stats) reconciles with those stats, even older ones: position at most their next
  // offset, lag = next offset - position, live or lagging by their segment size.
  void refreshReconcilesWithItsStats() {
    LogAdapter adapter(makeLog(1000));
    write(*adapter.log(), 10);
    const memlog::Stats ten = adapter.stats();
    write(*adapter.log(), 10);
    ConsumerController consumers(&adapter);
    consumers.setRefreshInterval(0);  // only the test refreshes
    QSignalSpy changed(&consumers, &ConsumerController::consumerStateChanged);
    QSignalSpy refreshed(&consumers, &ConsumerController::consumersChanged);
    const int all = consumers.add(consumer("all", 0, ConsumerStart::earliest));
    const int slow = consumers.add(consumer("slow", kSlow, ConsumerStart::earliest));
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, all), 20, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, slow), 1, kTimeout);

    const qsizetype refreshes = refreshed.count();
    consumers.refresh(ten);
    QCOMPARE(refreshed.count(), refreshes + 1);
    QCOMPARE(snapshotOf(consumers, all).position, 10);  // read after the stats: clamped to them
    QCOMPARE(snapshotOf(consumers, all).lag, 0);
    QCOMPARE(snapshotOf(consumers, slow).position, 1);
    QCOMPARE(snapshotOf(consumers, slow).lag, 9);
    QCOMPARE(consumers.totalLag(), 9);

    memlog::Stats small = adapter.stats();  // segments of 30: a lag of 19 is over half of one
    small.segment_size = 30;
    consumers.refresh(small);
    QCOMPARE(snapshotOf(consumers, all).position, 20);
    QCOMPARE(snapshotOf(consumers, slow).lag, 19);
    QCOMPARE(snapshotOf(consumers, slow).state, ConsumerState::lagging);
    QCOMPARE(snapshotOf(consumers, all).state, ConsumerState::live);
    QCOMPARE(changesOf(changed, slow),
             (QList<std::pair<ConsumerState, ConsumerState>>{{ConsumerState::live, ConsumerState::lagging}}));
    QCOMPARE(changesOf(changed, all).size(), 0);
    QCOMPARE(changed.at(0).at(1).toString(), u"slow"_s);
  }

  // The purge overtakes a slow consumer: fell_behind at the next refresh, signalled once
  // (not again when its thread finds out); resumed from its purged checkpoint it falls behind
  // again, from the earliest it reads on, and from a retained checkpoint it goes on from there.
  void overtakenConsumerFellBehindOnce() {
    LogAdapter adapter(makeLog(10));
    ConsumerController consumers(&adapter);
    QSignalSpy changed(&consumers, &ConsumerController::consumerStateChanged);
    QSignalSpy refreshed(&consumers, &ConsumerController::consumersChanged);
    const int slow = consumers.add(consumer("slow", kSlow, ConsumerStart::earliest));
    write(*adapter.log(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, slow), 1, kTimeout);
    write(*adapter.log(), 99);
    const Offset earliest = adapter.stats().range.earliest;
    QVERIFY2(earliest > 1, "record 1 must be purged");

    consumers.refresh();
    ConsumerSnapshot s = snapshotOf(consumers, slow);
    QCOMPARE(s.state, ConsumerState::fell_behind);
    QCOMPARE(s.error, make_error_code(memlog::Errc::out_of_range));
    QCOMPARE(s.position, 1);
    QCOMPARE(consumers.lowestCheckpoint(), 1);
    const auto fellBehind =
        QList<std::pair<ConsumerState, ConsumerState>>{{ConsumerState::live, ConsumerState::fell_behind}};
    QCOMPARE(changesOf(changed, slow), fellBehind);
    QVERIFY(waitFor(refreshed, 3));
    QCOMPARE(changesOf(changed, slow), fellBehind);  // once

    consumers.resume(slow, true);  // its checkpoint, 1, is gone: it falls behind again
    QVERIFY(waitFor(refreshed, 2));
    QCOMPARE(snapshotOf(consumers, slow).state, ConsumerState::fell_behind);
    QCOMPARE(snapshotOf(consumers, slow).position, 1);
    QCOMPARE(changesOf(changed, slow), fellBehind);

    consumers.resume(slow, false);  // from the earliest retained record
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, slow), earliest + 1, kTimeout);
    s = snapshotOf(consumers, slow);
    QVERIFY(s.state == ConsumerState::live || s.state == ConsumerState::lagging);
    QCOMPARE(s.lag, 100 - (earliest + 1));
    QCOMPARE(changesOf(changed, slow).size(), 2);
    QCOMPARE(changesOf(changed, slow).at(1).first, ConsumerState::fell_behind);
    QCOMPARE(consumers.lowestCheckpoint(), earliest + 1);

    consumers.resume(slow, true);  // from its checkpoint, retained: the record after the last
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, slow), earliest + 2, kTimeout);
    QCOMPARE(snapshotOf(consumers, slow).consumed, std::uint64_t{3});
  }

  void totalLagAndLowestCheckpoint() {
    LogAdapter adapter(makeLog(1000));
    write(*adapter.log(), 20);
    ConsumerController consumers(&adapter);
    QCOMPARE(consumers.totalLag(), 0);
    QCOMPARE(consumers.lowestCheckpoint(), -1);  // no consumer
    consumers.add(consumer("tail", 0, ConsumerStart::latest));
    QCOMPARE(consumers.lowestCheckpoint(), -1);  // none has processed a record
    const int slow = consumers.add(consumer("slow", kSlow, ConsumerStart::earliest));
    const int atFive = consumers.add(consumer("at five", kSlow, ConsumerStart::offset, 5));
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, slow), 1, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, atFive), 6, kTimeout);
    consumers.refresh();
    QCOMPARE(consumers.totalLag(), 0 + 19 + 14);
    QCOMPARE(consumers.lowestCheckpoint(), 1);
    consumers.remove(slow);
    QCOMPARE(consumers.totalLag(), 14);
    QCOMPARE(consumers.lowestCheckpoint(), 6);
  }

  // Stopped before the swap (directly connected: before this test's slot), restarted after it:
  // from the new log's earliest, or for a replay from their checkpoints.
  void followsAReplacement_data() {
    QTest::addColumn<bool>("replay");
    QTest::addRow("reconfigure at 500: from the earliest") << false;
    QTest::addRow("replayNext, replaceLog at 1: from the checkpoints") << true;
  }

  void followsAReplacement() {
    QFETCH(bool, replay);
    LogAdapter adapter(makeLog(1000));
    write(*adapter.log(), 30);
    ConsumerController consumers(&adapter);
    const int all = consumers.add(consumer("all", 0, ConsumerStart::earliest));
    const int slow = consumers.add(consumer("slow", kSlow, ConsumerStart::earliest));
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, all), 30, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, slow), 1, kTimeout);
    QList<ConsumerState> before;
    connect(&adapter, &LogAdapter::aboutToReplaceLog, this, [&] {
      consumers.refresh();
      for (const auto& s : consumers.snapshots()) before.append(s.state);
    });

    Offset start = 500;
    if (replay) {
      start = consumers.lowestCheckpoint();
      QCOMPARE(start, 1);
      consumers.replayNext();
      adapter.replaceLog(makeLog(1000, start));
    } else {
      memlog::Options o;
      o.start_offset = start;
      o.segment_size = 1000;
      QCOMPARE(adapter.reconfigure(o), QString());
    }
    QCOMPARE(before, (QList<ConsumerState>{ConsumerState::stopped, ConsumerState::stopped}));
    // logReplaced refreshes. "all" waits at 30 on a replay, shown clamped to the new log's next.
    QCOMPARE(snapshotOf(consumers, all).position, start);
    QCOMPARE(snapshotOf(consumers, slow).position, start);
    QCOMPARE(snapshotOf(consumers, all).state, ConsumerState::live);
    QCOMPARE(snapshotOf(consumers, slow).state, ConsumerState::live);

    write(*adapter.log(), 40);  // start .. start + 39
    const Offset next = start + 40;
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, all), next, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(checkpointOf(consumers, slow), start + 1, kTimeout);
    // 30 before; then on a replay only 30 .. next - 1 (it went on from its checkpoint), else all 40.
    QCOMPARE(snapshotOf(consumers, all).consumed, static_cast<std::uint64_t>(replay ? next : 30 + 40));
    QCOMPARE(snapshotOf(consumers, slow).consumed, std::uint64_t{2});
    QCOMPARE(snapshotOf(consumers, slow).lag, next - (start + 1));
  }
};

QTEST_GUILESS_MAIN(TestConsumerController)
#include "tst_consumer_controller.moc"
