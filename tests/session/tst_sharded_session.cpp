// SPDX-License-Identifier: MIT
// The sharded session: the simulation's records routed to their key's shard, each shard a log
// of its own; the single-log views following the shard in focus; every frame sampling every
// shard (rates, seals, purges, the skew); the key field following the simulated system; the
// sharding options checked with one message per bad value.
#include <QSignalSpy>
#include <QTest>

#include <map>

#include <memlog/source/shard_key.hpp>

#include "adapter/log_session.hpp"
#include "shards/shard_text.hpp"

using namespace Qt::StringLiterals;
using memlog::sim::SourceKind;

namespace {
ShardingOptions shardsOf(int n, const QString& sharder = u"fnv"_s) {
  ShardingOptions options;
  options.shards = n;
  sharding::parseSharder(sharder, &options.sharder);
  return options;
}
std::uint64_t totalWritten(const memlog::ShardedLog& log) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < log.shard_count(); ++i) sum += log.shard(i).stats().records_written;
  return sum;
}
}  // namespace

class TestShardedSession : public QObject {
  Q_OBJECT

 private slots:
  void notShardedByDefault() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    QVERIFY(!session.isSharded());
    QVERIFY(session.shards() == nullptr);
  }

  // Each record on its device's shard; a device never on two shards; the counts add up.
  void recordsGoToTheirKeysShard() {
    LogSession session({.segment_size = 1000}, {.rate = 0}, shardsOf(8));
    QVERIFY(session.isSharded());
    ShardSet* shards = session.shards();
    QCOMPARE(shards->count(), 8);
    for (int n = 0; n < 240; ++n) session.source()->step();
    const auto& log = *shards->log();
    QCOMPARE(totalWritten(log), 240u);
    std::map<std::string, std::size_t> deviceShard;
    for (std::size_t i = 0; i < log.shard_count(); ++i) {
      const memlog::Stats stats = log.shard(i).stats();
      for (memlog::Offset o = 0; o < stats.next_offset; ++o) {
        const auto record = log.shard(i).read(o);
        QVERIFY(record.has_value());
        const auto device = memlog::shard::extract_key(record->text(), "device");
        QVERIFY(device.has_value());
        QCOMPARE(*log.shard_of(*device), i);  // Go's shard for the key
        const auto [at, fresh] = deviceShard.emplace(*device, i);
        QCOMPARE(at->second, i);
      }
    }
    QCOMPARE(deviceShard.size(), std::size_t{24});
    QCOMPARE(shards->router()->counters().routed, 240u);
  }

  // The table, the segments and the consumers show one shard: the adapter's log is that shard.
  void focusSwapsTheShardShown() {
    LogSession session({.segment_size = 100}, {.rate = 0}, shardsOf(4));
    ShardSet* shards = session.shards();
    for (int n = 0; n < 100; ++n) session.source()->step();
    QCOMPARE(session.adapter()->log().get(), shards->log()->shard_ptr(std::size_t{0}).get());
    QSignalSpy focus(shards, &ShardSet::focusChanged);
    QSignalSpy replaced(session.adapter(), &LogAdapter::logReplaced);
    shards->requestFocus(2);
    QCOMPARE(focus.count(), 1);
    QCOMPARE(replaced.count(), 1);
    QCOMPARE(shards->focused(), 2);
    QCOMPARE(session.adapter()->log().get(), shards->log()->shard_ptr(std::size_t{2}).get());
    // The source keeps writing to every shard, not to the one shown.
    const std::uint64_t before = totalWritten(*shards->log());
    for (int n = 0; n < 50; ++n) session.source()->step();
    QCOMPARE(totalWritten(*shards->log()), before + 50);
    shards->requestFocus(2);  // already shown
    shards->requestFocus(4);  // no such shard
    shards->requestFocus(-1);
    QCOMPARE(focus.count(), 1);
    QCOMPARE(session.crashAndReplay(), memlog::Offset{-1});  // not for a sharded log
  }

  // A first look shows records arriving: an empty shard 0 gives way to the busiest, once; a
  // shard the user chose stays, empty or not.
  void emptyShardShownGivesWayToTheBusiest() {
    LogSession session({.segment_size = 100}, {.rate = 0}, shardsOf(4, u"keys:nobody,th-001"_s));
    ShardSet* shards = session.shards();
    shards->sample(0);
    for (int n = 0; n < 48; ++n) session.source()->step();  // th-001 twice on shard 1; the rest refused
    shards->sample(1000);
    QCOMPARE(shards->focused(), 1);
    QCOMPARE(session.adapter()->log().get(), shards->log()->shard_ptr(std::size_t{1}).get());
    shards->requestFocus(0);
    shards->sample(2000);
    QCOMPARE(shards->focused(), 0);  // chosen: stays
  }

  // Every frame samples every shard: seals and purges seen per shard, rates, the busiest.
  void framesSampleEveryShard() {
    ShardingOptions options = shardsOf(4, u"keys:th-000,th-001,th-002,th-003"_s);
    LogSession session({.segment_size = 5}, {.rate = 0}, options);
    ShardSet* shards = session.shards();
    QSignalSpy sealed(shards, &ShardSet::shardSealed);
    QSignalSpy purged(shards, &ShardSet::shardPurged);
    for (int n = 0; n < 24 * 12; ++n) session.source()->step();  // 12 records per device
    session.frames()->tick();
    const ShardFrame& frame = shards->current();
    QCOMPARE(frame.shards.size(), std::size_t{4});
    for (int i = 0; i < 4; ++i) {
      // 12 records in segments of 5: two seals, one purge of 5, 7 retained.
      QCOMPARE(frame.shards[i].stats.records_written, 12u);
      QCOMPARE(frame.shards[i].retained(), 7);
      QVERIFY(frame.shards[i].sealedAtMs >= 0);
      QVERIFY(frame.shards[i].purgedAtMs >= 0);
    }
    QCOMPARE(sealed.count(), 4);
    QCOMPARE(purged.count(), 4);
    QCOMPARE(purged.at(0).at(2).toULongLong(), 5u);
    QCOMPARE(frame.retained, 28);
    // 20 of 24 devices are not in the key list: refused, counted, the last one shown.
    QCOMPARE(frame.router.refused, std::uint64_t{20} * 12);
    QVERIFY(frame.router.last_refused.has_value());
    QVERIFY(QString::fromStdString(frame.router.last_refused->reason).contains(u"no shard for the key"_s));
  }

  // Rates over a window: only the shard written to has one; it is the busiest; skew = N.
  void ratesAndSkew() {
    LogSession session({.segment_size = 1000}, {.rate = 0}, shardsOf(4, u"keys:th-000,th-001,th-002,th-003"_s));
    ShardSet* shards = session.shards();
    shards->sample(0);
    for (int n = 0; n < 24; ++n) session.source()->step();  // each of the 4 known devices once
    for (int n = 0; n < 10; ++n) shards->router()->write(R"({"device":"th-002"})");
    shards->sample(2000);
    const ShardFrame& frame = shards->current();
    QCOMPARE(frame.busiest, 2);
    QCOMPARE(frame.shards[2].rate, 5.5);  // 11 records in 2 s
    QCOMPARE(frame.shards[0].rate, 0.5);
    QCOMPARE(frame.meanRate, (0.5 + 0.5 + 5.5 + 0.5) / 4);
    QCOMPARE(frame.skew(), 5.5 / frame.meanRate);
  }

  // One line however many shards: the busiest and idlest, the skew, the refused records.
  void inWords() {
    LogSession session({.segment_size = 1000}, {.rate = 0}, shardsOf(4, u"keys:th-000,th-001,th-002,th-003"_s));
    ShardSet* shards = session.shards();
    shards->sample(0);
    for (int n = 0; n < 24; ++n) session.source()->step();
    for (int n = 0; n < 10; ++n) shards->router()->write(R"({"device":"th-002"})");
    shards->sample(1000);
    const ShardFrame& frame = shards->current();
    QCOMPARE(shardStatusLine(frame, 34),
             u"shards 4 written 14 retained 14 writes/s 34 busiest #2 11/s idlest #0 1/s skew 3.1 refused 20"_s);
    QCOMPARE(
        shardSummary(frame),
        u"written 14 over 4 shards retained 14 purges 0 busiest #2 (11 written) idlest #0 (1 written) refused 20"_s);
    QCOMPARE(shardLoadText(frame, u" · "_s), u"busiest #2 11/s · idlest #0 1/s · skew 3.1×"_s);
    QVERIFY(refusedText(frame.router).startsWith(u"refused 20 (the last: record 24, the sharder has no shard"_s));
    QCOMPARE(shardingText(shards->options(), "device"), u"4 shards (key list by \"device\")"_s);
    QCOMPARE(shardingText(shardsOf(16), ""), u"16 shards (fnv by the whole line)"_s);
  }

  // Consumers read shards, not the shard shown: one of all shards, one of shard 2; switching
  // the shard shown moves only where their position is reported, never what they read.
  void consumersReadShards() {
    LogSession session({.segment_size = 1000}, {.rate = 0}, shardsOf(4, u"keys:th-000,th-001,th-002,th-003"_s));
    ConsumerController* consumers = session.consumers();
    QVERIFY(consumers->isSharded());
    QCOMPARE(consumers->shardCount(), 4);
    for (int n = 0; n < 24 * 5; ++n) session.source()->step();  // 5 records on each of the 4 shards
    const int all = consumers->add({.name = "all", .shard = -1, .pace = 0});
    const int two = consumers->add({.name = "two", .shard = 2, .pace = 0});
    const auto find = [&](int id) {
      consumers->refresh();
      for (const auto& s : consumers->snapshots())
        if (s.id == id) return s;
      return memlog::sim::ConsumerSnapshot{};
    };
    QTRY_COMPARE_WITH_TIMEOUT(find(all).consumed, 20u, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(find(two).consumed, 5u, 5000);
    QCOMPARE(find(all).shards.size(), std::size_t{4});
    QCOMPARE(find(all).position, memlog::Offset{5});   // in shard 0, the one shown
    QCOMPARE(find(two).position, memlog::Offset{-1});  // it does not read shard 0
    session.shards()->requestFocus(2);
    QCOMPARE(find(two).position, memlog::Offset{5});
    QCOMPARE(find(two).position_state, memlog::sim::ConsumerState::live);
    QCOMPARE(find(all).consumed, 20u);  // the shard shown changed; nothing was read again
    QCOMPARE(find(all).lag, std::int64_t{0});
    consumers->remove(two);
    QCOMPARE(consumers->snapshots().size(), std::size_t{1});
    QCOMPARE(consumers->lowestCheckpoint(), memlog::Offset{-1});  // no replay for a sharded log
  }

  void keyFieldFollowsTheSimulatedSystem() {
    LogSession session({.segment_size = 100}, {.rate = 0}, shardsOf(4));
    auto router = session.shards()->router();
    QCOMPARE(router->key_field(), std::string("device"));
    session.source()->setKind(SourceKind::inventory);
    QCOMPARE(router->key_field(), std::string("sku"));
    session.source()->step();
    QCOMPARE(router->counters().refused, 0u);
    ShardingOptions named = shardsOf(4);
    named.keyField = u"type"_s;
    LogSession fixed({.segment_size = 100}, {.rate = 0}, named);
    fixed.source()->setKind(SourceKind::tickets);
    QCOMPARE(fixed.shards()->router()->key_field(), std::string("type"));
  }

  void options_data() {
    QTest::addColumn<QString>("shards");
    QTest::addColumn<QString>("keyField");
    QTest::addColumn<QString>("sharder");
    QTest::addColumn<QString>("error");  // empty: accepted
    QTest::addRow("two") << u"2"_s << u"device"_s << u"fnv"_s << QString();
    QTest::addRow("1024") << u"1024"_s << u"user.id"_s << u"keys:a,b"_s << QString();
    QTest::addRow("one") << u"1"_s << u"k"_s << u"fnv"_s << u"not a shard count"_s;
    QTest::addRow("1025") << u"1025"_s << u"k"_s << u"fnv"_s << u"from 2 to 1024"_s;
    QTest::addRow("negative") << u"-4"_s << u"k"_s << u"fnv"_s << u"not a shard count"_s;
    QTest::addRow("huge") << u"99999999999999999999"_s << u"k"_s << u"fnv"_s << u"not a shard count"_s;
    QTest::addRow("text") << u"many"_s << u"k"_s << u"fnv"_s << u"not a shard count"_s;
    QTest::addRow("fraction") << u"2.5"_s << u"k"_s << u"fnv"_s << u"not a shard count"_s;
    QTest::addRow("empty field") << u"4"_s << QString() << u"fnv"_s << u"not a key field"_s;
    QTest::addRow("quote in field") << u"4"_s << u"a\"b"_s << u"fnv"_s << u"not a key field"_s;
    QTest::addRow("bad sharder") << u"4"_s << u"k"_s << u"md5"_s << u"not a sharder"_s;
    QTest::addRow("too many keys") << u"2"_s << u"k"_s << u"keys:a,b,c"_s << u"3 keys for 2 shards"_s;
  }
  void options() {
    QFETCH(QString, shards);
    QFETCH(QString, keyField);
    QFETCH(QString, sharder);
    QFETCH(QString, error);
    ShardingOptions options;
    QString why = sharding::parseShards(shards, &options.shards);
    if (why.isEmpty()) why = sharding::parseKeyField(keyField, &options.keyField);
    if (why.isEmpty()) why = sharding::parseSharder(sharder, &options.sharder);
    if (why.isEmpty()) why = sharding::validate(options);
    if (error.isEmpty())
      QVERIFY2(why.isEmpty(), qPrintable(why));
    else
      QVERIFY2(why.contains(error), qPrintable(why));
  }
};

QTEST_GUILESS_MAIN(TestShardedSession)
#include "tst_sharded_session.moc"
