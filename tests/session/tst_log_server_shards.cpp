// SPDX-License-Identifier: MIT
// LogServer's shard routes with real clients on loopback: GET /shards for a 4-shard FNV log;
// every /shards/{i}/... answered byte for byte as a server of shard i alone answers /...,
// errors included; no_such_shard for indexes that are none; /keys/{key} (percent-encoded
// UTF-8, the key-list sharder); not_sharded without shards; 405 for other methods; and a
// shard's WebSocket stream (exactly its records, in order, beside another shard's client at
// the same offsets; 4002 for a bad shard, 4001 when the sharded log is replaced).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>
#include <QWebSocket>

#include <memory>
#include <string>
#include <vector>

#include <memlog/sharded_log.hpp>

#include "adapter/log_adapter.hpp"
#include "served_log_support.hpp"
#include "server/log_server.hpp"

using namespace Qt::StringLiterals;

namespace {

using namespace served_log;

constexpr std::size_t kShards = 4;
constexpr int kRecords = 400;  // about 100 a shard: with segments of 10, every shard has purged

std::string keyOf(int i) { return "user-" + std::to_string(i); }

std::shared_ptr<memlog::ShardedLog> makeSharded(std::size_t segmentSize,
                                                std::shared_ptr<const memlog::Sharder> sharder = {}) {
  auto created = memlog::ShardedLog::create(
      {.shards = kShards, .log = {.segment_size = segmentSize}, .sharder = std::move(sharder)});
  return created ? *created : nullptr;
}

// Writes records [first, first + count) through the sharded log, each under its own key.
bool writeRecords(memlog::ShardedLog& log, int first, int count) {
  for (int i = first; i < first + count; ++i) {
    if (!log.write(keyOf(i), "payload " + std::to_string(i))) return false;
  }
  return true;
}

QString text(const memlog::Record& record) {
  return QString::fromUtf8(record.text().data(), static_cast<qsizetype>(record.text().size()));
}

// One log served on loopback.
struct Served {
  explicit Served(std::shared_ptr<memlog::Log> log) : adapter(std::move(log)), server(&adapter) {}
  bool listen() {
    QString error;
    const bool ok = server.listen(QHostAddress::LocalHost, 0, 0, &error);
    if (!ok) qWarning() << error;
    return ok;
  }
  QUrl http(const QString& pathAndQuery) const { return httpUrl(server.httpPort(), pathAndQuery); }
  QUrl ws(const QString& pathAndQuery) const { return wsUrl(server.webSocketPort(), pathAndQuery); }
  LogAdapter adapter;
  LogServer server;
};

// A sharded log served beside an adapter log of its own (whose records are not any shard's),
// and, to compare with, each shard served alone as a server's one log.
struct ShardedFixture {
  explicit ShardedFixture(std::size_t segmentSize = 10, std::shared_ptr<const memlog::Sharder> sharder = {})
      : sharded(makeSharded(segmentSize, std::move(sharder))),
        main(*memlog::Log::create({.segment_size = segmentSize})) {
    for (int i = 0; i < 7; ++i) (void)main.adapter.log()->write("main " + std::to_string(i));
  }
  // The servers of the shards alone, each adapting the shard's Log itself (this suite writes
  // through `sharded` only).
  bool serveShardsAlone() {
    for (std::size_t i = 0; i < kShards; ++i) {
      alone.push_back(std::make_unique<Served>(sharded->shard_ptr(i)));
      if (!alone.back()->listen()) return false;
    }
    return true;
  }
  std::shared_ptr<memlog::ShardedLog> sharded;
  Served main;
  std::vector<std::unique_ptr<Served>> alone;
};

}  // namespace

class TestLogServerShards : public QObject {
  Q_OBJECT

