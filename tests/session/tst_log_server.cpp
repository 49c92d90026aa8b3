// SPDX-License-Identifier: MIT
// LogServer with real clients on loopback: every HTTP route and error status, WebSocket
// streams that deliver every offset exactly once and in order (from an offset, earliest,
// latest, under backpressure, after a reconnect from a checkpoint), the close codes for a
// purged position and a replaced log, and curl as an outside client.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

#include <memory>

#include "adapter/log_adapter.hpp"
#include "served_log_support.hpp"
#include "server/log_server.hpp"

using namespace Qt::StringLiterals;

namespace {

using namespace served_log;

// A log with small segments, so purges are easy to provoke, served on loopback.
struct Fixture {
  explicit Fixture(std::size_t segmentSize = 10)
      : adapter(*memlog::Log::create({.segment_size = segmentSize})), server(&adapter) {}
  bool listen() {
    QString error;
    const bool ok = server.listen(QHostAddress::LocalHost, 0, 0, &error);
    if (!ok) qWarning() << error;
    return ok;
  }
  void write(int count, const QString& prefix = u"record "_s) {
    const auto log = adapter.log();
    for (int i = 0; i < count; ++i) {
      const QByteArray text = (prefix + QString::number(log->stats().next_offset)).toUtf8();
      QVERIFY(log->write(std::string_view(text.constData(), static_cast<std::size_t>(text.size()))).has_value());
    }
  }
  QUrl http(const QString& pathAndQuery) const { return httpUrl(server.httpPort(), pathAndQuery); }
  QUrl ws(const QString& pathAndQuery) const { return wsUrl(server.webSocketPort(), pathAndQuery); }
  LogAdapter adapter;
  LogServer server;
};

}  // namespace

class TestLogServer : public QObject {
  Q_OBJECT

 private slots:
  void listenReportsPortsAndErrors() {
    Fixture a;
    QVERIFY(a.listen());
    QVERIFY(a.server.httpPort() != 0);
    QVERIFY(a.server.webSocketPort() != 0);
    QVERIFY(a.server.httpPort() != a.server.webSocketPort());

    // A port already taken: a reason, not a crash, and nothing half-listening.
    Fixture b;
    QString error;
    QVERIFY(!b.server.listen(QHostAddress::LocalHost, a.server.httpPort(), 0, &error));
    QVERIFY2(error.contains(u"HTTP"_s), qPrintable(error));
    QVERIFY(!b.server.isListening());
    QVERIFY(!b.server.listen(QHostAddress::LocalHost, 0, a.server.webSocketPort(), &error));
    QVERIFY2(error.contains(u"WebSocket"_s), qPrintable(error));
  }

