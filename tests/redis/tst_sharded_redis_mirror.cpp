// SPDX-License-Identifier: MIT
// ShardedRedisMirror against a real redis-server: shard i's records reach the stream
// "events:i" exactly once, in offset order, with that shard's offsets, over one connection
// however many shards; a busy shard does not starve the others; across a Redis restart mid-run
// each shard's gap is filled from the shard and what could not be delivered is counted per
// shard, exactly; a stop is prompt; the status's totals are the sums of its shards' figures.
#include <QRegularExpression>
#include <QTest>

#include <memlog/redis/sharded_redis_mirror.hpp>

#include <algorithm>
#include <optional>

#include "redis_server.hpp"
#include "stream_checks.hpp"

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using memlog::WorkerState;
using memlog::redis::MirrorOptions;
using memlog::redis::MirrorStatus;
using memlog::redis::ShardedRedisMirror;

namespace {
constexpr int kTimeout = 20000;

std::shared_ptr<memlog::ShardedLog> makeLog(std::size_t shards, std::size_t segment) {
  memlog::ShardedOptions options;
  options.shards = shards;
  options.log.segment_size = segment;
  return *memlog::ShardedLog::create(options);
}

std::string payload(std::size_t shard, memlog::Offset offset) {
  return "shard " + std::to_string(shard) + " record " + std::to_string(offset);
}

// Appends `count` records to shard `shard` (directly: the test decides which shard gets what).
bool write(memlog::ShardedLog& log, std::size_t shard, int count) {
  const auto target = log.shard_ptr(shard);
  for (int i = 0; i < count; ++i)
    if (!target->write(payload(shard, target->stats().next_offset))) return false;
  return true;
}

std::string streamOf(std::size_t shard) { return "events:" + std::to_string(shard); }

// Shard `shard`'s stream: in offset order, each entry with the payload that shard was given.
void checkEntries(std::size_t shard, const std::vector<RedisClient::Entry>& entries) {
  ::checkEntries(entries, [shard](qint64 offset) { return payload(shard, offset); });
}

// The total is the sum of the shards, one entry per shard, and names no single offset.
void checkTotals(const MirrorStatus& s, std::size_t shards) {
  QCOMPARE(s.shards.size(), shards);
  std::int64_t lag = 0;
  std::uint64_t sent = 0, duplicates = 0, lost = 0;
  for (const auto& shard : s.shards) {
    lag += shard.lag;
    sent += shard.sent;
    duplicates += shard.duplicates;
    lost += shard.lost;
  }
  QCOMPARE(s.lag, lag);
  QCOMPARE(s.sent, sent);
  QCOMPARE(s.duplicates, duplicates);
  QCOMPARE(s.lost, lost);
  QCOMPARE(s.confirmed, -1);
}

// Until every shard's last record is confirmed by Redis.
bool waitAllConfirmed(const memlog::ShardedLog& log, const ShardedRedisMirror& mirror) {
  return QTest::qWaitFor(
      [&] {
        const MirrorStatus s = mirror.status();
        for (std::size_t i = 0; i < log.shard_count(); ++i)
          if (s.shards[i].confirmed != log.shard(i).stats().next_offset - 1) return false;
        return true;
      },
      kTimeout);
}

// A redis-server and a mirror of a new sharded log into its streams "events:0" … "events:N-1".
struct Mirrored {
  RedisServer redis;
  std::shared_ptr<memlog::ShardedLog> log;
  std::optional<ShardedRedisMirror> mirror;  // destroyed first: it reads the log and talks to redis

  // Starts both; true once the mirror is mirroring (it starts with what the shards hold when
  // it connects, so tests write after this unless they mean the mirror to find a backlog).
  bool start(std::size_t shards, std::size_t segment, MirrorOptions options = {}) {
    if (!redis.start()) return false;
    log = makeLog(shards, segment);
    mirror.emplace(log, *memlog::parse_redis_stream_address(redis.target("events")), options);
    mirror->start();
    return QTest::qWaitFor([&] { return mirror->status().state == WorkerState::running; }, kTimeout);
  }
  std::vector<RedisClient::Entry> entries(std::size_t shard) const {
    return RedisClient(redis.port()).range(streamOf(shard));
  }
};
}  // namespace

