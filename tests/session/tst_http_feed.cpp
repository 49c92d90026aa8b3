// SPDX-License-Identifier: MIT
// HttpFeed against real HTTP servers on loopback (QHttpServer playing a legacy REST API, and
// another monitor's LogServer): every element written once and in order — growing lists, ids,
// the {cursor} placeholder — and the bad cases: nothing listening (reported, retried with
// back-off, then connected), HTTP errors, malformed JSON, a server that never answers.
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <chrono>

#include "adapter/log_adapter.hpp"
#include "feeds/http_feed.hpp"
#include "server/log_server.hpp"

#include "support/log_text.hpp"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using memlog::WorkerState;

namespace {
constexpr int kTimeout = 20000;

std::shared_ptr<memlog::Log> make_log(std::size_t segment = 100000) {
  return *memlog::Log::create({.start_offset = 0, .segment_size = segment});
}

// A loopback port nothing listens on (0 if none could be found): bound, then released.
quint16 freePort() {
  QTcpServer probe;
  return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

// A legacy API: GET /items returns whatever `respond` makes of the request.
struct LegacyApi {
  std::function<QHttpServerResponse(const QHttpServerRequest&)> respond;
  QStringList queries;  // the query string of every request, in order
  QHttpServer http;
  quint16 port = 0;

  bool listen(quint16 wanted = 0) {
    http.route(u"/items"_s, [this](const QHttpServerRequest& request) {
      queries << request.query().toString();
      return respond(request);
    });
    port = http.listen(QHostAddress::LocalHost, wanted);
    return port != 0;
  }
  QString url(const QString& query = QString()) const { return u"http://127.0.0.1:%1/items%2"_s.arg(port).arg(query); }
};

// Waits until the server has had `more` requests after the `seen` so far. The feed asks again
// only once it has taken the last answer, so `more` - 1 more answers are in the log by then.
bool waitForPolls(const LegacyApi& api, qsizetype seen, qsizetype more) {
  return QTest::qWaitFor([&] { return api.queries.size() >= seen + more; }, kTimeout);
}

QJsonArray items(std::initializer_list<std::pair<int, const char*>> entries) {
  QJsonArray out;
  for (const auto& [id, text] : entries) out.append(QJsonObject{{u"id"_s, id}, {u"text"_s, QString::fromUtf8(text)}});
  return out;
}
}  // namespace

class TestHttpFeed : public QObject {
  Q_OBJECT

