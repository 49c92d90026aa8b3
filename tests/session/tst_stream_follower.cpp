// SPDX-License-Identifier: MIT
// StreamFollower against a real LogServer on loopback: it follows from earliest or latest, goes
// away and comes back from its next offset with neither a gap nor a duplicate, and — away
// longer than the retention — counts exactly the records the purge took and follows again
// from the earliest.
#include <QSignalSpy>
#include <QTest>

#include "adapter/log_adapter.hpp"
#include "server/log_server.hpp"
#include "server/stream_follower.hpp"

using namespace Qt::StringLiterals;

namespace {

constexpr int kWaitMs = 10'000;  // generous: a busy CI machine

struct Fixture {
  explicit Fixture(std::size_t segmentSize) : adapter(*memlog::Log::create({.segment_size = segmentSize})) {}
  bool listen() { return server.listen(QHostAddress::LocalHost, 0, 0); }
  void write(int count) {
    const auto log = adapter.log();
    for (int i = 0; i < count; ++i) QVERIFY(log->write("record").has_value());
  }
  memlog::Offset next() const { return adapter.log()->stats().next_offset; }
  LogAdapter adapter;
  LogServer server{&adapter};
};

}  // namespace

class TestStreamFollower : public QObject {
  Q_OBJECT

 private slots:
  void followsFromEarliest() {
    Fixture f(100);
    QVERIFY(f.listen());
    f.write(30);
    StreamFollower client(u"web"_s);
    QCOMPARE(client.state(), StreamFollower::State::disconnected);
    client.follow(QHostAddress::LocalHost, f.server.webSocketPort(), u"earliest"_s);
    QCOMPARE(client.state(), StreamFollower::State::connecting);
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{30}, kWaitMs);
    QCOMPARE(client.state(), StreamFollower::State::following);
    f.write(5);  // and what is written from then on
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{35}, kWaitMs);
    QCOMPARE(client.received(), qint64{35});
    QCOMPARE(client.gaps(), qint64{0});
    QCOMPARE(client.duplicates(), qint64{0});
    QCOMPARE(client.lost(), qint64{0});
    QCOMPARE(client.connections(), 1);
  }

  // The server lists it by the name it was given (?name=), whatever characters that has.
  void serverListsItByName_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("listed");
    QTest::addRow("plain") << u"web"_s << u"web"_s;
    QTest::addRow("a query's delimiters") << u"a&b=c+d #1 100%"_s << u"a&b=c+d #1 100%"_s;
    QTest::addRow("not printable, spaces") << u"  two\nlines  "_s << u"two lines"_s;
    QTest::addRow("too long: cut") << QString(60, u'x') << QString(39, u'x') + u'…';
  }
  void serverListsItByName() {
    QFETCH(QString, name);
    QFETCH(QString, listed);
    Fixture f(100);
    QVERIFY(f.listen());
    StreamFollower client(name);
    client.follow(QHostAddress::LocalHost, f.server.webSocketPort(), u"earliest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(f.server.remoteConsumers().size(), 1, kWaitMs);
    QCOMPARE(f.server.remoteConsumers().value(0).name, listed);
  }

  void followsFromLatest() {
    Fixture f(100);
    QVERIFY(f.listen());
    f.write(30);
    StreamFollower client(u"web"_s);
    client.follow(QHostAddress::LocalHost, f.server.webSocketPort(), u"latest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), StreamFollower::State::following, kWaitMs);
    f.write(4);
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{34}, kWaitMs);
    QCOMPARE(client.received(), qint64{4});  // none of the 30 before it came
  }

  // Away within the retention: back from its offset, it gets exactly what it missed.
  void reconnectsFromItsOffset() {
    Fixture f(100);
    QVERIFY(f.listen());
    f.write(20);
    StreamFollower client(u"web"_s);
    client.follow(QHostAddress::LocalHost, f.server.webSocketPort(), u"earliest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{20}, kWaitMs);
    client.disconnectNow();
    QCOMPARE(client.state(), StreamFollower::State::disconnected);
    f.write(50);  // missed
    QTest::qWait(100);
    QCOMPARE(client.received(), qint64{20});  // away: nothing comes
    QCOMPARE(client.next(), qint64{20});
    client.reconnect();
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{70}, kWaitMs);
    QCOMPARE(client.received(), qint64{70});
    QCOMPARE(client.gaps(), qint64{0});
    QCOMPARE(client.duplicates(), qint64{0});
    QCOMPARE(client.lost(), qint64{0});
    QCOMPARE(client.connections(), 2);
    client.reconnect();  // already following: nothing happens
    QCOMPARE(client.connections(), 2);
  }

  // Away longer than the retention: told 4000 "fell behind the purge; earliest E", it counts
  // E − its offset as lost and follows again from E.
  void fellBehindCountsWhatWasLost() {
    Fixture f(10);
    QVERIFY(f.listen());
    f.write(5);
    StreamFollower client(u"web"_s);
    client.follow(QHostAddress::LocalHost, f.server.webSocketPort(), u"earliest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{5}, kWaitMs);
    client.disconnectNow();
    f.write(60);  // offsets 5..64; segments of 10 keep 50..64
    const memlog::Offset earliest = memlog::first_readable(f.adapter.log()->stats());
    QCOMPARE(earliest, memlog::Offset{50});
    client.reconnect();
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{65}, kWaitMs);
    QCOMPARE(client.lost(), earliest - 5);
    QCOMPARE(client.received(), qint64{5 + 15});
    QVERIFY2(client.lastClose().startsWith(u"4000 fell behind the purge; earliest 50"_s),
             qPrintable(client.lastClose()));
    QCOMPARE(client.state(), StreamFollower::State::following);
    QCOMPARE(client.connections(), 3);  // the first, the refused one, the one from the earliest
    QCOMPARE(client.duplicates(), qint64{0});
    QCOMPARE(client.gaps(), qint64{0});  // the skip is counted as lost, not as a gap
  }

  // The log replaced (reconfigured; its offsets go on): the server closes with 4001 and the
  // client follows the new log from its next offset, without a gap.
  void followsAReplacedLog() {
    Fixture f(100);
    QVERIFY(f.listen());
    f.write(10);
    StreamFollower client(u"web"_s);
    client.follow(QHostAddress::LocalHost, f.server.webSocketPort(), u"earliest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{10}, kWaitMs);
    f.adapter.replaceLog(*memlog::Log::create({.start_offset = 10, .segment_size = 100}));
    QTRY_VERIFY_WITH_TIMEOUT(client.lastClose().startsWith(u"4001"_s), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), StreamFollower::State::following, kWaitMs);
    f.write(5);
    QTRY_COMPARE_WITH_TIMEOUT(client.next(), qint64{15}, kWaitMs);
    QCOMPARE(client.received(), qint64{15});
    QCOMPARE(client.gaps() + client.duplicates() + client.lost(), qint64{0});
    QCOMPARE(client.connections(), 2);
  }

  // The server goes away: the client says so, and a reconnect to nothing does not crash.
  void serverGone() {
    auto f = std::make_unique<Fixture>(100);
    QVERIFY(f->listen());
    const quint16 port = f->server.webSocketPort();
    StreamFollower client(u"web"_s);
    client.follow(QHostAddress::LocalHost, port, u"earliest"_s);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), StreamFollower::State::following, kWaitMs);
    f.reset();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), StreamFollower::State::disconnected, kWaitMs);
    client.reconnect();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), StreamFollower::State::disconnected, kWaitMs);
  }
};

QTEST_GUILESS_MAIN(TestStreamFollower)
#include "tst_stream_follower.moc"
