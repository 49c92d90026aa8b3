// SPDX-License-Identifier: MIT
// RedisFeed against a real redis-server: entries tailed in order from an ID or only new ones,
// entries without a payload as JSON, a Redis restart survived, a key of the wrong type
// reported, a prompt stop — and the round trip: a log mirrored to a stream and read back.
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTest>

#include <memlog/redis/redis_feed.hpp>
#include <memlog/redis/redis_mirror.hpp>

#include "redis_server.hpp"
#include "support/log_text.hpp"

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using memlog::WorkerState;
using memlog::redis::RedisFeed;

namespace {
constexpr int kTimeout = 20000;

std::shared_ptr<memlog::Log> make_log() { return *memlog::Log::create({.segment_size = 100000}); }

memlog::RedisStreamAddress target(const RedisServer& server, const std::string& stream) {
  return *memlog::parse_redis_stream_address(server.target(stream));
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
    RedisFeed feed(log, target(redis, "orders"), "0");
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log),
                              (QStringList{QStringLiteral("first"), QStringLiteral("second"), QStringLiteral("third")}),
                              kTimeout);
    QCOMPARE(feed.last_id(), third);
    add(client, "orders", "fourth");
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 4, kTimeout);
    QCOMPARE(feed.status().state, WorkerState::running);
  }

  void latestMeansOnlyNewEntries() {
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    add(client, "orders", "old");
    auto log = make_log();
    RedisFeed feed(log, target(redis, "orders"));  // from "$"
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().state, WorkerState::running, kTimeout);
    add(client, "orders", "new");
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), QStringList{QStringLiteral("new")}, kTimeout);
  }

  void entriesWithoutAPayloadBecomeJson() {
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    client.command({"XADD", "sensors", "*", "room", "4.12", "note", "say \"hi\"\n"});
    auto log = make_log();
    RedisFeed feed(log, target(redis, "sensors"), "0");
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 1, kTimeout);
    QCOMPARE(log->read(0)->text(), std::string_view("{\"room\":\"4.12\",\"note\":\"say \\\"hi\\\"\\n\"}"));
  }

  // Fields that are not UTF-8 go as base64, marked as the server marks a binary payload: the
  // record is always valid UTF-8 and valid JSON, and every valid field reads back as it was.
  void fieldsWithoutAPayloadAreAlwaysJson_data() {
    QTest::addColumn<QByteArrayList>("fields");  // name, value, name, value, ...
    QTest::addColumn<QJsonObject>("expected");
    // What a value that is not UTF-8 becomes (base64 as Qt writes it, for the server).
    auto binary = [](const QByteArray& bytes) {
      return QJsonObject{{u"encoding"_s, u"base64"_s}, {u"value"_s, QString::fromLatin1(bytes.toBase64())}};
    };
    auto oneBinaryValue = [&](const char* name, const QByteArray& bytes) {
      QTest::addRow("%s", name) << QByteArrayList{"v"_ba, bytes} << QJsonObject{{u"v"_s, binary(bytes)}};
    };
    QTest::addRow("invalid bytes next to valid ones")
        << QByteArrayList{"room"_ba, "4.12"_ba, "raw"_ba, QByteArray("\xff\xfe\x00\x01", 4)}
        << QJsonObject{{u"room"_s, u"4.12"_s}, {u"raw"_s, binary(QByteArray("\xff\xfe\x00\x01", 4))}};
    oneBinaryValue("overlong slash",
                   "a\xc0\xaf"
                   "b"_ba);
    oneBinaryValue("overlong three-byte form", "\xe0\x80\xaf"_ba);
    oneBinaryValue("overlong four-byte form", "\xf0\x80\x80\xaf"_ba);
    oneBinaryValue("a UTF-16 surrogate", "\xed\xa0\x80"_ba);
    oneBinaryValue("beyond U+10FFFF", "\xf4\x90\x80\x80"_ba);
    oneBinaryValue("a truncated sequence", "ab\xc3"_ba);
    oneBinaryValue("a lone continuation byte", "\x80"_ba);
    oneBinaryValue("one byte: padding ==", "\xff"_ba);
    oneBinaryValue("two bytes: padding =", "\xff\xff"_ba);
    oneBinaryValue("three bytes: no padding", "\xff\xff\xff"_ba);
    QTest::addRow("control characters") << QByteArrayList{"ctl"_ba, "\x01\x1f\t\r\n\x7f"_ba, "nul"_ba,
                                                          QByteArray("a\0b", 3)}
                                        << QJsonObject{{u"ctl"_s, u"\x01\x1f\t\r\n\x7f"_s},
                                                       {u"nul"_s, QString(u"a\0b"_s)}};
    QTest::addRow("quotes and backslashes in names and values")
        << QByteArrayList{"say \"hi\""_ba, "a\"b\\c"_ba, "C:\\dir\\"_ba, "\\\""_ba}
        << QJsonObject{{u"say \"hi\""_s, u"a\"b\\c"_s}, {u"C:\\dir\\"_s, u"\\\""_s}};
    QTest::addRow("valid multi-byte text")
        << QByteArrayList{"città"_ba, "ü € 😀"_ba} << QJsonObject{{u"città"_s, u"ü € 😀"_s}};
    QTest::addRow("a name that is not UTF-8")
        << QByteArrayList{"\xff\"id"_ba, "7"_ba, "ok"_ba, "yes"_ba}
        << QJsonObject{
               {QString::fromLatin1("\xff\"id"_ba.toBase64()),
                QJsonObject{{u"encoding"_s, u"base64"_s}, {u"name_encoding"_s, u"base64"_s}, {u"value"_s, u"Nw=="_s}}},
               {u"ok"_s, u"yes"_s}};
    QTest::addRow("an empty value") << QByteArrayList{"empty"_ba, QByteArray()}
                                    << QJsonObject{{u"empty"_s, QString(u""_s)}};
  }
  void fieldsWithoutAPayloadAreAlwaysJson() {
    QFETCH(QByteArrayList, fields);
    QFETCH(QJsonObject, expected);
    RedisServer redis;
    QVERIFY(redis.start());
    RedisClient client(redis.port());
    std::vector<std::string> xadd{"XADD", "mixed", "*"};
    for (const QByteArray& field : fields) xadd.emplace_back(field.constData(), static_cast<std::size_t>(field.size()));
    const ReplyPtr id = client.command(xadd);
    QVERIFY(id && id->type == REDIS_REPLY_STRING);
    auto log = make_log();
    RedisFeed feed(log, target(redis, "mixed"), "0");
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 1, kTimeout);
    const auto record = log->read(0);
    QVERIFY(record);
    const std::string_view text = record->text();
    const QByteArray json(text.data(), static_cast<qsizetype>(text.size()));

    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8(json);
    QVERIFY2(!utf8.hasError(), json.toPercentEncoding(" {}\":,=/+").constData());
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + u": "_s + decoded));
    QVERIFY(document.isObject());
    QCOMPARE(document.object(), expected);
    // A binary value decodes to the bytes Redis holds.
    for (qsizetype i = 0; i + 1 < fields.size(); i += 2) {
      const QJsonValue value = expected.value(QString::fromUtf8(fields[i]));
      if (value.isObject())
        QCOMPARE(QByteArray::fromBase64(value.toObject().value(u"value"_s).toString().toLatin1()), fields[i + 1]);
    }
  }

  void survivesARedisRestart() {
    RedisServer redis;
    QVERIFY(redis.start());
    auto log = make_log();
    RedisFeed feed(log, target(redis, "orders"), "0");
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
    QCOMPARE(feed.status().state, WorkerState::running);
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
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().state, WorkerState::running, kTimeout);
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
    QTRY_COMPARE_WITH_TIMEOUT(mirror.status().state, WorkerState::running, kTimeout);
    auto copy = make_log();
    RedisFeed feed(copy, target(redis, "bridge"), "0");
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
