// SPDX-License-Identifier: MIT
// RedisMirror against a real redis-server: the stream holds the log's records in order with
// their offsets; across a Redis restart mid-run the gap is filled from the log and what could
// not be delivered is reported exactly; an unreachable Redis is retried while the log goes
// on; MAXLEN ~ keeps the stream near the log's retention; a replayed log is not sent twice.
#include <QTest>

#include <memlog/redis/redis_mirror.hpp>

#include <optional>

#include "redis_server.hpp"
#include "stream_checks.hpp"

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using memlog::WorkerState;
using memlog::redis::MirrorOptions;
using memlog::redis::RedisMirror;

namespace {
constexpr int kTimeout = 20000;

std::shared_ptr<memlog::Log> make_log(std::size_t segment, memlog::Offset start = 0) {
  return *memlog::Log::create({.start_offset = start, .segment_size = segment});
}

std::string payload(memlog::Offset offset) { return "record " + std::to_string(offset); }

void write(memlog::Log& log, int count) {
  for (int i = 0; i < count; ++i) QVERIFY(log.write(payload(log.stats().next_offset)).has_value());
}

memlog::RedisStreamAddress target(const RedisServer& server, const std::string& stream) {
  return *memlog::parse_redis_stream_address(server.target(stream));
}

void checkEntries(const std::vector<RedisClient::Entry>& entries) { ::checkEntries(entries, payload); }

// Waits until the mirror has connected and is mirroring.
bool waitMirroring(const RedisMirror& mirror) {
  return QTest::qWaitFor([&] { return mirror.status().state == WorkerState::running; }, kTimeout);
}

// Writes `count` records, then waits until Redis has confirmed the last of them.
bool writeConfirmed(memlog::Log& log, const RedisMirror& mirror, int count) {
  write(log, count);
  const memlog::Offset last = log.stats().next_offset - 1;
  return QTest::qWaitFor([&] { return mirror.status().confirmed == last; }, kTimeout);
}

// A redis-server and a mirror of a new log into its stream "events".
struct Mirrored {
  RedisServer redis;
  std::shared_ptr<memlog::Log> log;
  std::optional<RedisMirror> mirror;  // destroyed first: it reads the log and talks to redis

  // Starts both; true once the mirror is mirroring (a new mirror starts with what the log
  // holds when it connects, so tests write after this).
  bool start(std::size_t segment, MirrorOptions options = {}) {
    if (!redis.start()) return false;
    log = make_log(segment);
    mirror.emplace(log, target(redis, "events"), options);
    mirror->start();
    return waitMirroring(*mirror);
  }
  std::vector<RedisClient::Entry> entries() const { return RedisClient(redis.port()).range("events"); }
};

// The offsets in [0, last] the stream lacks, as ranges ("0-999, 1500"), the newest `keep` of them.
QString missingRanges(const std::vector<RedisClient::Entry>& entries, qint64 last, int keep) {
  QStringList ranges;
  for (const auto& [first, end] : ::missingRanges(entries, last))
    ranges << (first == end ? QString::number(first) : u"%1-%2"_s.arg(first).arg(end));
  return ranges.mid(std::max<qsizetype>(0, ranges.size() - keep)).join(u", "_s);
}
}  // namespace