 private slots:
  void shardsBody_data() {
    QTest::addColumn<QString>("sharder");
    QTest::addColumn<QString>("keyField");
    QTest::addRow("fnv, the whole line is the key") << u"fnv"_s << QString();
    QTest::addRow("fnv, a key field") << u"fnv"_s << u"user"_s;
    QTest::addRow("key list") << u"keys"_s << u"host name"_s;
  }
  void shardsBody() {
    QFETCH(QString, sharder);
    QFETCH(QString, keyField);
    ShardedFixture f;
    QVERIFY(f.sharded);
    QVERIFY(writeRecords(*f.sharded, 0, kRecords));
    QVERIFY(f.main.listen());
    f.main.server.setShards(f.sharded, sharder, keyField);  // after listen(): served at once
    const HttpResult result = get(f.main.http(u"/shards"_s));
    QCOMPARE(result.status, 200);

    QJsonArray ranges;
    for (std::size_t i = 0; i < kShards; ++i) {
      const memlog::Stats stats = f.sharded->shard(i).stats();
      QVERIFY2(stats.range.earliest > 0, "every shard has purged");  // so the ranges differ from a fresh log's
      ranges.append(QJsonObject{{u"shard"_s, qint64(i)},
                                {u"earliest"_s, qint64(stats.range.earliest)},
                                {u"latest"_s, qint64(stats.range.latest)},
                                {u"next"_s, qint64(stats.next_offset)}});
    }
    const QJsonObject expected{
        {u"shards"_s, qint64(kShards)},
        {u"sharder"_s, sharder},
        {u"key_field"_s, keyField.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(keyField)},
        {u"ranges"_s, ranges}};
    QCOMPARE(result.body, expected);
  }