  void httpRoutes_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("expected");
    // The log holds offsets 20..34 (segments of 10; 35 written; two segments retained).
    QTest::addRow("range: earliest") << u"/range"_s << u"earliest"_s << QVariant(20);
    QTest::addRow("range: latest") << u"/range"_s << u"latest"_s << QVariant(34);
    QTest::addRow("range: next") << u"/range"_s << u"next"_s << QVariant(35);
    QTest::addRow("stats: records written") << u"/stats"_s << u"records_written"_s << QVariant(35);
    QTest::addRow("stats: records purged") << u"/stats"_s << u"records_purged"_s << QVariant(20);
    QTest::addRow("stats: segment size") << u"/stats"_s << u"segment_size"_s << QVariant(10);
    QTest::addRow("one record: offset") << u"/records/25"_s << u"offset"_s << QVariant(25);
    QTest::addRow("one record: utf-8 payload") << u"/records/25"_s << u"payload"_s << QVariant(u"record 25"_s);
    QTest::addRow("one record: size") << u"/records/25"_s << u"size"_s << QVariant(9);
    QTest::addRow("batch: next after max") << u"/records?from=20&max=3"_s << u"next"_s << QVariant(23);
    QTest::addRow("batch: max capped by the end") << u"/records?from=30&max=100"_s << u"next"_s << QVariant(35);
    QTest::addRow("batch: default max") << u"/records?from=20"_s << u"next"_s << QVariant(35);
    QTest::addRow("batch: at the end is empty") << u"/records?from=35"_s << u"next"_s << QVariant(35);
  }
  void httpRoutes() {
    QFETCH(QString, path);
    QFETCH(QString, key);
    QFETCH(QVariant, expected);
    Fixture f;
    f.write(35);
    QVERIFY(f.listen());
    const HttpResult result = get(f.http(path));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.body.value(key).toVariant(), expected);
  }

  void httpBatchIsInOrder() {
    Fixture f(1000);
    f.write(500);
    QVERIFY(f.listen());
    const HttpResult result = get(f.http(u"/records?from=100&max=250"_s));
    QCOMPARE(result.status, 200);
    const QJsonArray records = result.body.value(u"records"_s).toArray();
    QCOMPARE(records.size(), 250);
    for (qsizetype i = 0; i < records.size(); ++i) {
      const QJsonObject record = records[i].toObject();
      QCOMPARE(record.value(u"offset"_s).toInteger(), 100 + i);
      QCOMPARE(record.value(u"payload"_s).toString(), u"record %1"_s.arg(100 + i));
      // ISO 8601 UTC with milliseconds: 2024-05-01T12:00:00.123Z
      const QString created = record.value(u"created"_s).toString();
      QVERIFY2(
          QDateTime::fromString(created, Qt::ISODateWithMs).isValid() && created.endsWith(u'Z') && created.size() == 24,
          qPrintable(created));
    }
  }

  void httpPayloadEncoding_data() {
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QString>("text");
    QTest::addRow("ascii") << "hello"_ba << QString() << u"hello"_s;
    QTest::addRow("utf-8 with quotes and controls") << "\"ü\"\n\t\\\x01"_ba << QString() << u"\"ü\"\n\t\\\x01"_s;
    QTest::addRow("invalid utf-8 as base64") << "\xff\xfe\x00\x01"_ba << u"base64"_s << u"//4AAQ=="_s;
    QTest::addRow("truncated utf-8 as base64") << "ab\xc3"_ba << u"base64"_s << u"YWLD"_s;
    QTest::addRow("surrogate as base64") << "\xed\xa0\x80"_ba << u"base64"_s << u"7aCA"_s;
  }
  void httpPayloadEncoding() {
    QFETCH(QByteArray, payload);
    QFETCH(QString, encoding);
    QFETCH(QString, text);
    Fixture f;
    QVERIFY(f.adapter.log()->write(std::string_view(payload.constData(), static_cast<std::size_t>(payload.size()))));
    QVERIFY(f.listen());
    const HttpResult result = get(f.http(u"/records/0"_s));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.body.value(u"encoding"_s).toString(), encoding);
    QCOMPARE(result.body.value(u"payload"_s).toString(), text);
    QCOMPARE(result.body.value(u"size"_s).toInteger(), payload.size());
  }

  void httpErrors_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addRow("future offset") << u"/records/35"_s << 404 << u"future_offset"_s;
    QTest::addRow("purged offset") << u"/records/5"_s << 410 << u"purged"_s;
    QTest::addRow("non-numeric offset") << u"/records/abc"_s << 400 << u"bad_request"_s;
    QTest::addRow("negative offset") << u"/records/-1"_s << 400 << u"bad_request"_s;
    QTest::addRow("batch from the future") << u"/records?from=40"_s << 404 << u"future_offset"_s;
    QTest::addRow("batch from a purged offset") << u"/records?from=0"_s << 410 << u"purged"_s;
    QTest::addRow("batch without from") << u"/records?max=3"_s << 400 << u"bad_request"_s;
    QTest::addRow("batch with a bad from") << u"/records?from=x"_s << 400 << u"bad_request"_s;
    QTest::addRow("batch with max 0") << u"/records?from=20&max=0"_s << 400 << u"bad_request"_s;
    QTest::addRow("batch with a bad max") << u"/records?from=20&max=ten"_s << 400 << u"bad_request"_s;
    QTest::addRow("unknown path") << u"/nope"_s << 404 << u"not_found"_s;
  }
  void httpErrors() {
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, error);
    Fixture f;
    f.write(35);
    QVERIFY(f.listen());
    const HttpResult result = get(f.http(path));
    QCOMPARE(result.status, status);
    QCOMPARE(result.body.value(u"error"_s).toString(), error);
    QVERIFY(!result.body.value(u"message"_s).toString().isEmpty());
    QCOMPARE(result.body.value(u"earliest"_s).toInteger(), 20);
    QCOMPARE(result.body.value(u"next"_s).toInteger(), 35);
  }

  void httpMethods_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");
    QTest::addColumn<QString>("error");  // empty: no body (HEAD)
    QTest::addRow("GET is served") << "GET"_ba << u"/range"_s << 200 << QByteArray() << QString();
    QTest::addRow("POST on /range") << "POST"_ba << u"/range"_s << 405 << "GET"_ba << u"method_not_allowed"_s;
    QTest::addRow("PUT on /stats") << "PUT"_ba << u"/stats"_s << 405 << "GET"_ba << u"method_not_allowed"_s;
    QTest::addRow("DELETE on a record") << "DELETE"_ba << u"/records/25"_s << 405 << "GET"_ba
                                        << u"method_not_allowed"_s;
    QTest::addRow("PATCH on a batch") << "PATCH"_ba << u"/records?from=20"_s << 405 << "GET"_ba
                                      << u"method_not_allowed"_s;
    QTest::addRow("POST on a bad offset")
        << "POST"_ba << u"/records/abc"_s << 405 << "GET"_ba << u"method_not_allowed"_s;
    QTest::addRow("OPTIONS on /range") << "OPTIONS"_ba << u"/range"_s << 405 << "GET"_ba << u"method_not_allowed"_s;
    QTest::addRow("an unknown method") << "BREW"_ba << u"/range"_s << 405 << "GET"_ba << u"method_not_allowed"_s;
    // Qt 6.4 does not answer HEAD from a GET route: not allowed, and without a body.
    QTest::addRow("HEAD on /range") << "HEAD"_ba << u"/range"_s << 405 << "GET"_ba << QString();
    QTest::addRow("POST on an unknown path") << "POST"_ba << u"/nope"_s << 404 << QByteArray() << u"not_found"_s;
    QTest::addRow("POST below a record") << "POST"_ba << u"/records/25/x"_s << 404 << QByteArray() << u"not_found"_s;
    QTest::addRow("HEAD on an unknown path") << "HEAD"_ba << u"/nope"_s << 404 << QByteArray() << QString();
  }
  void httpMethods() {
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    QFETCH(QString, error);
    Fixture f;
    f.write(35);
    QVERIFY(f.listen());
    const RawResult result = send(f.http(path), method);
    QCOMPARE(result.status, status);
    QCOMPARE(result.allow, allow);
    if (status == 200) return;
    if (error.isEmpty()) {
      QVERIFY2(result.body.isEmpty(), result.body.constData());
    } else {
      const QJsonObject body = QJsonDocument::fromJson(result.body).object();
      QCOMPARE(body.value(u"error"_s).toString(), error);
      QCOMPARE(body.value(u"next"_s).toInteger(), 35);
      if (status == 405)
        QVERIFY2(body.value(u"message"_s).toString().contains(QString::fromLatin1(method)) || method == "BREW",
                 result.body.constData());
    }
  }

  // QNetworkAccessManager drops a body sent to HEAD; on a raw socket the next answer must
  // follow the headers at once, or a kept-alive connection would read a stray body.
  void httpHeadHasNoBody_data() {
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addRow("known path") << "/range"_ba
                                << "HTTP/1.1 405 Method Not Allowed"_ba;
    QTest::addRow("unknown path") << "/nope"_ba
                                  << "HTTP/1.1 404 Not Found"_ba;
  }
  void httpHeadHasNoBody() {
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, statusLine);
    Fixture f;
    f.write(35);
    QVERIFY(f.listen());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, f.server.httpPort());
    QVERIFY(socket.waitForConnected(kTimeout));
    socket.write("HEAD "_ba + path +
                 " HTTP/1.1\r\nHost: localhost\r\n\r\nGET /range HTTP/1.1\r\nHost: localhost\r\n\r\n"_ba);
    QByteArray answers;
    const auto answered = [&] {
      answers += socket.readAll();
      return answers.endsWith('}');
    };
    QTRY_VERIFY_WITH_TIMEOUT(answered(), kTimeout);
    QVERIFY2(answers.startsWith(QByteArray(statusLine + "\r\n")), answers.constData());
    const qsizetype headEnd = answers.indexOf("\r\n\r\n");
    QVERIFY2(answers.sliced(headEnd + 4).startsWith("HTTP/1.1 200 OK\r\n"), answers.constData());
  }

  void httpErrorsQuoteLittle_data() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    const QString a(20'000, u'a');
    const QString cut = QString(80, u'a') + u'…';  // what a message quotes of `a`
    QTest::addRow("unknown path of 20,000 characters")
        << "GET"_ba << u"/"_s + a << 404 << u"no such resource: /"_s + QString(79, u'a') + u'…';
    QTest::addRow("offset of 20,000 characters")
        << "GET"_ba << u"/records/"_s + a << 400 << u"offset must be a non-negative integer, not '"_s + cut + u'\'';
    QTest::addRow("from of 20,000 characters")
        << "GET"_ba << u"/records?from="_s + a << 400
        << u"'from' must be a non-negative integer, earliest or latest, not '"_s + cut + u'\'';
    QTest::addRow("max of 20,000 characters") << "GET"_ba << u"/records?from=20&max="_s + a << 400
                                              << u"'max' must be a positive integer, not '"_s + cut + u'\'';
    QTest::addRow("method not allowed on 20,000 characters")
        << "POST"_ba << u"/records/"_s + a << 405
        << u"POST is not allowed on /records/"_s + QString(71, u'a') + u"…; use GET"_s;
    QTest::addRow("80 characters are quoted whole")
        << "GET"_ba << u"/records/"_s + QString(80, u'b') << 400
        << u"offset must be a non-negative integer, not '"_s + QString(80, u'b') + u'\'';
    // "😀" is a surrogate pair: the cut does not split the 40th.
    QTest::addRow("no half surrogate pair")
        << "GET"_ba << u"/records/x"_s + u"😀"_s.repeated(50) << 400
        << u"offset must be a non-negative integer, not 'x"_s + u"😀"_s.repeated(39) + u"…'"_s;
  }
  void httpErrorsQuoteLittle() {
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, message);
    Fixture f;
    f.write(35);
    QVERIFY(f.listen());
    const RawResult result = send(f.http(path), method);
    QCOMPARE(result.status, status);
    QVERIFY2(result.body.size() < 400, QByteArray::number(result.body.size()).constData());
    QCOMPARE(QJsonDocument::fromJson(result.body).object().value(u"message"_s).toString(), message);
  }

  void httpFollowsLogReplaced() {
    Fixture f;
    f.write(5);
    QVERIFY(f.listen());
    QCOMPARE(get(f.http(u"/range"_s)).body.value(u"next"_s).toInteger(), 5);
    f.adapter.replaceLog(*memlog::Log::create({.start_offset = 1000, .segment_size = 10}));
    const HttpResult result = get(f.http(u"/range"_s));
    QCOMPARE(result.body.value(u"next"_s).toInteger(), 1000);
    QCOMPARE(result.body.value(u"empty"_s).toBool(), true);
  }

  void streamDeliversInOrder_data() {
    QTest::addColumn<QString>("from");
    QTest::addColumn<qint64>("first");
    // 30 written before the client connects, 70 after; segments of 1000, nothing purged.
    QTest::addRow("from 0") << u"0"_s << qint64(0);
    QTest::addRow("from an offset") << u"17"_s << qint64(17);
    QTest::addRow("from earliest") << u"earliest"_s << qint64(0);
    QTest::addRow("from latest: only new records") << u"latest"_s << qint64(30);
    QTest::addRow("from the end") << u"30"_s << qint64(30);
  }
  void streamDeliversInOrder() {
    QFETCH(QString, from);
    QFETCH(qint64, first);
    Fixture f(1000);
    f.write(30);
    QVERIFY(f.listen());
    StreamClient client;
    QSignalSpy connected(&client.socket, &QWebSocket::connected);
    QSignalSpy changed(&f.server, &LogServer::remoteConsumersChanged);
    client.open(f.ws(u"/stream?from="_s + from));
    QVERIFY(connected.wait(kTimeout));
    // The server has the client once it has been told about it.
    QTRY_COMPARE_WITH_TIMEOUT(f.server.remoteConsumers().size(), 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(changed.size() >= 1, kTimeout);
    f.write(70);
    QTRY_COMPARE_WITH_TIMEOUT(client.offsets.size(), 100 - first, kTimeout);
    QVERIFY(isRun(client.offsets, first, 100 - first));
    QCOMPARE(client.payloads.back(), u"record 99"_s);

    QTRY_COMPARE_WITH_TIMEOUT(f.server.remoteConsumers().value(0).position, 100, kTimeout);
    const LogServer::RemoteConsumer consumer = f.server.remoteConsumers().value(0);
    QCOMPARE(consumer.lag, 0);
    QCOMPARE(consumer.peer, u"127.0.0.1:%1"_s.arg(client.socket.localPort()));
    QCOMPARE(consumer.name, QString());  // it did not say (?name=)
  }

  // Sixteen clients at the tail: each batch is encoded once and sent sixteen times, and every
  // client gets every record once, in order.
  void clientsAtOnePositionShareOneEncoding() {
    constexpr int kClients = 16;
    Fixture f(100'000);
    QVERIFY(f.listen());
    std::vector<std::unique_ptr<StreamClient>> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(std::make_unique<StreamClient>());
      clients.back()->open(f.ws(u"/stream?from=latest"_s));
    }
    QTRY_COMPARE_WITH_TIMEOUT(f.server.remoteConsumers().size(), kClients, kTimeout);
    for (int round = 0; round < 20; ++round) {  // the log grows in bursts, as a source writes
      f.write(50);
      QTest::qWait(5);
    }
    for (const auto& c : clients) {
      QTRY_COMPARE_WITH_TIMEOUT(c->offsets.size(), 1000, kTimeout);
      QVERIFY(isRun(c->offsets, 0, 1000));
    }
    const quint64 encodings = f.server.encodings(), sent = f.server.messagesSent();
    QVERIFY2(sent >= encodings * kClients, qPrintable(u"%1 encodings for %2 messages"_s.arg(encodings).arg(sent)));
  }

  // A client that does not read holds its offset and a small window, not a queue: the
  // server hands its socket at most kWindowBytes (plus one message) while others go on.
  void slowClientCostsAnOffset() {
    Fixture f(1'000'000);
    const QString filler(200, u'x');
    f.write(100'000, filler);  // about 25 MiB of JSON: more than the kernel's socket buffers hold
    QVERIFY(f.listen());
    QTcpSocket idle;  // a WebSocket handshake, then never another read
    idle.connectToHost(QHostAddress::LocalHost, f.server.webSocketPort());
    QVERIFY(idle.waitForConnected(kTimeout));
    idle.setReadBufferSize(1);
    idle.write(
        "GET /stream?from=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    QTRY_COMPARE_WITH_TIMEOUT(f.server.remoteConsumers().size(), 1, kTimeout);
    StreamClient reader;
    reader.open(f.ws(u"/stream?from=0"_s));
    QTRY_COMPARE_WITH_TIMEOUT(reader.offsets.size(), 100'000, 60000);  // the reader is not held up
    const auto consumers = f.server.remoteConsumers();
    const auto slow = std::min_element(consumers.begin(), consumers.end(),
                                       [](const auto& a, const auto& b) { return a.position < b.position; });
    // What the idle client was handed: its position times ~200 bytes a record, within the
    // window and the kernel's socket buffers — far from the 25 MiB it has not read.
    QVERIFY2(slow->position < 100'000 / 2, qPrintable(QString::number(slow->position)));
    // And what waits in the server for it is at most the window and one message, not a queue.
    QVERIFY2(slow->inFlight <= LogServer::kWindowBytes + 2 * LogServer::kMessageBytes,
             qPrintable(QString::number(slow->inFlight)));
  }

  void streamUnderBackpressure() {
    // 24 MiB of records for a client that reads only when the event loop runs: the server
    // must stop at its cap and resume on bytesWritten, losing and duplicating nothing.
    constexpr int kRecords = 24'000;
    Fixture f(kRecords);
    const QString filler(1000, u'x');
    f.write(kRecords, filler);
    QVERIFY(f.listen());
    StreamClient client;
    client.open(f.ws(u"/stream?from=0"_s));
    QTRY_COMPARE_WITH_TIMEOUT(client.offsets.size(), kRecords, 60000);
    QVERIFY(isRun(client.offsets, 0, kRecords));
    QVERIFY2(client.messages >= kRecords / static_cast<int>(LogServer::kStreamBatch),
             qPrintable(QString::number(client.messages)));
  }

  void streamClosesWhenPurged_data() {
    QTest::addColumn<QString>("from");
    QTest::addRow("purged offset at connect") << u"3"_s;
    QTest::addRow("offset 0 of a purged log") << u"0"_s;
  }
  void streamClosesWhenPurged() {
    QFETCH(QString, from);
    Fixture f;  // segments of 10
    f.write(35);
    QVERIFY(f.listen());
    StreamClient client;
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    client.open(f.ws(u"/stream?from="_s + from));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kTimeout);
    QCOMPARE(int(client.socket.closeCode()), LogServer::kCloseFellBehind);
    QCOMPARE(client.socket.closeReason(), u"fell behind the purge; earliest 20"_s);
    QVERIFY(client.offsets.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(f.server.remoteConsumers().size(), 0, kTimeout);
  }

  void streamBadRequestCloses_data() {
    QTest::addColumn<QString>("pathAndQuery");
    QTest::addColumn<QString>("reasonEnd");  // a close reason is whole, not cut at 123 bytes
    QTest::addRow("bad from") << u"/stream?from=soon"_s << u"not 'soon'"_s;
    QTest::addRow("missing from") << u"/stream"_s << u"not ''"_s;
    QTest::addRow("unknown path") << u"/other?from=0"_s << u"/other; use /stream?from=O|earliest|latest"_s;
    // A close reason holds 123 bytes: what it quotes of a long or non-ASCII request is cut
    // shorter, so that the reason still says what to do.
    QTest::addRow("unknown path of 2,000 characters")
        << u"/"_s + QString(2'000, u'p') + u"?from=0"_s << u"pppp…; use /stream?from=O|earliest|latest"_s;
    QTest::addRow("from of 2,000 characters") << u"/stream?from="_s + QString(2'000, u'f') << u"ffff…'"_s;
    QTest::addRow("from of 200 non-ASCII characters") << u"/stream?from="_s + QString(200, u'€') << u"€€€€…'"_s;
  }
  void streamBadRequestCloses() {
    QFETCH(QString, pathAndQuery);
    QFETCH(QString, reasonEnd);
    Fixture f;
    QVERIFY(f.listen());
    StreamClient client;
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    client.open(f.ws(pathAndQuery));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kTimeout);
    QCOMPARE(int(client.socket.closeCode()), LogServer::kCloseBadRequest);
    const QString reason = client.socket.closeReason();
    QVERIFY2(reason.endsWith(reasonEnd), qPrintable(reason));
    QVERIFY2(reason.toUtf8().size() <= 123, qPrintable(reason));
  }

  void reconnectFromCheckpoint() {
    Fixture f(1000);
    f.write(40);
    QVERIFY(f.listen());
    QList<qint64> all;
    {
      StreamClient first;
      first.open(f.ws(u"/stream?from=0"_s));
      QTRY_COMPARE_WITH_TIMEOUT(first.offsets.size(), 40, kTimeout);
      all = first.offsets;
      first.socket.close();
    }
    f.write(60);  // written while no client is connected
    const qint64 checkpoint = all.back() + 1;
    StreamClient second;
    second.open(f.ws(u"/stream?from=%1"_s.arg(checkpoint)));
    QTRY_COMPARE_WITH_TIMEOUT(second.offsets.size(), 60, kTimeout);
    all += second.offsets;
    QVERIFY(isRun(all, 0, 100));
  }

  void purgeWhileConnectedThenReconnect() {
    // A client that is reading keeps up; one that stopped (closed) and comes back after a
    // purge is told where the log now starts, and resumes from there.
    Fixture f;
    QVERIFY(f.listen());
    StreamClient live;
    live.open(f.ws(u"/stream?from=0"_s));
    QTRY_COMPARE_WITH_TIMEOUT(f.server.remoteConsumers().size(), 1, kTimeout);
    f.write(5);
    QTRY_COMPARE_WITH_TIMEOUT(live.offsets.size(), 5, kTimeout);
    f.write(40);  // purges 0..19 and more
    StreamClient late;
    QSignalSpy closed(&late.socket, &QWebSocket::disconnected);
    late.open(f.ws(u"/stream?from=5"_s));
    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, kTimeout);
    QCOMPARE(int(late.socket.closeCode()), LogServer::kCloseFellBehind);
    const QString reason = late.socket.closeReason();
    const qint64 earliest = reason.section(u' ', -1).toLongLong();
    QCOMPARE(earliest, f.adapter.log()->range().earliest);

    StreamClient resumed;
    resumed.open(f.ws(u"/stream?from=%1"_s.arg(earliest)));
    QTRY_COMPARE_WITH_TIMEOUT(resumed.offsets.size(), 45 - earliest, kTimeout);
    QVERIFY(isRun(resumed.offsets, earliest, 45 - earliest));
  }

  void logReplacedClosesClients() {
    Fixture f;
    f.write(3);
    QVERIFY(f.listen());
    StreamClient client;
    QSignalSpy disconnected(&client.socket, &QWebSocket::disconnected);
    client.open(f.ws(u"/stream?from=0"_s));
    QTRY_COMPARE_WITH_TIMEOUT(client.offsets.size(), 3, kTimeout);
    f.adapter.replaceLog(*memlog::Log::create({.segment_size = 10}));
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, kTimeout);
    QCOMPARE(int(client.socket.closeCode()), LogServer::kCloseLogReplaced);
    QCOMPARE(client.socket.closeReason(), u"log replaced"_s);
  }

  void curlFetchesRange() {
    const QString curl = QStandardPaths::findExecutable(u"curl"_s);
    if (curl.isEmpty()) QSKIP("curl is not installed");
    Fixture f;
    f.write(35);
    QVERIFY(f.listen());
    QProcess process;
    process.start(curl, {u"--silent"_s, u"--show-error"_s, u"--max-time"_s, u"15"_s, f.http(u"/range"_s).toString()});
    // curl runs in its own process: keep serving while it waits.
    QTRY_VERIFY_WITH_TIMEOUT(process.state() == QProcess::NotRunning, kTimeout);
    QCOMPARE(process.exitCode(), 0);
    const QJsonObject range = QJsonDocument::fromJson(process.readAllStandardOutput()).object();
    QCOMPARE(range.value(u"earliest"_s).toInteger(), 20);
    QCOMPARE(range.value(u"latest"_s).toInteger(), 34);
    QCOMPARE(range.value(u"next"_s).toInteger(), 35);
  }
};

QTEST_GUILESS_MAIN(TestLogServer)
#include "tst_log_server.moc"
