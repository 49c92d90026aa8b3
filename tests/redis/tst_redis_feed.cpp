// SPDX-License-Identifier: MIT
// RedisFeed against a real redis-server: entries tailed in order from an ID or only new ones,
// entries without a payload as JSON, a Redis restart survived, a key of the wrong type
// reported, a prompt stop — and the round trip: a log mirrored to a stream and read back.
#include <QTest>

#include <memlog/redis/redis_feed.hpp>
#include <memlog/redis/redis_mirror.hpp>

#include "redis_server.hpp"
#include "support/log_text.hpp"

using namespace std::chrono_literals;
using memlog::feed::FeedState;
using memlog::redis::RedisFeed;

namespace {
constexpr int kTimeout = 20000;

std::shared_ptr<memlog::Log> make_log() { return *memlog::Log::create({.segment_size = 100000}); }

memlog::feed::RedisTarget target(const RedisServer& server, const std::string& stream) {
  return *memlog::feed::parse_redis_target(server.target(stream));
}

std::string add(RedisClient& client, const std::string& stream, const std::string& payload) {
  const ReplyPtr id = client.command({"XADD", stream, "*", "payload", payload});
  return id && id->type == REDIS_REPLY_STRING ? std::string(id->str, id->len) : std::string();
}
}  // namespace

class TestRedisFeed : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    if (!RedisServer::installed()) QSKIP("redis-server is not installed (scripts/setup.sh installs it)");
  }

  void tailsFromTheStart() {
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    add(client, "orders", "first");
    add(client, "orders", "second");
    const std::string third = add(client, "orders", "third");
    auto log = make_log();
    auto from = target(redis, "orders");
    from.from = "0";
    RedisFeed feed(log, from);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log),
                              (QStringList{QStringLiteral("first"), QStringLiteral("second"), QStringLiteral("third")}),
                              kTimeout);
    QCOMPARE(feed.last_id(), third);
    add(client, "orders", "fourth");
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 4, kTimeout);
    QCOMPARE(feed.status().state, FeedState::running);
  }

  void latestMeansOnlyNewEntries() {
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    add(client, "orders", "old");
    auto log = make_log();
    RedisFeed feed(log, target(redis, "orders"));  // from "$"
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().state, FeedState::running, kTimeout);
    add(client, "orders", "new");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), QStringList{QStringLiteral("new")}, kTimeout);
  }

  void entriesWithoutAPayloadBecomeJson() {
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    client.command({"XADD", "sensors", "*", "room", "4.12", "note", "say \"hi\"\n"});
    auto log = make_log();
    auto from = target(redis, "sensors");
    from.from = "0";
    RedisFeed feed(log, from);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 1, kTimeout);
    QCOMPARE(log->read(0)->text(), std::string_view("{\"room\":\"4.12\",\"note\":\"say \\\"hi\\\"\\n\"}"));
  }

  void survivesARedisRestart() {
    RedisServer redis;
    QVERIFY(redis.start());
    auto log = make_log();
    auto from = target(redis, "orders");
    from.from = "0";
    RedisFeed feed(log, from);
    feed.set_backoff(50ms, 200ms);
    feed.start();
    {
      RedisClient client(redis.port());
      add(client, "orders", "before");
    }
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 1, kTimeout);
    redis.stop();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().failures >= 1, kTimeout);
    QVERIFY2(
        QString::fromStdString(feed.status().last_problem).contains(QStringLiteral("127.0.0.1:%1").arg(redis.port())),
        feed.status().last_problem.c_str());
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    add(client, "orders", "after");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{QStringLiteral("before"), QStringLiteral("after")}),
                              kTimeout);
    QCOMPARE(feed.status().state, FeedState::running);
  }

  void aKeyThatIsNotAStreamIsReported() {
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    client.command({"SET", "orders", "a string"});
    auto log = make_log();
    RedisFeed feed(log, target(redis, "orders"));
    feed.set_backoff(50ms, 100ms);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().failures >= 2, kTimeout);
    QVERIFY2(QString::fromStdString(feed.status().last_problem).contains(QStringLiteral("WRONGTYPE")),
             feed.status().last_problem.c_str());
    QCOMPARE(log->stats().next_offset, 0);
  }

  void stopIsPrompt() {
    RedisServer redis;
    QVERIFY(redis.start());
    auto log = make_log();
    RedisFeed feed(log, target(redis, "quiet"));
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().state, FeedState::running, kTimeout);
    const auto before = std::chrono::steady_clock::now();
    feed.stop();
    QVERIFY(std::chrono::steady_clock::now() - before < 1000ms);  // XREAD blocks 500 ms at most
  }

  // One monitor mirrors its log, another tails the stream: the same records, in order.
  void roundTripThroughAStream() {
    RedisServer redis;
    QVERIFY(redis.start());
    auto source = make_log();
    memlog::redis::RedisMirror mirror(source, target(redis, "bridge"));
    mirror.start();
    QTRY_COMPARE_WITH_TIMEOUT(mirror.status().state, memlog::redis::MirrorState::mirroring, kTimeout);
    auto copy = make_log();
    auto from = target(redis, "bridge");
    from.from = "0";
    RedisFeed feed(copy, from);
    feed.start();
    QStringList expected;
    for (int i = 0; i < 2000; ++i) {
      const std::string text = "{\"n\":" + std::to_string(i) + "}";
      QVERIFY(source->write(text).has_value());
      expected << QString::fromStdString(text);
    }
    QTRY_COMPARE_WITH_TIMEOUT(copy->stats().next_offset, 2000, kTimeout);
    QCOMPARE(logText(*copy), expected);
  }
};

QTEST_GUILESS_MAIN(TestRedisFeed)
#include "tst_redis_feed.moc"
