// SPDX-License-Identifier: MIT
// A consumer of a sharded log on one thread: it reads every record of each of its shards once,
// in each shard's order, while writers keep writing; one shard only when told; overtaken by
// the purge on one shard while the others go on, and taken back up by resume(); woken by
// appends (no polling) and stopped promptly while it waits or paces.
#include <QTest>

#include <thread>

#include <memlog/source/sharded_consumer.hpp>

using namespace memlog;
using memlog::sim::ConsumerStart;
using memlog::sim::ConsumerState;
using memlog::sim::ShardedConsumer;

namespace {
std::shared_ptr<ShardedLog> sharded(std::size_t shards, std::size_t segment) {
  ShardedOptions options;
  options.shards = shards;
  options.log.segment_size = segment;
  // Keys "0", "1", ... on shards 0, 1, ...: each test says where its records go.
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < shards; ++i) keys.push_back(std::to_string(i));
  options.sharder = std::make_shared<KeySharder>(keys);
  return std::move(*ShardedLog::create(options));
}
void write(ShardedLog& log, std::size_t shard, int count) {
  for (int i = 0; i < count; ++i) QVERIFY(log.write(std::to_string(shard), "record " + std::to_string(i)).has_value());
}
bool waitFor(const std::function<bool()>& done, int ms = 5000) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > ms) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}
}  // namespace

class TestShardedConsumer : public QObject {
  Q_OBJECT

 private slots:
  // Every record once, per shard in order, with writers running meanwhile on every shard.
  void readsEveryShardWhileWritersWrite() {
    auto log = sharded(8, 100'000);
    ShardedConsumer consumer(1, {.name = "all", .shard = -1, .pace = 0, .start = ConsumerStart::earliest}, log);
    consumer.start();
    std::vector<std::jthread> writers;
    for (std::size_t w = 0; w < 2; ++w)
      writers.emplace_back([&log, w] {
        for (int n = 0; n < 4000; ++n) (void)log->write(std::to_string((static_cast<std::size_t>(n) * 2 + w) % 8), "x");
      });
    writers.clear();
    QVERIFY(waitFor([&] { return consumer.snapshot().consumed == 8000; }));
    const auto s = consumer.snapshot();
    QCOMPARE(s.shards.size(), std::size_t{8});
    for (const auto& p : s.shards) {
      QCOMPARE(p.position, log->shard(p.shard).stats().next_offset);
      QCOMPARE(p.lag, std::int64_t{0});
      QCOMPARE(p.state, ConsumerState::live);
    }
    QCOMPARE(s.lag, std::int64_t{0});
    QCOMPARE(s.state, ConsumerState::live);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    QCOMPARE(consumer.snapshot().consumed, 8000u);  // nothing read twice
  }

  void oneShardOnly() {
    auto log = sharded(4, 1000);
    write(*log, 1, 10);
    write(*log, 2, 7);
    ShardedConsumer consumer(2, {.name = "two", .shard = 2, .pace = 0, .start = ConsumerStart::earliest}, log);
    consumer.start();
    QVERIFY(waitFor([&] { return consumer.snapshot().consumed == 7; }));
    const auto s = consumer.snapshot();
    QCOMPARE(s.shard, 2);
    QCOMPARE(s.shards.size(), std::size_t{1});
    QCOMPARE(s.position, Offset{7});
    QCOMPARE(s.checkpoint, Offset{7});
    write(*log, 2, 3);  // an append wakes it
    QVERIFY(waitFor([&] { return consumer.snapshot().consumed == 10; }));
  }

  void startsWhereTold_data() {
    QTest::addColumn<int>("start");
    QTest::addColumn<qint64>("position");
    QTest::addRow("earliest") << static_cast<int>(ConsumerStart::earliest) << qint64{0};
    QTest::addRow("latest") << static_cast<int>(ConsumerStart::latest) << qint64{5};
    QTest::addRow("offset") << static_cast<int>(ConsumerStart::offset) << qint64{3};
  }
  void startsWhereTold() {
    QFETCH(int, start);
    QFETCH(qint64, position);
    auto log = sharded(2, 1000);
    write(*log, 0, 5);
    write(*log, 1, 5);
    ShardedConsumer consumer(
        3, {.name = "c", .shard = -1, .pace = 1, .start = static_cast<ConsumerStart>(start), .offset = 3}, log);
    consumer.start();
    const auto s = consumer.snapshot();
    for (const auto& p : s.shards) QVERIFY(p.position >= position && p.position <= position + 1);  // paced: 1/s
  }

  // Overtaken on shard 0 (written far past it); shard 1 goes on; resume takes shard 0 back up.
  void fallsBehindOnOneShard() {
    auto log = sharded(2, 10);
    ShardedConsumer consumer(4, {.name = "slow", .shard = -1, .pace = 0, .start = ConsumerStart::earliest}, log);
    write(*log, 0, 5);
    consumer.start();
    QVERIFY(waitFor([&] { return consumer.snapshot().consumed == 5; }));
    consumer.stop();
    write(*log, 0, 40);      // purges 0..19 of shard 0 while it is stopped: its position 5 is gone
    consumer.resume(false);  // not fell behind yet: resumes at 5, finds it purged
    write(*log, 1, 3);
    QVERIFY(waitFor([&] {
      const auto s = consumer.snapshot();
      return s.shards[0].state == ConsumerState::fell_behind && s.shards[1].position == 3;
    }));
    auto s = consumer.snapshot();
    QCOMPARE(s.state, ConsumerState::fell_behind);
    QCOMPARE(s.error, make_error_code(Errc::out_of_range));
    QCOMPARE(s.shards[1].state, ConsumerState::live);
    consumer.resume(false);  // from the earliest retained record of shard 0
    QVERIFY(waitFor([&] { return consumer.snapshot().shards[0].position == 45; }));
    s = consumer.snapshot();
    QCOMPARE(s.shards[0].state, ConsumerState::live);
    QCOMPARE(s.state, ConsumerState::live);
  }

  void stopsPromptlyWhileWaitingOrPacing_data() {
    QTest::addColumn<double>("pace");
    QTest::addRow("waiting for appends") << 0.0;
    QTest::addRow("pacing at 1/s") << 1.0;
  }
  void stopsPromptlyWhileWaitingOrPacing() {
    QFETCH(double, pace);
    auto log = sharded(64, 100);
    for (std::size_t i = 0; i < 64; ++i) write(*log, i, 3);
    ShardedConsumer consumer(5, {.name = "c", .shard = -1, .pace = pace, .start = ConsumerStart::earliest}, log);
    consumer.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    QElapsedTimer clock;
    clock.start();
    consumer.stop();
    QVERIFY2(clock.elapsed() < 500, "stop waits out no sleep");
    QCOMPARE(consumer.snapshot().state, ConsumerState::stopped);
  }
};

QTEST_GUILESS_MAIN(TestShardedConsumer)
#include "tst_sharded_consumer.moc"
