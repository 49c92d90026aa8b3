// SPDX-License-Identifier: MIT
// Consumers: reading, pace, falling behind the purge, resuming, checkpoints, prompt stop.
// Every wait is for a counted event (a checkpoint reached, a state entered, records written);
// a consumer that must not move meanwhile is given a pace it cannot wake from during the test.
#include <QTest>

#include <memlog/source/consumer.hpp>
#include <memlog/source/legacy_source.hpp>

#include <chrono>

using namespace std::chrono_literals;
using memlog::sim::ConsumerGroup;
using memlog::sim::ConsumerStart;
using memlog::sim::ConsumerState;

namespace {
// One record per 1000 s: after its first record, such a consumer sleeps for the whole test
// (stop interrupts the sleep).
constexpr double kAsleep = 0.001;

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

  // Overtaken while it reads at its pace: its stream ends with out_of_range at the record the
  // purge took; everything before it was processed exactly once.
  void slowConsumerIsOvertakenByThePurge() {
    auto log = make_log(20);
    ConsumerGroup group(log);
    write_n(*log, 5);
    const int slow = group.add({.name = "slow", .pace = 1});  // reads record 0, then sleeps 1 s
    QTRY_VERIFY_WITH_TIMEOUT(find(group, slow).checkpoint >= 1, 10000);
    write_n(*log, 100);  // 105 records in segments of 20: 80..104 retained
    QTRY_COMPARE_WITH_TIMEOUT(find(group, slow).state, ConsumerState::fell_behind, 10000);
    const auto s = find(group, slow);
    QCOMPARE(s.error, make_error_code(memlog::Errc::out_of_range));
    QCOMPARE(s.position, s.checkpoint);                              // stopped at the purged record,
    QCOMPARE(s.consumed, static_cast<std::uint64_t>(s.checkpoint));  // every one before it read once
    QVERIFY2(s.checkpoint < log->range().earliest, qPrintable(QString::number(s.checkpoint)));
  }

  // A consumer that fell behind, resumed: from its (purged) checkpoint it is overtaken again at
  // once, reading nothing; from the earliest retained record it reads exactly those.
  void resume_data() {
    QTest::addColumn<bool>("fromCheckpoint");
    QTest::addColumn<int>("state");
    QTest::addColumn<quint64>("consumed");  // in all, the 5 read before included
    QTest::addColumn<qint64>("position");
    QTest::addColumn<int>("error");  // 0: none
    QTest::addRow("from its purged checkpoint: overtaken again, nothing read")
        << true << static_cast<int>(ConsumerState::fell_behind) << quint64{5} << qint64{5}
        << static_cast<int>(memlog::Errc::out_of_range);
    QTest::addRow("from the earliest retained: the 25 retained records read")
        << false << static_cast<int>(ConsumerState::live) << quint64{5 + 25} << qint64{105} << 0;
  }
  void resume() {
    QFETCH(bool, fromCheckpoint);
    QFETCH(int, state);
    QFETCH(quint64, consumed);
    QFETCH(qint64, position);
    QFETCH(int, error);
    auto log = make_log(20);
    ConsumerGroup group(log);
    write_n(*log, 5);
    const int id = group.add({.name = "c"});
    QTRY_COMPARE_WITH_TIMEOUT(find(group, id).checkpoint, 5, 10000);
    group.stop_all();
    write_n(*log, 100);  // 0..79 purged meanwhile: 80..104 retained
    QVERIFY(group.resume(id, fromCheckpoint));
    if (static_cast<ConsumerState>(state) == ConsumerState::fell_behind)
      QTRY_COMPARE_WITH_TIMEOUT(find(group, id).state, ConsumerState::fell_behind, 10000);
    else
      QTRY_COMPARE_WITH_TIMEOUT(find(group, id).consumed, consumed, 10000);
    const auto s = find(group, id);
    QCOMPARE(s.state, static_cast<ConsumerState>(state));
    QCOMPARE(s.consumed, consumed);
    QCOMPARE(s.position, position);
    QCOMPARE(s.checkpoint, position);
    QCOMPARE(s.lag, error ? 105 - position : 0);
    QCOMPARE(s.error, error ? make_error_code(static_cast<memlog::Errc>(error)) : std::error_code());
  }

