// SPDX-License-Identifier: MIT
// The bridge example's test, run by ctest as example_bridge. Three processes, all on 127.0.0.1:
//   python3 -m http.server   serves feed.json, a static file this test rewrites as the "legacy
//                            endpoint" grows;
//   bridge                   examples/bridge, built against the installed package, polls it;
//   this test                the WebSocket clients: checks that every record arrives, once, in
//                            order, from the offset each client asks for.
// Both servers take a free port (0) and print it; this test reads it from their output.
// Environment: MEMLOG_EXAMPLE_BRIDGE (the bridge executable), MEMLOG_PYTHON3.
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <functional>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>

#include <csignal>
#endif

using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeoutMs = 15000;

// A WebSocket client that keeps what it receives.
struct Client {
  QWebSocket socket;
  QList<QJsonObject> messages;  // {"offset":N,"record":{...}}
  bool closed = false;

  explicit Client(const QUrl& url) {
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                     [this](const QString& text) { messages.append(QJsonDocument::fromJson(text.toUtf8()).object()); });
    QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] { closed = true; });
    socket.open(url);
  }
  // The offsets received, and the ids of their records.
  QList<qint64> offsets() const {
    QList<qint64> result;
    for (const QJsonObject& message : messages) result.append(message[u"offset"].toInteger(-1));
    return result;
  }
  QList<qint64> ids() const {
    QList<qint64> result;
    for (const QJsonObject& message : messages) result.append(message[u"record"][u"id"].toInteger(-1));
    return result;
  }
};

QList<qint64> range(qint64 first, qint64 last) {
  QList<qint64> result;
  for (qint64 i = first; i <= last; ++i) result.append(i);
  return result;
}

}  // namespace

