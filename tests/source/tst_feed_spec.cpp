// SPDX-License-Identifier: MIT
// The names of real sources: each form parsed to its kind and target, and malformed ones
// refused with a message that says what is wrong; a Redis stream's address, which the mirror
// takes too.
#include <QTest>

#include <memlog/source/feed_spec.hpp>

using memlog::feed::FeedSpec;
using memlog::feed::parse_feed_spec;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(FeedSpec::Kind)

class TestFeedSpec : public QObject {
  Q_OBJECT

 private slots:
  void valid_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<FeedSpec::Kind>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("normalized");
    QTest::newRow("stdin") << u"stdin"_s << FeedSpec::Kind::standard_input << QString() << u"stdin"_s;
    QTest::newRow("dash") << u"-"_s << FeedSpec::Kind::standard_input << QString() << u"stdin"_s;
    QTest::newRow("file") << u"file:/var/log/syslog"_s << FeedSpec::Kind::file << u"/var/log/syslog"_s
                          << u"file:/var/log/syslog"_s;
    QTest::newRow("relative file") << u"file:app.log"_s << FeedSpec::Kind::file << u"app.log"_s << u"file:app.log"_s;
    QTest::newRow("http:URL") << u"http:http://127.0.0.1:8080/api?since={cursor}"_s << FeedSpec::Kind::http
                              << u"http://127.0.0.1:8080/api?since={cursor}"_s
                              << u"http:http://127.0.0.1:8080/api?since={cursor}"_s;
    QTest::newRow("bare URL") << u"http://legacy.example/items"_s << FeedSpec::Kind::http
                              << u"http://legacy.example/items"_s << u"http:http://legacy.example/items"_s;
    QTest::newRow("https") << u"http:https://legacy.example/items"_s << FeedSpec::Kind::http
                           << u"https://legacy.example/items"_s << u"http:https://legacy.example/items"_s;
    QTest::newRow("redis") << u"redis:127.0.0.1:6379/events"_s << FeedSpec::Kind::redis << u"127.0.0.1:6379/events"_s
                           << u"redis:127.0.0.1:6379/events"_s;
    QTest::newRow("redis default port") << u"redis:cache/events"_s << FeedSpec::Kind::redis << u"cache:6379/events"_s
                                        << u"redis:cache:6379/events"_s;
    QTest::newRow("redis from id") << u"redis:localhost:7000/s@1700000000000-5"_s << FeedSpec::Kind::redis
                                   << u"localhost:7000/s@1700000000000-5"_s
                                   << u"redis:localhost:7000/s@1700000000000-5"_s;
    QTest::newRow("redis ipv6") << u"redis:[::1]:6380/s@0"_s << FeedSpec::Kind::redis << u"[::1]:6380/s@0"_s
                                << u"redis:[::1]:6380/s@0"_s;
  }
  void valid() {
    QFETCH(QString, text);
    QFETCH(FeedSpec::Kind, kind);
    QFETCH(QString, target);
    QFETCH(QString, normalized);
    const auto spec = parse_feed_spec(text.toStdString());
    QVERIFY2(spec.has_value(), spec ? "" : spec.error().c_str());
    QCOMPARE(spec->kind, kind);
    QCOMPARE(QString::fromStdString(spec->target), target);
    QCOMPARE(QString::fromStdString(spec->text()), normalized);
  }

  void redisParts() {
    const auto spec = parse_feed_spec("redis:[::1]:6380/orders@0");
    QVERIFY(spec.has_value());
    QCOMPARE(spec->redis.host, std::string("::1"));
    QCOMPARE(spec->redis.port, 6380);
    QCOMPARE(spec->redis.stream, std::string("orders"));
    QCOMPARE(spec->from, std::string("0"));
  }

  // The one parser of a Redis stream's address, with or without "redis:" (the mirror's form).
  void streamAddress_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("stream");
    QTest::addColumn<QString>("normalized");
    QTest::addRow("with redis:") << u"redis:127.0.0.1:6390/copy"_s << u"127.0.0.1"_s << 6390 << u"copy"_s
                                 << u"127.0.0.1:6390/copy"_s;
    QTest::addRow("without redis:") << u"cache:7000/events"_s << u"cache"_s << 7000 << u"events"_s
                                    << u"cache:7000/events"_s;
    QTest::addRow("default port") << u"redis:cache/events"_s << u"cache"_s << 6379 << u"events"_s
                                  << u"cache:6379/events"_s;
    QTest::addRow("ipv6") << u"redis:[::1]:6380/s"_s << u"::1"_s << 6380 << u"s"_s << u"[::1]:6380/s"_s;
    QTest::addRow("slash in the key") << u"h:1/a/b"_s << u"h"_s << 1 << u"a/b"_s << u"h:1/a/b"_s;
  }
  void streamAddress() {
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, stream);
    QFETCH(QString, normalized);
    const auto address = memlog::parse_redis_stream_address(text.toStdString());
    QVERIFY2(address.has_value(), address ? "" : address.error().c_str());
    QCOMPARE(QString::fromStdString(address->host), host);
    QCOMPARE(address->port, port);
    QCOMPARE(QString::fromStdString(address->stream), stream);
    QCOMPARE(QString::fromStdString(address->text()), normalized);
    QCOMPARE(memlog::parse_redis_stream_address(address->text()), address);  // text() reads back
  }

  void badStreamAddress_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::addRow("no stream") << u"redis:127.0.0.1:6379"_s << u"no stream name in 'redis:127.0.0.1:6379'"_s;
    QTest::addRow("empty stream") << u"h:1/"_s << u"no stream name"_s;
    QTest::addRow("an entry ID") << u"redis:h:1/s@0"_s << u"'@ID' has no meaning in 'redis:h:1/s@0'"_s;
    QTest::addRow("bad port") << u"redis:h:70000/s"_s << u"'70000' is not a port"_s;
    QTest::addRow("no host") << u":6379/s"_s << u"no host"_s;
    QTest::addRow("empty") << QString() << u"no stream name"_s;
    QTest::addRow("only the prefix") << u"redis:"_s << u"no stream name"_s;
  }
  void badStreamAddress() {
    QFETCH(QString, text);
    QFETCH(QString, message);
    const auto address = memlog::parse_redis_stream_address(text.toStdString());
    QVERIFY(!address.has_value());
    QVERIFY2(QString::fromStdString(address.error()).contains(message), address.error().c_str());
  }

  void invalid_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown") << u"kafka:broker"_s << u"unknown source 'kafka:broker'"_s;
    QTest::newRow("empty") << QString() << u"unknown source ''"_s;
    QTest::newRow("file without path") << u"file:"_s << u"needs a path"_s;
    QTest::newRow("http without URL") << u"http:"_s << u"is not an http:// or https:// URL"_s;
    QTest::newRow("http ftp URL") << u"http:ftp://x/y"_s << u"is not an http:// or https:// URL"_s;
    QTest::newRow("http no host") << u"http:http:///path"_s << u"no host"_s;
    QTest::newRow("http space") << u"http://a b/c"_s << u"no spaces"_s;
    QTest::newRow("redis no stream") << u"redis:127.0.0.1:6379"_s << u"no stream name"_s;
    QTest::newRow("redis empty stream") << u"redis:127.0.0.1:6379/"_s << u"no stream name"_s;
    QTest::newRow("redis bad port") << u"redis:127.0.0.1:99999/s"_s << u"'99999' is not a port"_s;
    QTest::newRow("redis word port") << u"redis:host:abc/s"_s << u"'abc' is not a port"_s;
    QTest::newRow("redis no host") << u"redis::6379/s"_s << u"no host"_s;
    QTest::newRow("redis bad id") << u"redis:h:1/s@yesterday"_s << u"'yesterday' is not a Redis entry ID"_s;
    QTest::newRow("redis unclosed v6") << u"redis:[::1:6379/s"_s << u"unclosed '['"_s;
  }
  void invalid() {
    QFETCH(QString, text);
    QFETCH(QString, message);
    const auto spec = parse_feed_spec(text.toStdString());
    QVERIFY(!spec.has_value());
    QVERIFY2(QString::fromStdString(spec.error()).contains(message), spec.error().c_str());
  }
};

QTEST_GUILESS_MAIN(TestFeedSpec)
#include "tst_feed_spec.moc"