 private slots:
  void growingListWithoutIds() {
    QJsonArray list{u"alpha"_s, u"beta"_s};
    LegacyApi api;
    api.respond = [&](const QHttpServerRequest&) { return QHttpServerResponse(list); };
    QVERIFY(api.listen());
    auto log = make_log();
    HttpFeed feed(api.url(), log, 50ms);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{u"alpha"_s, u"beta"_s}), kTimeout);
    list.append(u"gamma"_s);
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), (QStringList{u"alpha"_s, u"beta"_s, u"gamma"_s}), kTimeout);
    QVERIFY(waitForPolls(api, api.queries.size(), 4));  // three more answers of the same list:
    QCOMPARE(log->stats().next_offset, 3);              // nothing written twice
    QCOMPARE(feed.status().state, WorkerState::running);

    list = QJsonArray{u"after reset"_s};  // the server started over
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 4, kTimeout);
    QCOMPARE(logText(*log).last(), u"after reset"_s);
    QVERIFY2(QString::fromStdString(feed.status().last_problem).contains(u"shrank from 3 to 1"_s),
             feed.status().last_problem.c_str());
  }

  void elementsWithIdsAreWrittenOnce() {
    // A sliding window of the newest items, overlapping between polls.
    QJsonArray window = items({{1, "one"}, {2, "two"}});
    LegacyApi api;
    api.respond = [&](const QHttpServerRequest&) { return QHttpServerResponse(QJsonObject{{u"items"_s, window}}); };
    QVERIFY(api.listen());
    auto log = make_log();
    HttpFeed feed(api.url(), log, 50ms);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 2, kTimeout);
    window = items({{2, "two"}, {3, "three"}, {4, "four"}});
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 4, kTimeout);
    QVERIFY(waitForPolls(api, api.queries.size(), 4));  // three more answers of the same window
    const QStringList got = logText(*log);
    QCOMPARE(got.size(), 4);
    for (int i = 0; i < 4; ++i)
      QCOMPARE(QJsonDocument::fromJson(got[i].toUtf8()).object().value(u"id"_s).toInt(), i + 1);
    QCOMPARE(QString::fromStdString(feed.status().position), u"cursor 4"_s);
  }

  void cursorInTheUrlAsksForWhatIsNew() {
    int total = 0;  // the legacy API has items 1..total; ?after=N returns those after N
    LegacyApi api;
    api.respond = [&](const QHttpServerRequest& request) {
      const int after = QUrlQuery(request.url()).queryItemValue(u"after"_s).toInt();
      QJsonArray out;
      for (int id = after + 1; id <= total; ++id) out.append(QJsonObject{{u"id"_s, id}});
      return QHttpServerResponse(out);
    };
    QVERIFY(api.listen());
    auto log = make_log();
    HttpFeed feed(api.url(u"?after={cursor:0}"_s), log, 50ms);
    QCOMPARE(feed.url(), api.url(u"?after=0"_s));
    total = 3;
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 3, kTimeout);
    total = 5;
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 5, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(api.queries.contains(u"after=5"_s), kTimeout);
    QCOMPARE(api.queries.first(), u"after=0"_s);
    QVERIFY(api.queries.contains(u"after=3"_s));
  }

  void anotherMonitorsRecords() {
    // memlog-monitor reading another one's /records: the same payloads, in order.
    LogAdapter upstream(make_log(10));
    LogServer server(&upstream);
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, 0, &error), qPrintable(error));
    QStringList expected;
    for (int i = 0; i < 25; ++i) {  // segment 10: offsets 0..9 are purged by now
      const QByteArray text = "upstream " + QByteArray::number(i);
      QVERIFY(upstream.log()->write(std::string_view(text.constData(), text.size())).has_value());
      if (i >= 10) expected << QString::fromUtf8(text);
    }
    auto log = make_log();
    HttpFeed feed(u"http://127.0.0.1:%1/records?from={cursor:earliest}&max=7"_s.arg(server.httpPort()), log, 50ms);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), expected, kTimeout);
    for (int i = 25; i < 30; ++i) {
      const QByteArray text = "upstream " + QByteArray::number(i);
      QVERIFY(upstream.log()->write(std::string_view(text.constData(), text.size())).has_value());
      expected << QString::fromUtf8(text);
    }
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), expected, kTimeout);
  }

  void nothingListeningIsRetriedUntilItIs() {
    const quint16 port = freePort();
    QVERIFY(port != 0);
    auto log = make_log();
    HttpFeed feed(u"http://127.0.0.1:%1/items"_s.arg(port), log, 50ms);
    feed.set_backoff(50ms, 200ms);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().failures >= 2, kTimeout);
    const QString problem = QString::fromStdString(feed.status().last_problem);
    QVERIFY2(problem.contains(u"Connection refused"_s) && problem.contains(u"retrying in"_s), qPrintable(problem));
    QCOMPARE(log->stats().next_offset, 0);

    LegacyApi api;
    api.respond = [](const QHttpServerRequest&) { return QHttpServerResponse(QJsonArray{u"finally"_s}); };
    QVERIFY(api.listen(port));
    QTRY_COMPARE_WITH_TIMEOUT(logText(*log), QStringList{u"finally"_s}, kTimeout);
    QCOMPARE(feed.status().state, WorkerState::running);
  }

  void badResponses_data() {
    QTest::addColumn<QByteArray>("mime");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");
    QTest::newRow("server error") << QByteArray("text/plain") << QByteArray("database down") << 500
                                  << u"HTTP 500 database down"_s;
    QTest::newRow("not found") << QByteArray("text/plain") << QByteArray("no such API") << 404 << u"HTTP 404"_s;
    QTest::newRow("malformed JSON") << QByteArray("application/json") << QByteArray("[1, 2,") << 200
                                    << u"the response is not JSON"_s;
    QTest::newRow("HTML") << QByteArray("text/html") << QByteArray("<html>login</html>") << 200
                          << u"the response is not JSON"_s;
    QTest::newRow("object without a list") << QByteArray("application/json") << QByteArray(R"({"count": 3})") << 200
                                           << u"neither a JSON array nor an object with"_s;
  }
  void badResponses() {
    QFETCH(QByteArray, mime);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    LegacyApi api;
    api.respond = [&](const QHttpServerRequest&) {
      return QHttpServerResponse(mime, body, static_cast<QHttpServerResponse::StatusCode>(status));
    };
    QVERIFY(api.listen());
    auto log = make_log();
    QVERIFY(log->write("already there").has_value());
    HttpFeed feed(api.url(), log, 50ms);
    feed.set_backoff(50ms, 100ms);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().failures >= 2, kTimeout);
    const QString problem = QString::fromStdString(feed.status().last_problem);
    QVERIFY2(problem.contains(message), qPrintable(problem));
    QCOMPARE(logText(*log), QStringList{u"already there"_s});  // the log is unaffected
  }

  void stopIsPromptWhileARequestHangs() {
    QTcpServer silent;  // accepts connections, never answers
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket*> held;
    connect(&silent, &QTcpServer::newConnection, this, [&] { held << silent.nextPendingConnection(); });
    auto log = make_log();
    HttpFeed feed(u"http://127.0.0.1:%1/items"_s.arg(silent.serverPort()), log, 50ms);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(!held.isEmpty(), kTimeout);
    const auto before = std::chrono::steady_clock::now();
    feed.stop();
    QVERIFY(std::chrono::steady_clock::now() - before < 1s);
    QCOMPARE(feed.status().state, WorkerState::stopped);
  }

  void slowServerTimesOut() {
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QList<QTcpSocket*> held;
    connect(&silent, &QTcpServer::newConnection, this, [&] { held << silent.nextPendingConnection(); });
    auto log = make_log();
    HttpFeed feed(u"http://127.0.0.1:%1/items"_s.arg(silent.serverPort()), log, 50ms);
    feed.setRequestTimeout(200ms);
    feed.set_backoff(50ms, 100ms);
    feed.start();
    QTRY_VERIFY_WITH_TIMEOUT(feed.status().failures >= 1, kTimeout);
    QVERIFY2(QString::fromStdString(feed.status().last_problem).contains(u"GET http://127.0.0.1"_s),
             feed.status().last_problem.c_str());
  }

  void base64PayloadsAreDecoded() {
    LegacyApi api;
    api.respond = [](const QHttpServerRequest&) {
      return QHttpServerResponse(QJsonObject{
          {u"records"_s,
           QJsonArray{QJsonObject{{u"offset"_s, 7},
                                  {u"encoding"_s, u"base64"_s},
                                  {u"payload"_s, QString::fromLatin1(QByteArray("\x01\x02\xff", 3).toBase64())}}}}});
    };
    QVERIFY(api.listen());
    auto log = make_log();
    HttpFeed feed(api.url(), log, 50ms);
    feed.start();
    QTRY_COMPARE_WITH_TIMEOUT(log->stats().next_offset, 1, kTimeout);
    QCOMPARE(log->read(0)->text(), std::string_view("\x01\x02\xff", 3));
  }
};

QTEST_GUILESS_MAIN(TestHttpFeed)
#include "tst_http_feed.moc"
