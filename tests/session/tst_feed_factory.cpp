// SPDX-License-Identifier: MIT
// makeFeed, the one place that turns a source name into a feed: each kind gives its feed,
// named as the source is written back (so the panel and --headless show the same name); the
// feed writes into the log it was given; a build without Redis refuses a Redis source with the
// reason before any feed exists.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memlog/source/feed_spec.hpp>
#include <memlog/source/line_feeds.hpp>
#if MEMLOG_WITH_REDIS
#include <memlog/redis/redis_feed.hpp>
#endif

#include "feeds/feed_factory.hpp"
#include "feeds/http_feed.hpp"

using namespace Qt::StringLiterals;
using memlog::feed::FeedSpec;

namespace {
std::shared_ptr<memlog::Log> makeLog() { return *memlog::Log::create({.segment_size = 100}); }

FeedSpec parse(const QString& source) {
  auto spec = memlog::feed::parse_feed_spec(source.toStdString());
  if (!spec) qFatal("bad source name in the test: %s", spec.error().c_str());
  return *spec;
}
}  // namespace

class TestFeedFactory : public QObject {
  Q_OBJECT

 private slots:
  void eachKindGivesItsFeed_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("type");
    QTest::addRow("stdin") << u"stdin"_s << u"DescriptorFeed"_s;
    QTest::addRow("file") << u"file:/var/log/app.log"_s << u"FileFeed"_s;
    QTest::addRow("http") << u"http:http://127.0.0.1:9/api?after={cursor:0}"_s << u"HttpFeed"_s;
    QTest::addRow("bare URL") << u"http://127.0.0.1:9/items"_s << u"HttpFeed"_s;
#if MEMLOG_WITH_REDIS
    QTest::addRow("redis, new entries") << u"redis:127.0.0.1:6379/events"_s << u"RedisFeed"_s;
    QTest::addRow("redis, from the start") << u"redis:127.0.0.1:6379/events@0"_s << u"RedisFeed"_s;
#endif
  }
  void eachKindGivesItsFeed() {
    QFETCH(QString, source);
    QFETCH(QString, type);
    const FeedSpec spec = parse(source);
    QVERIFY(unsupportedFeed(spec).isEmpty());
    const auto feed = makeFeed(spec, makeLog(), std::chrono::milliseconds(500));
    QVERIFY(feed != nullptr);
    QCOMPARE(QString::fromStdString(feed->name()), QString::fromStdString(spec.text()));
    QString made;
    if (dynamic_cast<memlog::feed::DescriptorFeed*>(feed.get()))
      made = u"DescriptorFeed"_s;
    else if (dynamic_cast<memlog::feed::FileFeed*>(feed.get()))
      made = u"FileFeed"_s;
    else if (dynamic_cast<HttpFeed*>(feed.get()))
      made = u"HttpFeed"_s;
#if MEMLOG_WITH_REDIS
    else if (dynamic_cast<memlog::redis::RedisFeed*>(feed.get()))
      made = u"RedisFeed"_s;
#endif
    QCOMPARE(made, type);
    QCOMPARE(feed->status().state, memlog::WorkerState::stopped);  // made, not started
  }

  // The feed writes into the log it was made with: a file's lines are its records.
  void theFeedWritesIntoItsLog() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"lines.log"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("one\ntwo\nthree\n");
    file.close();
    const auto log = makeLog();
    const auto feed = makeFeed(parse(u"file:"_s + path), log, std::chrono::milliseconds(500));
    feed->start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, memlog::Offset(3), 10000);
    QCOMPARE(log->read(0)->text(), std::string_view("one"));
    QCOMPARE(log->read(2)->text(), std::string_view("three"));
    feed->stop();
  }

  void redisOnlyWithRedis() {
    const QString why = unsupportedFeed(parse(u"redis:127.0.0.1:6379/events"_s));
#if MEMLOG_WITH_REDIS
    QVERIFY2(why.isEmpty(), qPrintable(why));
#else
    QCOMPARE(why, noRedisSupport());
    QVERIFY(why.contains(u"no Redis support"_s));
#endif
  }
};

QTEST_GUILESS_MAIN(TestFeedFactory)
#include "tst_feed_factory.moc"
