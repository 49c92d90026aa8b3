// SPDX-License-Identifier: MIT
// Consumers: reading, pace, falling behind the purge, resuming, checkpoints, prompt stop.
#include <QTest>

#include <memlog/source/consumer.hpp>
#include <memlog/source/legacy_source.hpp>

#include <chrono>
#include <thread>

using namespace std::chrono_literals;
using memlog::sim::ConsumerGroup;
using memlog::sim::ConsumerStart;
using memlog::sim::ConsumerState;

namespace {
std::shared_ptr<memlog::Log> make_log(std::size_t segment) { return *memlog::Log::create({.segment_size = segment}); }
void write_n(memlog::Log& log, int n) {
  for (int i = 0; i < n; ++i) (void)log.write("record");
}
memlog::sim::ConsumerSnapshot find(const ConsumerGroup& group, int id) {
  for (const auto& s : group.snapshots())
    if (s.id == id) return s;
  return {};
}
}  // namespace

class TestConsumerGroup : public QObject {
  Q_OBJECT

 private slots:
  void readsEverythingAndCheckpoints() {
    auto log = make_log(1000);
    write_n(*log, 300);
    ConsumerGroup group(log);
    const int id = group.add({.name = "fast"});
    QTRY_COMPARE_WITH_TIMEOUT(find(group, id).consumed, 300u, 10000);
    const auto s = find(group, id);
    QCOMPARE(s.position, 300);
    QCOMPARE(s.checkpoint, 300);
    QCOMPARE(s.lag, 0);
    QCOMPARE(s.state, ConsumerState::live);
    QCOMPARE(s.name, std::string("fast"));
    QCOMPARE(group.lowest_checkpoint(), 300);
  }

  void startPositions_data() {
    QTest::addColumn<int>("start");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("expectedPosition");
    QTest::addRow("earliest") << static_cast<int>(ConsumerStart::earliest) << qint64{0}
                              << qint64{10};  // after purge: 10
    QTest::addRow("latest (only what comes next)")
        << static_cast<int>(ConsumerStart::latest) << qint64{0} << qint64{25};
    QTest::addRow("an offset") << static_cast<int>(ConsumerStart::offset) << qint64{17} << qint64{17};
  }
  void startPositions() {
    QFETCH(int, start);
    QFETCH(qint64, offset);
    QFETCH(qint64, expectedPosition);
    auto log = make_log(10);
    write_n(*log, 25);  // retained: 10..24
    memlog::sim::Consumer consumer(
        1, {.name = "", .pace = 0, .start = static_cast<ConsumerStart>(start), .offset = offset});
    QCOMPARE(consumer.resolve(*log, static_cast<ConsumerStart>(start)), expectedPosition);
  }

  void startAtATime() {
    memlog::Timestamp clock{std::chrono::seconds(1000)};
    auto log = *memlog::Log::create({.segment_size = 10, .clock = [&clock] { return clock; }});
    for (int i = 0; i < 25; ++i) {  // created 1000 s, 1001 s, ...; retained: 10..24
      QVERIFY(log->write("r").has_value());
      clock += std::chrono::seconds(1);
    }
    auto at = [&](int second) {
      memlog::sim::Consumer c(1, {.name = "",
                                  .pace = 0,
                                  .start = ConsumerStart::time,
                                  .offset = 0,
                                  .at = memlog::Timestamp{std::chrono::seconds(second)}});
      return c.resolve(*log, ConsumerStart::time);
    };
    QCOMPARE(at(1015), 15);  // exactly a record's time
    QCOMPARE(at(1000), 10);  // before the retained records: the earliest
    QCOMPARE(at(2000), 25);  // after them all: what comes next
  }