  // {earliest}, {latest} and {next} are shard i's; {future} is past its next.
  void shardRoutesAnswerAsOneLog_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addRow("range") << u"/range"_s << 200;
    QTest::addRow("the earliest record") << u"/records/{earliest}"_s << 200;
    QTest::addRow("the latest record") << u"/records/{latest}"_s << 200;
    QTest::addRow("a future offset") << u"/records/{next}"_s << 404;
    QTest::addRow("a purged offset") << u"/records/0"_s << 410;
    QTest::addRow("a non-numeric offset") << u"/records/abc"_s << 400;
    QTest::addRow("a negative offset") << u"/records/-1"_s << 400;
    QTest::addRow("an offset of 200 characters") << u"/records/"_s + QString(200, u'7') << 400;
    QTest::addRow("batch from an offset") << u"/records?from={earliest}&max=3"_s << 200;
    QTest::addRow("batch from earliest") << u"/records?from=earliest"_s << 200;
    QTest::addRow("batch from latest") << u"/records?from=latest"_s << 200;
    QTest::addRow("batch at the end") << u"/records?from={next}"_s << 200;
    QTest::addRow("batch from the future") << u"/records?from={future}"_s << 404;
    QTest::addRow("batch from a purged offset") << u"/records?from=0"_s << 410;
    QTest::addRow("batch without from") << u"/records?max=3"_s << 400;
    QTest::addRow("batch with a bad from") << u"/records?from=soon"_s << 400;
    QTest::addRow("batch with max 0") << u"/records?from=earliest&max=0"_s << 400;
    QTest::addRow("batch with a bad max") << u"/records?from=earliest&max=ten"_s << 400;
    QTest::addRow("below a record") << u"/records/{earliest}/x"_s << 404;
  }
  void shardRoutesAnswerAsOneLog() {
    QFETCH(QString, path);
    QFETCH(int, status);
    ShardedFixture f;
    QVERIFY(f.sharded);
    QVERIFY(writeRecords(*f.sharded, 0, kRecords));
    f.main.server.setShards(f.sharded, u"fnv"_s, QString());  // before listen()
    QVERIFY(f.main.listen());
    QVERIFY(f.serveShardsAlone());
    for (std::size_t i = 0; i < kShards; ++i) {
      const memlog::Stats stats = f.sharded->shard(i).stats();
      QVERIFY2(stats.range.earliest > 0, "every shard has purged");
      QString concrete = path;
      concrete.replace(u"{earliest}"_s, QString::number(stats.range.earliest))
          .replace(u"{latest}"_s, QString::number(stats.range.latest))
          .replace(u"{next}"_s, QString::number(stats.next_offset))
          .replace(u"{future}"_s, QString::number(stats.next_offset + 5));
      const RawResult expected = send(f.alone[i]->http(concrete), "GET"_ba);
      const RawResult result = send(f.main.http(u"/shards/%1"_s.arg(i) + concrete), "GET"_ba);
      QCOMPARE(expected.status, status);
      QVERIFY(!expected.body.isEmpty());
      QCOMPARE(result.status, expected.status);
      if (status == 404 && path.endsWith(u"/x"_s)) {
        // not_found quotes the path asked, which differs; the rest is the same.
        QCOMPARE(QJsonDocument::fromJson(result.body).object().value(u"error"_s).toString(), u"not_found"_s);
        continue;
      }
      QCOMPARE(result.body, expected.body);
    }
  }

  void noSuchShard_data() {
    QTest::addColumn<QString>("index");
    QTest::addColumn<QString>("route");  // %1: the index
    QTest::addColumn<QString>("quoted");
    const QString longIndex(200, u'9');
    for (const QString& route : {u"/shards/%1/range"_s, u"/shards/%1/records/0"_s, u"/shards/%1/records?from=0"_s}) {
      QTest::addRow("not a number: %s", qPrintable(route)) << u"x"_s << route << u"'x'"_s;
      QTest::addRow("negative: %s", qPrintable(route)) << u"-1"_s << route << u"'-1'"_s;
      QTest::addRow("the shard count: %s", qPrintable(route)) << u"4"_s << route << u"'4'"_s;
      QTest::addRow("beyond 64 bits: %s", qPrintable(route))
          << u"99999999999999999999"_s << route << u"'99999999999999999999'"_s;
      QTest::addRow("200 characters, 80 quoted: %s", qPrintable(route))
          << longIndex << route << u"'"_s + QString(80, u'9') + u"…'"_s;
    }
  }
  void noSuchShard() {
    QFETCH(QString, index);
    QFETCH(QString, route);
    QFETCH(QString, quoted);
    ShardedFixture f;
    QVERIFY(f.sharded);
    QVERIFY(writeRecords(*f.sharded, 0, 40));
    f.main.server.setShards(f.sharded, u"fnv"_s, QString());
    QVERIFY(f.main.listen());
    const HttpResult result = get(f.main.http(route.arg(index)));
    QCOMPARE(result.status, 404);
    QCOMPARE(result.body.value(u"error"_s).toString(), u"no_such_shard"_s);
    const QString message = result.body.value(u"message"_s).toString();
    QVERIFY2(message.contains(quoted) && message.contains(u"4 shards"_s), qPrintable(message));
  }

  void keys_data() {
    QTest::addColumn<bool>("keyList");  // KeySharder{"a", "b"} instead of FNV
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("key");    // 200: the key answered
    QTest::addColumn<int>("shard");      // 200: the shard answered; -1: as ShardedLog::shard_of says
    QTest::addColumn<QString>("error");  // 404: the error
    QTest::addRow("ascii") << false << u"/keys/user-1"_s << 200 << u"user-1"_s << -1 << QString();
    QTest::addRow("percent-encoded utf-8") << false << u"/keys/caf%C3%A9"_s << 200 << u"café"_s << -1 << QString();
    QTest::addRow("an encoded slash is part of the key")
        << false << u"/keys/tenant%2F7"_s << 200 << u"tenant/7"_s << -1 << QString();
    QTest::addRow("empty key") << false << u"/keys/"_s << 404 << QString() << 0 << u"invalid_key"_s;
    QTest::addRow("not utf-8") << false << u"/keys/%FF%FE"_s << 404 << QString() << 0 << u"invalid_key"_s;
    QTest::addRow("key list: a known key") << true << u"/keys/b"_s << 200 << u"b"_s << 1 << QString();
    QTest::addRow("key list: an unknown key") << true << u"/keys/c"_s << 404 << QString() << 0 << u"invalid_key"_s;
  }
  void keys() {
    QFETCH(bool, keyList);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, key);
    QFETCH(int, shard);
    QFETCH(QString, error);
    std::shared_ptr<const memlog::Sharder> sharder;
    if (keyList) sharder = std::make_shared<memlog::KeySharder>(std::vector<std::string>{"a", "b"});
    ShardedFixture f(10, sharder);
    QVERIFY(f.sharded);
    f.main.server.setShards(f.sharded, keyList ? u"keys"_s : u"fnv"_s, QString());
    QVERIFY(f.main.listen());
    const HttpResult result = get(f.main.http(path));
    QCOMPARE(result.status, status);
    if (status != 200) {
      QCOMPARE(result.body.value(u"error"_s).toString(), error);
      QVERIFY(!result.body.value(u"message"_s).toString().isEmpty());
      return;
    }
    if (shard < 0) {
      const QByteArray utf8 = key.toUtf8();
      const auto expected =
          f.sharded->shard_of(std::string_view(utf8.constData(), static_cast<std::size_t>(utf8.size())));
      QVERIFY(expected.has_value());
      shard = static_cast<int>(*expected);
    }
    const QJsonObject expected{{u"key"_s, key}, {u"shard"_s, shard}};
    QCOMPARE(result.body, expected);
  }

  void notSharded_data() {
    QTest::addColumn<bool>("dropped");  // sharded once, then setShards(nullptr, ...)
    QTest::addColumn<QString>("path");
    for (const bool dropped : {false, true}) {
      const char* how = dropped ? "dropped" : "never sharded";
      for (const QString& path : {u"/shards"_s, u"/shards/0/range"_s, u"/shards/0/records/0"_s,
                                  u"/shards/0/records?from=0"_s, u"/shards/x/range"_s, u"/keys/a"_s, u"/keys/"_s})
        QTest::addRow("%s: %s", how, qPrintable(path)) << dropped << path;
    }
  }
  void notSharded() {
    QFETCH(bool, dropped);
    QFETCH(QString, path);
    ShardedFixture f;
    QVERIFY(f.sharded);
    if (dropped) {
      f.main.server.setShards(f.sharded, u"fnv"_s, QString());
      f.main.server.setShards(nullptr, QString(), QString());
    }
    QVERIFY(f.main.listen());
    const HttpResult result = get(f.main.http(path));
    QCOMPARE(result.status, 404);
    QCOMPARE(result.body.value(u"error"_s).toString(), u"not_sharded"_s);
    QVERIFY(!result.body.value(u"message"_s).toString().isEmpty());
  }

  void methods_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addRow("POST /shards") << "POST"_ba << u"/shards"_s << 405 << u"method_not_allowed"_s;
    QTest::addRow("DELETE a shard's range") << "DELETE"_ba << u"/shards/1/range"_s << 405 << u"method_not_allowed"_s;
    QTest::addRow("PUT a shard's record") << "PUT"_ba << u"/shards/1/records/0"_s << 405 << u"method_not_allowed"_s;
    QTest::addRow("PATCH a shard's batch")
        << "PATCH"_ba << u"/shards/1/records?from=0"_s << 405 << u"method_not_allowed"_s;
    QTest::addRow("POST a key") << "POST"_ba << u"/keys/a"_s << 405 << u"method_not_allowed"_s;
    QTest::addRow("GET below a shard") << "GET"_ba << u"/shards/1/nope"_s << 404 << u"not_found"_s;
    QTest::addRow("POST below a shard") << "POST"_ba << u"/shards/1/nope"_s << 404 << u"not_found"_s;
  }
  void methods() {
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, error);
    ShardedFixture f;
    QVERIFY(f.sharded);
    f.main.server.setShards(f.sharded, u"fnv"_s, QString());
    QVERIFY(f.main.listen());
    const RawResult result = send(f.main.http(path), method);
    QCOMPARE(result.status, status);
    QCOMPARE(result.allow, status == 405 ? "GET"_ba : QByteArray());
    QCOMPARE(QJsonDocument::fromJson(result.body).object().value(u"error"_s).toString(), error);
  }

  // Clients of shards 1 and 0 at the same offsets: each gets exactly its shard's records, in
  // order (one cache serves both: a message is its shard's, not just its offset's).
  void streamFollowsItsShard_data() {
    QTest::addColumn<QString>("from");
    QTest::addRow("from earliest") << u"earliest"_s;
    QTest::addRow("from 0") << u"0"_s;
    QTest::addRow("from latest: only new records") << u"latest"_s;
  }
  void streamFollowsItsShard() {
    QFETCH(QString, from);
    ShardedFixture f(1000);  // nothing purged
    QVERIFY(f.sharded);
    QVERIFY(writeRecords(*f.sharded, 0, 200));
    f.main.server.setShards(f.sharded, u"fnv"_s, QString());
    QVERIFY(f.main.listen());
    const qint64 before[] = {f.sharded->shard(0).stats().next_offset, f.sharded->shard(1).stats().next_offset};
    StreamClient clients[2];
    for (int shard : {1, 0}) clients[shard].open(f.main.ws(u"/stream?shard=%1&from=%2"_s.arg(shard).arg(from)));
    QTRY_COMPARE_WITH_TIMEOUT(f.main.server.remoteConsumers().size(), 2, kTimeout);
    QVERIFY(writeRecords(*f.sharded, 200, 200));  // written while they stream: the observers wake them

    for (int shard : {1, 0}) {
      const memlog::Log& log = f.sharded->shard(static_cast<std::size_t>(shard));
      const qint64 first = from == u"latest"_s ? before[shard] : 0;
      const qint64 count = log.stats().next_offset - first;
      QVERIFY(count > 0);
      StreamClient& client = clients[shard];
      QTRY_COMPARE_WITH_TIMEOUT(client.offsets.size(), count, kTimeout);
      QVERIFY(isRun(client.offsets, first, count));
      QStringList expected;
      for (qint64 o = first; o < first + count; ++o) expected << text(*log.read(o));
      QCOMPARE(client.payloads, expected);
    }
    QVERIFY(clients[0].payloads.first() != clients[1].payloads.first());
    QTRY_COMPARE_WITH_TIMEOUT(f.main.server.remoteConsumers().value(0).lag, 0, kTimeout);
  }

  void streamBadShardCloses_data() {
    QTest::addColumn<bool>("sharded");
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("reasonEnd");
    QTest::addRow("shard 9 of 4") << true << u"shard=9&from=0"_s << u"'9'; shards are 0 to 3"_s;
    QTest::addRow("shard -1") << true << u"shard=-1&from=0"_s << u"'-1'; shards are 0 to 3"_s;
    QTest::addRow("shard x") << true << u"shard=x&from=earliest"_s << u"'x'; shards are 0 to 3"_s;
    QTest::addRow("empty shard") << true << u"shard=&from=0"_s << u"''; shards are 0 to 3"_s;
    QTest::addRow("a long shard, quoted short")
        << true << u"shard="_s + QString(300, u'5') + u"&from=0"_s << u"5…'; shards are 0 to 3"_s;
    QTest::addRow("a good shard, a bad from") << true << u"shard=1&from=soon"_s << u"not 'soon'"_s;
    QTest::addRow("not sharded") << false << u"shard=0&from=0"_s << u"not sharded: no shard '0'"_s;
  }
  void streamBadShardCloses() {
    QFETCH(bool, sharded);
    QFETCH(QString, query);
    QFETCH(QString, reasonEnd);
    ShardedFixture f;
    QVERIFY(f.sharded);
    if (sharded) f.main.server.setShards(f.sharded, u"fnv"_s, QString());
    QVERIFY(f.main.listen());
    StreamClient client;
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    client.open(f.main.ws(u"/stream?"_s + query));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kTimeout);
    QCOMPARE(int(client.socket.closeCode()), LogServer::kCloseBadRequest);
    const QString reason = client.socket.closeReason();
    QVERIFY2(reason.endsWith(reasonEnd), qPrintable(reason));
    QVERIFY2(reason.toUtf8().size() <= 123, qPrintable(reason));
  }

  // A new sharded log closes the old one's stream clients (they reconnect to the new shards);
  // the adapter's clients go on.
  void replacingShardsClosesTheirClients() {
    ShardedFixture f(1000);
    QVERIFY(f.sharded);
    QVERIFY(writeRecords(*f.sharded, 0, 40));
    f.main.server.setShards(f.sharded, u"fnv"_s, QString());
    QVERIFY(f.main.listen());
    StreamClient shardClient, mainClient;
    QSignalSpy closed(&shardClient.socket, &QWebSocket::disconnected);
    shardClient.open(f.main.ws(u"/stream?shard=2&from=0"_s));
    mainClient.open(f.main.ws(u"/stream?from=0"_s));
    QTRY_COMPARE_WITH_TIMEOUT(shardClient.offsets.size(), f.sharded->shard(2).stats().next_offset, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(mainClient.offsets.size(), 7, kTimeout);

    f.main.server.setShards(f.sharded, u"fnv"_s, u"user"_s);  // the same log: its clients stay
    f.main.server.setShards(makeSharded(1000), u"fnv"_s, QString());
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, kTimeout);
    QCOMPARE(int(shardClient.socket.closeCode()), LogServer::kCloseLogReplaced);
    QCOMPARE(shardClient.socket.closeReason(), u"log replaced"_s);
    QTRY_COMPARE_WITH_TIMEOUT(f.main.server.remoteConsumers().size(), 1, kTimeout);
    QCOMPARE(mainClient.socket.state(), QAbstractSocket::ConnectedState);
    QVERIFY(f.main.adapter.log()->write("main 7").has_value());
    QTRY_COMPARE_WITH_TIMEOUT(mainClient.offsets.size(), 8, kTimeout);
  }
};

QTEST_GUILESS_MAIN(TestLogServerShards)
#include "tst_log_server_shards.moc"