class TestExampleBridge : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QProcess http_;
  QProcess bridge_;
  QByteArray bridge_output_;
  QUrl ws_;

  // Starts `process`, which ends with this test even if ctest kills it (a timeout, a crash).
  static void start(QProcess& process, const QString& program, const QStringList& arguments) {
#ifdef Q_OS_LINUX
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    process.start(program, arguments);
  }

  // The legacy endpoint's answer: objects with ids 1..count (records 0..count-1 of the log).
  void writeFeed(int count) {
    QJsonArray feed;
    for (int id = 1; id <= count; ++id)
      feed.append(
          QJsonObject{{u"id"_s, id}, {u"sensor"_s, QStringLiteral("s-%1").arg(id % 3)}, {u"value"_s, id * 1.5}});
    QSaveFile file(dir_.filePath(u"feed.json"_s));  // replaced at once: never read half-written
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(feed).toJson());
    QVERIFY(file.commit());
  }

  // Waits for `pattern` in what `read` returns (accumulated) and returns its first capture.
  static QString waitForOutput(QProcess& process, const std::function<QByteArray()>& read, QByteArray& seen,
                               const QRegularExpression& pattern) {
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
          seen += read();
          match = pattern.match(QString::fromUtf8(seen));
          return match.hasMatch() || process.state() == QProcess::NotRunning;
        },
        kTimeoutMs);
    return match.captured(1);
  }

  // The endpoint's answers so far: one line per GET in http.server's request log.
  int requestsServed() const {
    QFile log(dir_.filePath(u"requests.log"_s));
    if (!log.open(QIODevice::ReadOnly)) return 0;
    return static_cast<int>(log.readAll().count("\"GET /feed.json"));
  }

 private slots:
  void initTestCase() {
    const QString bridge = qEnvironmentVariable("MEMLOG_EXAMPLE_BRIDGE");
    const QString python = qEnvironmentVariable("MEMLOG_PYTHON3");
    QVERIFY2(QFileInfo(bridge).isExecutable(), qPrintable(u"MEMLOG_EXAMPLE_BRIDGE: "_s + bridge));
    QVERIFY2(!python.isEmpty(), "MEMLOG_PYTHON3 is not set");
    QVERIFY(dir_.isValid());
    writeFeed(3);

    // The legacy endpoint: a static file over HTTP, on a free loopback port.
    http_.setStandardErrorFile(dir_.filePath(u"requests.log"_s));  // its request log: counted
    start(http_, python,
          {u"-u"_s, u"-m"_s, u"http.server"_s, u"0"_s, u"--bind"_s, u"127.0.0.1"_s, u"--directory"_s, dir_.path()});
    QByteArray http_output;
    const QString http_port = waitForOutput(
        http_, [this] { return http_.readAllStandardOutput(); }, http_output, QRegularExpression(u"port (\\d+)"_s));
    QVERIFY2(!http_port.isEmpty(), http_output.constData());

    // The bridge, polling it every 100 ms, on a free port.
    const QString feed = u"http://127.0.0.1:"_s + http_port + u"/feed.json"_s;
    bridge_.setProcessChannelMode(QProcess::MergedChannels);
    start(bridge_, bridge, {u"--poll"_s, feed, u"--port"_s, u"0"_s, u"--interval-ms"_s, u"100"_s});
    const QString ws_port = waitForOutput(
        bridge_, [this] { return bridge_.readAll(); }, bridge_output_,
        QRegularExpression(u"serving ws://127\\.0\\.0\\.1:(\\d+)"_s));
    QVERIFY2(!ws_port.isEmpty(), bridge_output_.constData());
    ws_ = QUrl(u"ws://127.0.0.1:"_s + ws_port + u"/"_s);
  }

  void cleanupTestCase() {
    for (QProcess* process : {&bridge_, &http_}) {
      if (process->state() == QProcess::NotRunning) continue;
      process->terminate();
      if (!process->waitForFinished(5000)) {
        process->kill();
        process->waitForFinished(5000);
      }
    }
    bridge_output_ += bridge_.readAll();
    qInfo().noquote() << "bridge output:\n" << QString::fromUtf8(bridge_output_).trimmed();
  }

  // A client from the earliest record gets every record, in order, and each once, as the
  // endpoint grows.
  void recordsArriveInOrder() {
    Client client(QUrl(ws_.toString() + u"?from=earliest"_s));
    QTRY_COMPARE_WITH_TIMEOUT(client.messages.size(), 3, kTimeoutMs);
    QCOMPARE(client.offsets(), range(0, 2));
    QCOMPARE(client.ids(), range(1, 3));
    QCOMPARE(client.messages[1][u"record"][u"sensor"].toString(), u"s-2"_s);

    writeFeed(6);  // three new objects
    QTRY_COMPARE_WITH_TIMEOUT(client.messages.size(), 6, kTimeoutMs);
    // Five more polls of the same answer (counted in the endpoint's request log): nothing is
    // sent twice.
    const int polled = requestsServed();
    QTRY_VERIFY_WITH_TIMEOUT(requestsServed() >= polled + 5, kTimeoutMs);
    QCOMPARE(client.offsets(), range(0, 5));
    QCOMPARE(client.ids(), range(1, 6));
    QVERIFY(!client.closed);
  }

  // A client resuming from an offset (its checkpoint) gets the records from there on, then the
  // new ones, like a client that has been there all along.
  void clientResumesFromOffset() {
    Client all(QUrl(ws_.toString() + u"?from=0"_s));
    Client resumed(QUrl(ws_.toString() + u"?from=4"_s));
    QTRY_COMPARE_WITH_TIMEOUT(resumed.messages.size(), 2, kTimeoutMs);
    QCOMPARE(resumed.offsets(), range(4, 5));
    QCOMPARE(resumed.ids(), range(5, 6));

    writeFeed(8);
    QTRY_COMPARE_WITH_TIMEOUT(resumed.messages.size(), 4, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(all.messages.size(), 8, kTimeoutMs);
    QCOMPARE(resumed.offsets(), range(4, 7));
    QCOMPARE(resumed.ids(), range(5, 8));
    QCOMPARE(all.offsets(), range(0, 7));
    QCOMPARE(all.ids(), range(1, 8));
  }

  // An offset the log does not hold (purged, or here negative) closes the client with code
  // 4000 and the earliest offset, so it can resume from there.
  void clientOutOfRangeIsClosed() {
    Client client(QUrl(ws_.toString() + u"?from=-1"_s));
    QTRY_VERIFY_WITH_TIMEOUT(client.closed, kTimeoutMs);
    QCOMPARE(int(client.socket.closeCode()), 4000);
    QCOMPARE(client.socket.closeReason(), u"earliest 0"_s);
    QVERIFY(client.messages.isEmpty());
  }

  // The bridge is still running: none of this made it fail.
  void bridgeStillRunning() { QCOMPARE(bridge_.state(), QProcess::Running); }
};

QTEST_GUILESS_MAIN(TestExampleBridge)
#include "tst_example_bridge.moc"