  // Lag: the records written that the consumer has not read, exactly; lagging from half a
  // segment on. The consumer read record 0 and sleeps: nothing it does changes the numbers.
  void lagIsWhatIsNotReadYet_data() {
    QTest::addColumn<int>("behind");  // records written after the one it read
    QTest::addColumn<int>("state");
    QTest::addRow("none") << 0 << static_cast<int>(ConsumerState::live);
    QTest::addRow("499 of a 1000-record segment: live") << 499 << static_cast<int>(ConsumerState::live);
    QTest::addRow("500 (half the segment): lagging") << 500 << static_cast<int>(ConsumerState::lagging);
    QTest::addRow("600: lagging") << 600 << static_cast<int>(ConsumerState::lagging);
  }
  void lagIsWhatIsNotReadYet() {
    QFETCH(int, behind);
    QFETCH(int, state);
    auto log = make_log(1000);
    ConsumerGroup group(log);
    const int id = group.add({.name = "paced", .pace = kAsleep, .start = ConsumerStart::latest});
    write_n(*log, 1);
    QTRY_COMPARE_WITH_TIMEOUT(find(group, id).checkpoint, 1, 10000);  // read; asleep from now on
    write_n(*log, behind);
    const auto s = find(group, id);
    QCOMPARE(s.lag, behind);
    QCOMPARE(s.position, 1);
    QCOMPARE(s.state, static_cast<ConsumerState>(state));
  }

  // Removing a consumer interrupts what it waits for. Waking and joining take milliseconds;
  // waiting it out would take 1000 s (pace) or for ever (no record comes): the 5 s bound only
  // tells those apart on a loaded machine.
  void stopIsPrompt_data() {
    QTest::addColumn<double>("pace");
    QTest::addColumn<int>("start");
    QTest::addColumn<qint64>("checkpoint");  // reached when it waits
    QTest::addRow("in its pace sleep") << kAsleep << static_cast<int>(ConsumerStart::earliest) << qint64{1};
    QTest::addRow("waiting for records") << 0.0 << static_cast<int>(ConsumerStart::earliest) << qint64{100};
  }
  void stopIsPrompt() {
    QFETCH(double, pace);
    QFETCH(int, start);
    QFETCH(qint64, checkpoint);
    auto log = make_log(1000);
    write_n(*log, 100);
    ConsumerGroup group(log);
    const int id = group.add({.name = "c", .pace = pace, .start = static_cast<ConsumerStart>(start)});
    QTRY_COMPARE_WITH_TIMEOUT(find(group, id).checkpoint, checkpoint, 10000);
    const auto t0 = std::chrono::steady_clock::now();
    QVERIFY(group.remove(id));
    QVERIFY2(std::chrono::steady_clock::now() - t0 < 5s,
             qPrintable(QString::number((std::chrono::steady_clock::now() - t0) / 1ms)));
    QVERIFY(group.snapshots().empty());
    QVERIFY(!group.remove(id));
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

  // Six consumers and twenty short-lived ones while the source writes unthrottled into small
  // segments (a race test for the tsan preset). Whatever each one managed before the purge
  // overtook it or it was stopped, it read offsets 0, 1, 2, ... each once: its position and
  // checkpoint are its count; overtaken, its next record is purged.
  void manyConsumersUnderLoad() {
    auto log = make_log(64);
    ConsumerGroup group(log);
    constexpr int kConsumers = 6;
    std::vector<int> ids;
    ids.reserve(kConsumers);
    for (int i = 0; i < kConsumers; ++i) ids.push_back(group.add({.name = "", .pace = i % 2 ? 500.0 : 0.0}));
    memlog::sim::LegacySource source(log, {.rate = 0});
    source.start();
    QTRY_VERIFY_WITH_TIMEOUT(source.counters().written >= 20'000, 20000);
    for (int round = 0; round < 20; ++round) {
      const int id = group.add({.name = "short-lived", .pace = 100});
      const auto written = source.counters().written;  // it lives for 1,000 more records
      QTRY_VERIFY_WITH_TIMEOUT(source.counters().written >= written + 1000, 20000);
      QVERIFY(group.remove(id));
    }
    source.stop();
    group.stop_all();  // every count final
    const memlog::Offset earliest = log->range().earliest;
    QCOMPARE(group.snapshots().size(), ids.size());
    for (const auto& s : group.snapshots()) {
      const QByteArray what = s.name.c_str() + QByteArray(": ") + QByteArray::number(s.consumed) +
                              " consumed, position " + QByteArray::number(s.position) + ", checkpoint " +
                              QByteArray::number(s.checkpoint);
      QVERIFY2(s.position == static_cast<memlog::Offset>(s.consumed), what.constData());
      QVERIFY2(s.checkpoint == (s.consumed > 0 ? s.position : -1), what.constData());
      if (s.state == ConsumerState::fell_behind)
        QVERIFY2(s.position < earliest, what.constData());
      else
        QCOMPARE(s.error, make_error_code(memlog::Errc::cancelled));
    }
  }
};

QTEST_GUILESS_MAIN(TestConsumerGroup)
#include "tst_consumer_group.moc"