  void slowConsumerFallsBehindAndResumes() {
    auto log = make_log(20);
    ConsumerGroup group(log);
    write_n(*log, 5);
    const int slow = group.add({.name = "slow", .pace = 20});
    QTRY_VERIFY_WITH_TIMEOUT(find(group, slow).checkpoint >= 1, 10000);  // it has processed a record
    memlog::sim::LegacySource source(log, {.rate = 0});
    source.start();
    QTRY_COMPARE_WITH_TIMEOUT(find(group, slow).state, ConsumerState::fell_behind, 10000);
    source.pause();
    auto s = find(group, slow);
    QCOMPARE(s.error, make_error_code(memlog::Errc::out_of_range));
    QVERIFY(s.checkpoint >= 0);
    // From its checkpoint: purged long ago, so it falls behind again at once.
    QVERIFY(group.resume(slow, true));
    QTRY_COMPARE_WITH_TIMEOUT(find(group, slow).state, ConsumerState::fell_behind, 10000);
    // From the earliest retained offset: it runs again.
    QVERIFY(group.resume(slow, false));
    s = find(group, slow);
    QVERIFY(s.state == ConsumerState::live || s.state == ConsumerState::lagging);
    QVERIFY(s.position >= log->range().earliest);
    QVERIFY(!s.error);
    source.stop();
  }

  void lagIsWhatIsNotReadYet() {
    auto log = make_log(1000);
    ConsumerGroup group(log);
    const int id = group.add({.name = "paced", .pace = 1, .start = ConsumerStart::latest});
    write_n(*log, 600);  // it reads at most a couple of them in the next moments
    const auto s = find(group, id);
    QVERIFY(s.lag >= 590 && s.lag <= 600);
    QCOMPARE(s.state, ConsumerState::lagging);  // more than half a segment behind
  }

  void stopIsPrompt() {
    auto log = make_log(1000);
    write_n(*log, 100);
    ConsumerGroup group(log);
    const int paced = group.add({.name = "1/s", .pace = 1});
    const int waiting = group.add({.name = "waiting", .start = ConsumerStart::latest});
    std::this_thread::sleep_for(100ms);  // one is in its pace sleep, the other waits for records
    const auto t0 = std::chrono::steady_clock::now();
    QVERIFY(group.remove(paced));
    QVERIFY(group.remove(waiting));
    QVERIFY(std::chrono::steady_clock::now() - t0 < 500ms);
    QVERIFY(group.snapshots().empty());
    QVERIFY(!group.remove(paced));
  }

  void attachFollowsANewLog() {
    auto first = make_log(100);
    write_n(*first, 50);
    ConsumerGroup group(first);
    const int id = group.add({.name = "c"});
    QTRY_COMPARE_WITH_TIMEOUT(find(group, id).checkpoint, 50, 10000);
    // Replay: a new log at the checkpoint holds the same offsets; the consumer resumes there.
    auto replayed = *memlog::Log::create({.start_offset = 50, .segment_size = 100});
    group.attach(replayed, true);
    write_n(*replayed, 5);
    QTRY_COMPARE_WITH_TIMEOUT(find(group, id).position, 55, 10000);
    // A plain replacement: from the new log's earliest.
    auto fresh = make_log(100);
    group.attach(fresh, false);
    write_n(*fresh, 3);
    QTRY_COMPARE_WITH_TIMEOUT(find(group, id).position, 3, 10000);
  }

  void manyConsumersUnderLoad() {
    auto log = make_log(64);
    ConsumerGroup group(log);
    for (int i = 0; i < 6; ++i) group.add({.name = "", .pace = i % 2 ? 500.0 : 0.0});
    memlog::sim::LegacySource source(log, {.rate = 0});
    source.start();
    std::this_thread::sleep_for(300ms);
    for (int round = 0; round < 20; ++round) {
      const int id = group.add({.name = "short-lived", .pace = 100});
      std::this_thread::sleep_for(5ms);
      QVERIFY(group.remove(id));
    }
    source.stop();
    // Each one read, or was overtaken by the purge before it could (64-record segments).
    for (const auto& s : group.snapshots()) QVERIFY(s.consumed > 0 || s.state == ConsumerState::fell_behind);
  }
};

QTEST_GUILESS_MAIN(TestConsumerGroup)
#include "tst_consumer_group.moc"