class TestRedisMirror : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    if (!RedisServer::installed()) QSKIP("redis-server is not installed (scripts/setup.sh installs it)");
  }

  void streamHoldsTheLogsRecordsInOrder() {
    Mirrored m;
    QVERIFY(m.start(1000));
    // In steps the mirror keeps up with (a burst of 3000 would purge records before it could
    // send them: see restartMidRun for that case).
    for (int step = 1; step <= 12; ++step) QVERIFY(writeConfirmed(*m.log, *m.mirror, 250));
    const auto status = m.mirror->status();
    QCOMPARE(status.lag, 0);
    QCOMPARE(status.state, WorkerState::running);
    QCOMPARE(status.sent, 3000u);
    QCOMPARE(status.lost, 0u);
    const auto entries = m.entries();
    checkEntries(entries);
    checkHoldsTheLog(*m.log, entries);
    QCOMPARE(offsetOf(entries.back()), 2999);
  }

  void restartMidRunFillsTheGapAndReportsWhatIsLost() {
    Mirrored m;
    // No trimming here, so that every offset is either in the stream or reported lost.
    QVERIFY(m.start(2000, MirrorOptions{.max_length = 10'000'000, .backoff_initial = 50ms, .backoff_max = 200ms}));
    auto& log = m.log;
    auto& redis = m.redis;
    RedisMirror& mirror = *m.mirror;
    SteadyWriter writer([&log] { return log->write(payload(log->stats().next_offset)).has_value(); });
    QTRY_VERIFY_WITH_TIMEOUT(writer.written() > 5000, kTimeout);
    redis.stop();
    // Restarted once the mirror has found it gone (the writer goes on meanwhile).
    QTRY_COMPARE_WITH_TIMEOUT(mirror.status().state, WorkerState::retrying, kTimeout);
    QVERIFY(redis.start());
    writer.release();
    QTRY_VERIFY_WITH_TIMEOUT(writer.done(), 60000);
    const memlog::Offset last = log->stats().next_offset - 1;
    QTRY_COMPARE_WITH_TIMEOUT(mirror.status().confirmed, last, kTimeout);
    const auto status = mirror.status();
    QVERIFY(status.failures >= 1);
    QCOMPARE(status.lag, 0);
    const auto entries = m.entries();
    checkEntries(entries);
    checkHoldsTheLog(*log, entries);
    // Exactly reported: every offset written is either in the stream or counted as lost, and
    // the lost ranges are the stream's gaps (the mirror keeps the newest 5 ranges).
    QCOMPARE(static_cast<qint64>(entries.size()) + static_cast<qint64>(status.lost), last + 1);
    QCOMPARE(QString::fromStdString(status.lost_ranges), missingRanges(entries, last, 5));
    qInfo("after the restart: %zu entries in the stream, %llu lost (%s), %llu duplicates", entries.size(),
          static_cast<unsigned long long>(status.lost), status.lost_ranges.c_str(),
          static_cast<unsigned long long>(status.duplicates));
  }

  void unreachableRedisIsRetriedWhileTheLogGoesOn() {
    RedisServer nobody;  // a free port, never started
    auto log = make_log(100);
    RedisMirror mirror(log, target(nobody, "events"), MirrorOptions{.backoff_initial = 50ms, .backoff_max = 100ms});
    mirror.start();
    QTRY_VERIFY_WITH_TIMEOUT(mirror.status().failures >= 2, kTimeout);
    const auto status = mirror.status();
    const QString problem = QString::fromStdString(status.last_problem);
    QVERIFY2(problem.contains(QStringLiteral("cannot connect to 127.0.0.1:%1").arg(nobody.port())) &&
                 problem.contains(QStringLiteral("retrying in")),
             qPrintable(problem));
    write(*log, 500);  // writers are never held up by the mirror
    QCOMPARE(log->stats().next_offset, 500);
    QCOMPARE(mirror.status().lag, 100 * 2);  // the retained records, all waiting
  }

  void maxLengthFollowsTheLogsRetention() {
    Mirrored m;
    QVERIFY(m.start(100));
    QVERIFY(writeConfirmed(*m.log, *m.mirror, 5000));
    RedisClient client(m.redis.port());
    const ReplyPtr length = client.command({"XLEN", "events"});
    QVERIFY(length && length->type == REDIS_REPLY_INTEGER);
    QVERIFY2(length->integer >= 200 && length->integer <= 400, qPrintable(QString::number(length->integer)));
  }

  void replayedLogIsNotSentTwice() {
    Mirrored m;
    QVERIFY(m.start(1000));
    QVERIFY(writeConfirmed(*m.log, *m.mirror, 100));
    // The crash-and-replay scenario: a new log at a checkpoint, the same records again.
    auto replay = make_log(1000, 50);
    m.mirror->attach(replay);
    QVERIFY(writeConfirmed(*replay, *m.mirror, 100));  // offsets 50..149
    const auto entries = m.entries();
    checkEntries(entries);
    QCOMPARE(entries.size(), 150u);
    QCOMPARE(m.mirror->status().sent, 150u);
  }

  // The replacement is taken up before the replay writes a record: the mirror must still not
  // send offsets 50..99 again (as new entries: their creation times, so their IDs, are new).
  void replayPickedUpBeforeItsRecordsIsNotSentTwice() {
    Mirrored m;
    QVERIFY(m.start(1000));
    QVERIFY(writeConfirmed(*m.log, *m.mirror, 100));
    auto replay = make_log(1000, 50);
    const auto problems = m.mirror->status().problems;
    m.mirror->attach(replay);
    // Taken up (it says so: one message), and only then written to.
    QTRY_COMPARE_WITH_TIMEOUT(m.mirror->status().problems, problems + 1, kTimeout);
    QVERIFY2(QString::fromStdString(m.mirror->status().last_problem).contains(u"taken as a replay"_s),
             m.mirror->status().last_problem.c_str());
    QCOMPARE(m.mirror->status().confirmed, 99);
    QVERIFY(writeConfirmed(*replay, *m.mirror, 60));  // offsets 50..109: 100..109 are new
    const auto entries = m.entries();
    checkEntries(entries);
    QCOMPARE(entries.size(), 110u);
    const auto status = m.mirror->status();
    QCOMPARE(status.sent, 110u);
    QCOMPARE(status.lost, 0u);
    QCOMPARE(status.lag, 0);
  }

  // A replacement that starts after what was mirrored: the stream goes on from its start, and
  // the old log's records that never reached Redis are reported lost (none here).
  void replacementStartingLaterContinuesFromItsStart() {
    Mirrored m;
    QVERIFY(m.start(1000));
    QVERIFY(writeConfirmed(*m.log, *m.mirror, 100));
    auto later = make_log(1000, 5000);
    m.mirror->attach(later);
    QVERIFY(writeConfirmed(*later, *m.mirror, 100));  // offsets 5000..5099
    const auto entries = m.entries();
    checkEntries(entries);
    QCOMPARE(entries.size(), 200u);
    QCOMPARE(offsetOf(entries[100]), 5000);
    QCOMPARE(m.mirror->status().lost, 0u);
  }

  // Redis down while the log is replaced by one starting later: the old log's records that
  // never reached Redis are lost, exactly those.
  void replacementWhileRedisIsDownReportsTheOldLogsUnsentRecords() {
    Mirrored m;
    QVERIFY(m.start(1000, MirrorOptions{.backoff_initial = 50ms, .backoff_max = 100ms}));
    QVERIFY(writeConfirmed(*m.log, *m.mirror, 100));
    auto& first = m.log;
    auto& redis = m.redis;
    RedisMirror& mirror = *m.mirror;
    redis.stop();
    write(*first, 20);  // 100..119: the mirror fails to send them
    QTRY_COMPARE_WITH_TIMEOUT(mirror.status().state, WorkerState::retrying, kTimeout);
    auto later = make_log(1000, 500);
    mirror.attach(later);
    write(*later, 10);       // 500..509
    QVERIFY(redis.start());  // empty: Redis lost 0..99 as well
    QTRY_COMPARE_WITH_TIMEOUT(mirror.status().confirmed, 509, kTimeout);
    const auto entries = m.entries();
    checkEntries(entries);
    QCOMPARE(entries.size(), 10u);
    const auto status = mirror.status();
    // 0..99: lost by Redis, and no longer in any log; 100..119: went with the replaced log.
    QCOMPARE(status.lost, 120u);
    QCOMPARE(status.lost_ranges, std::string("100-119, 0-99"));  // in the order they were found
  }

  void stopIsPrompt() {
    Mirrored m;
    QVERIFY(m.start(1000));
    QVERIFY(writeConfirmed(*m.log, *m.mirror, 10));
    RedisMirror& mirror = *m.mirror;
    const auto before = std::chrono::steady_clock::now();
    mirror.stop();  // waiting for records: a stop request wakes the wait at once
    QVERIFY(std::chrono::steady_clock::now() - before < 500ms);
    QCOMPARE(mirror.status().state, WorkerState::stopped);
  }

  void aKeyThatIsNotAStreamIsReported() {
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    client.command({"SET", "events", "a string"});
    auto log = make_log(100);
    RedisMirror mirror(log, target(redis, "events"), MirrorOptions{.backoff_initial = 50ms, .backoff_max = 100ms});
    mirror.start();
    write(*log, 10);
    QTRY_VERIFY_WITH_TIMEOUT(mirror.status().failures >= 1, kTimeout);
    QVERIFY2(QString::fromStdString(mirror.status().last_problem).contains(QStringLiteral("WRONGTYPE")),
             mirror.status().last_problem.c_str());
    QCOMPARE(log->stats().next_offset, 10);
  }
};

QTEST_GUILESS_MAIN(TestRedisMirror)
#include "tst_redis_mirror.moc"