class TestShardedRedisMirror : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    if (!RedisServer::installed()) QSKIP("redis-server is not installed (scripts/setup.sh installs it)");
  }

  void everyShardsRecordsReachItsStreamOnce_data() {
    QTest::addColumn<int>("shards");
    QTest::addRow("4 shards") << 4;
    QTest::addRow("64 shards") << 64;
  }
  void everyShardsRecordsReachItsStreamOnce() {
    QFETCH(int, shards);
    const auto count = static_cast<std::size_t>(shards);
    Mirrored m;
    QVERIFY(m.start(count, 1000));
    // Uneven shards, written in steps the mirror keeps up with (nothing purged before sent).
    for (int step = 1; step <= 4; ++step) {
      for (std::size_t i = 0; i < count; ++i) QVERIFY(write(*m.log, i, 10 + static_cast<int>(i % 7) * step));
      QVERIFY(waitAllConfirmed(*m.log, *m.mirror));
    }
    const MirrorStatus status = m.mirror->status();
    checkTotals(status, count);
    QCOMPARE(status.state, WorkerState::running);
    QCOMPARE(status.lag, 0);
    QCOMPARE(status.lost, 0u);
    QCOMPARE(status.duplicates, 0u);
    std::uint64_t written = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const auto entries = m.entries(i);
      const memlog::Offset next = m.log->shard(i).stats().next_offset;
      written += static_cast<std::uint64_t>(next);
      // Exactly once, in order, the shard's own offsets 0 … next - 1.
      QCOMPARE(static_cast<qint64>(entries.size()), next);
      checkEntries(i, entries);
      QCOMPARE(offsetOf(entries.front()), 0);
      QCOMPARE(offsetOf(entries.back()), next - 1);
      QCOMPARE(status.shards[i].sent, static_cast<std::uint64_t>(next));
    }
    QCOMPARE(status.sent, written);
    // One connection for all the shards: the mirror's and this test's own.
    RedisClient client(m.redis.port());
    const ReplyPtr clients = client.command({"CLIENT", "LIST"});
    QVERIFY(clients && clients->type != REDIS_REPLY_ERROR);
    QCOMPARE(QString::fromUtf8(clients->str, static_cast<qsizetype>(clients->len)).count(u'\n'), 2);
  }

  // A shard with a large backlog is sent a batch per turn, the others in between: they are
  // all in Redis long before the busy shard is.
  void aBusyShardDoesNotStarveTheOthers() {
    RedisServer redis;
    QVERIFY(redis.start());
    auto log = makeLog(4, 100'000);
    QVERIFY(write(*log, 0, 50'000));
    for (std::size_t i = 1; i < 4; ++i) QVERIFY(write(*log, i, 1));
    ShardedRedisMirror mirror(log, *memlog::parse_redis_stream_address(redis.target("events")),
                              MirrorOptions{.batch = 16});
    mirror.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeout);
    MirrorStatus status;
    do {
      status = mirror.status();
    } while ((status.shards[1].confirmed < 0 || status.shards[2].confirmed < 0 || status.shards[3].confirmed < 0) &&
             std::chrono::steady_clock::now() < deadline);
    QCOMPARE(status.shards[3].confirmed, 0);
    QVERIFY2(status.shards[0].lag > 40'000, qPrintable(QString::number(status.shards[0].lag)));
    QVERIFY(waitAllConfirmed(*log, mirror));
  }

  void restartMidRunFillsEachShardsGapAndCountsWhatIsLost() {
    constexpr std::size_t kShards = 4;
    Mirrored m;
    // No trimming, so that every offset of a shard is either in its stream or counted lost.
    QVERIFY(
        m.start(kShards, 500, MirrorOptions{.max_length = 10'000'000, .backoff_initial = 50ms, .backoff_max = 200ms}));
    auto& log = m.log;
    ShardedRedisMirror& mirror = *m.mirror;
    // Round robin over the shards: each purges what Redis could not take while it was down.
    SteadyWriter writer([&log, k = 0]() mutable { return write(*log, static_cast<std::size_t>(k++) % kShards, 1); });
    QTRY_VERIFY_WITH_TIMEOUT(writer.written() > 5000, kTimeout);
    m.redis.stop();
    QTRY_COMPARE_WITH_TIMEOUT(mirror.status().state, WorkerState::retrying, kTimeout);
    QVERIFY(m.redis.start());
    writer.release();
    QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 60000);
    QVERIFY(waitAllConfirmed(*log, mirror));
    const MirrorStatus status = mirror.status();
    checkTotals(status, kShards);
    QVERIFY(status.failures >= 1);
    QCOMPARE(status.lag, 0);
    std::vector<Gaps> gaps;  // shard by shard, its stream's missing ranges
    for (std::size_t i = 0; i < kShards; ++i) {
      const auto entries = m.entries(i);
      checkEntries(i, entries);
      checkHoldsTheLog(log->shard(i), entries);  // the gap refilled from the shard
      // Exactly counted: every offset written to the shard is in its stream or lost.
      const memlog::Offset last = log->shard(i).stats().next_offset - 1;
      QCOMPARE(static_cast<qint64>(entries.size()) + static_cast<qint64>(status.shards[i].lost), last + 1);
      gaps.push_back(missingRanges(entries, last));
    }
    // The total's lost ranges name their shard, and each lies in a gap of that shard's stream
    // (a shard's losses found at different times are ranges of their own there).
    const QString lostRanges = QString::fromStdString(status.lost_ranges);
    QCOMPARE(lostRanges.isEmpty(), status.lost == 0);
    const QRegularExpression labelled(u"^(\\d+):(\\d+)(?:-(\\d+))?$"_s);
    for (const QString& range : lostRanges.split(u", "_s, Qt::SkipEmptyParts)) {
      const auto match = labelled.match(range);
      QVERIFY2(match.hasMatch(), qPrintable(range));
      const auto shard = match.captured(1).toULongLong();
      const qint64 first = match.captured(2).toLongLong();
      const qint64 last = match.hasCaptured(3) ? match.captured(3).toLongLong() : first;
      QVERIFY2(shard < kShards &&
                   std::ranges::any_of(gaps[shard],
                                       [&](const auto& gap) { return gap.first <= first && last <= gap.second; }),
               qPrintable(lostRanges));
    }
    qInfo("after the restart: %llu lost (%s), %llu duplicates", static_cast<unsigned long long>(status.lost),
          status.lost_ranges.c_str(), static_cast<unsigned long long>(status.duplicates));
  }

  void unreachableRedisIsRetriedWhileTheShardsGoOn() {
    RedisServer nobody;  // a free port, never started
    auto log = makeLog(4, 100);
    ShardedRedisMirror mirror(log, *memlog::parse_redis_stream_address(nobody.target("events")),
                              MirrorOptions{.backoff_initial = 50ms, .backoff_max = 100ms});
    mirror.start();
    QTRY_VERIFY_WITH_TIMEOUT(mirror.status().failures >= 2, kTimeout);
    const QString problem = QString::fromStdString(mirror.status().last_problem);
    QVERIFY2(
        problem.contains(u"cannot connect to 127.0.0.1:%1"_s.arg(nobody.port())) && problem.contains(u"retrying in"_s),
        qPrintable(problem));
    for (std::size_t i = 0; i < 4; ++i) QVERIFY(write(*log, i, 500));  // writers are never held up
    const MirrorStatus status = mirror.status();
    checkTotals(status, 4);
    QCOMPARE(status.lag, 4 * 100 * 2);  // every shard's retained records, all waiting
  }

  void stopIsPrompt_data() {
    QTest::addColumn<bool>("busy");
    QTest::addRow("waiting for records") << false;
    QTest::addRow("sending a backlog") << true;
  }
  void stopIsPrompt() {
    QFETCH(bool, busy);
    Mirrored m;
    QVERIFY(m.start(64, 10'000, MirrorOptions{.batch = 64}));
    for (std::size_t i = 0; i < 64; ++i) QVERIFY(write(*m.log, i, busy ? 2000 : 10));
    if (!busy) QVERIFY(waitAllConfirmed(*m.log, *m.mirror));
    const auto before = std::chrono::steady_clock::now();
    m.mirror->stop();  // a stop request wakes the wait at once, or ends the round trips
    QVERIFY(std::chrono::steady_clock::now() - before < 500ms);
    QCOMPARE(m.mirror->status().state, WorkerState::stopped);
  }
};

QTEST_GUILESS_MAIN(TestShardedRedisMirror)
#include "tst_sharded_redis_mirror.moc"
