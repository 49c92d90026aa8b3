// SPDX-License-Identifier: MIT
// LessonPlayer on a live session: a step's actions run once (Back and Next again do not rerun
// them), its condition is checked against the live state (counts since the step began), a
// condition that does not hold in time times out with the hint, and autoplay moves on.
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

#include "adapter/log_session.hpp"
#include "compare/compare_session.hpp"
#include "lessons/lesson_player.hpp"
#include "lessons/lesson_redis.hpp"
#include "server/log_server.hpp"
#include "server/stream_follower.hpp"

using namespace Qt::StringLiterals;

namespace {
Lesson lessonFrom(const char* json) {
  QString error;
  auto lesson = parseLesson(QByteArray(json), u"test.json"_s, &error);
  if (!lesson) qFatal("%s", qPrintable(error));
  return *lesson;
}
// The same, written with ' for " (easier to read in C++ source).
Lesson lessonQuoted(const char* json) { return lessonFrom(QByteArray(json).replace('\'', '"').constData()); }

const char* const kSteps =
    "{\"name\": \"t\", \"title\": \"T\", \"setup\": {\"segment_size\": 10, \"rate\": 0, \"running\": false},"
    " \"steps\": ["
    "  {\"title\": \"add\", \"narration\": \"n\", \"actions\": [{\"do\": \"add_consumer\", \"name\": \"c\"}]},"
    "  {\"title\": \"write\", \"narration\": \"n\", \"actions\": [{\"do\": \"step\", \"records\": 25}],"
    "   \"until\": {\"records\": 25, \"purges\": 1}},"
    "  {\"title\": \"never\", \"narration\": \"n\", \"until\": {\"records\": 1}, \"timeout_s\": 1, \"hint\": \"try\"}"
    "]}";
}  // namespace

class TestLessonPlayer : public QObject {
  Q_OBJECT

 private slots:
  void actionsRunOnceConditionsHoldAndTimeOut() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    LessonPlayer player(&session, lessonFrom(kSteps));
    QSignalSpy met(&player, &LessonPlayer::conditionMet);
    QSignalSpy timedOut(&player, &LessonPlayer::timedOut);
    QSignalSpy finished(&player, &LessonPlayer::finished);
    player.start();
    QCOMPARE(player.current(), 0);
    QCOMPARE(player.state(), LessonPlayer::StepState::noCondition);
    QCOMPARE(session.consumers()->snapshots().size(), std::size_t{1});
    player.next();  // 25 records: two seals, one purge (segments of 10)
    session.frames()->tick();
    QCOMPARE(met.count(), 1);
    QCOMPARE(player.state(), LessonPlayer::StepState::met);
    player.back();
    QCOMPARE(player.current(), 0);
    player.next();  // shown again: its 25 records are not written again
    QCOMPARE(session.source()->counters().written, 25u);
    QCOMPARE(session.consumers()->snapshots().size(), std::size_t{1});
    player.next();  // waits for a record that never comes (the source is paused)
    QCOMPARE(player.state(), LessonPlayer::StepState::waiting);
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QCOMPARE(timedOut.at(0).at(1).toString(), u"try"_s);
    session.source()->step();  // it may still hold later
    session.frames()->tick();
    QCOMPARE(player.state(), LessonPlayer::StepState::met);
    player.next();
    QCOMPARE(finished.count(), 1);
    QVERIFY(player.isFinished());
  }

  void autoplayMovesOn() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    LessonPlayer player(&session, lessonFrom(kSteps));
    player.setAutoplay(true, 0, 0);
    QSignalSpy timedOut(&player, &LessonPlayer::timedOut);
    player.start();
    QTRY_COMPARE_WITH_TIMEOUT(player.current(), 2, 5000);  // through step 2 by itself
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QCOMPARE(player.current(), 2);  // a timed-out step does not move on by itself
  }

  // open_compare: a second log fed the same records; `on: compare` counts its events, not the
  // monitor's; a consumer added then reads both logs.
  void compareCountsTheSecondLog() {
    LogSession session({.segment_size = 100}, {.rate = 0});
    LessonPlayer player(
        &session,
        lessonQuoted(
            "{'name': 't', 'title': 'T', 'setup': {'segment_size': 100, 'rate': 0, 'running': false}, 'steps': ["
            " {'title': 'open', 'narration': 'n', 'actions': [{'do': 'open_compare', 'segment_size': 10},"
            "   {'do': 'add_consumer', 'name': 'r'}, {'do': 'step', 'records': 25}],"
            "  'until': {'on': 'compare', 'records': 25, 'purges': 1, 'consumer': 'r'}},"
            " {'title': 'never', 'narration': 'n', 'until': {'seals': 1}, 'timeout_s': 1}]}"));
    QSignalSpy met(&player, &LessonPlayer::conditionMet);
    QSignalSpy timedOut(&player, &LessonPlayer::timedOut);
    player.start();
    QVERIFY(player.compare());
    QCOMPARE(player.compare()->b()->adapter()->log()->options().segment_size, std::size_t{10});
    QTRY_COMPARE_WITH_TIMEOUT(met.count(), 1, 10'000);  // copied, purged there; the consumer is there too
    QCOMPARE(player.compare()->b()->consumers()->snapshots().size(), std::size_t{1});
    player.next();  // the monitor's log (segments of 100) sealed nothing
    QTRY_COMPARE_WITH_TIMEOUT(timedOut.count(), 1, 5000);
    QCOMPARE(met.count(), 1);
  }

  // A second open_compare (headless: no window closes the first) replaces the comparison: the
  // first one goes, with its copier and consumers; the second one is sharded as asked.
  void secondCompareReplacesTheFirst() {
    LogSession session({.segment_size = 100}, {.rate = 0});
    LessonPlayer player(
        &session,
        lessonQuoted(
            "{'name': 't', 'title': 'T', 'setup': {'segment_size': 100, 'rate': 0, 'running': false}, 'steps': ["
            " {'title': 'one', 'narration': 'n', 'actions': [{'do': 'open_compare', 'segment_size': 10}]},"
            " {'title': 'two', 'narration': 'n', 'actions': [{'do': 'open_compare', 'shards': 8}]}]}"));
    player.start();
    QPointer<CompareSession> first = player.compare();
    QVERIFY(first);
    QVERIFY(first->isCopying());
    player.next();
    QVERIFY(first.isNull());
    QVERIFY(player.compare());
    QVERIFY(player.compare()->b()->isSharded());
    QCOMPARE(player.compare()->b()->shards()->count(), 8);
    QCOMPARE(player.compare()->b()->adapter()->log()->options().segment_size, std::size_t{100});
  }

  // start_server makes the server listen on loopback; a client follows, goes away and comes back
  // from its offset with nothing missed.
  void serverAndClient() {
    LogSession session({.segment_size = 100}, {.rate = 0});
    LogServer server(session.adapter());
    LessonPlayer player(
        &session,
        lessonQuoted(
            "{'name': 't', 'title': 'T', 'setup': {'rate': 0, 'running': false}, 'steps': ["
            " {'title': 'follow', 'narration': 'n', 'actions': [{'do': 'start_server'}, {'do': 'step', 'records': 10},"
            "   {'do': 'add_client', 'name': 'web'}], 'until': {'client': {'name': 'web', 'received_at_least': 10}}},"
            " {'title': 'away', 'narration': 'n', 'actions': [{'do': 'disconnect_client', 'name': 'web'},"
            "   {'do': 'step', 'records': 7}], 'until': {'records': 7, 'client': {'name': 'web', 'connected': false}}},"
            " {'title': 'back', 'narration': 'n', 'actions': [{'do': 'reconnect_client', 'name': 'web'}],"
            "  'until': {'client': {'name': 'web', 'received_at_least': 7, 'caught_up_within': 0}}}]}"));
    player.setServer(&server);
    QSignalSpy met(&player, &LessonPlayer::conditionMet);
    QSignalSpy started(&player, &LessonPlayer::serverStarted);
    player.start();
    QCOMPARE(started.count(), 1);
    QVERIFY(server.isListening());
    QTRY_COMPARE_WITH_TIMEOUT(met.count(), 1, 10'000);
    player.next();
    QTRY_COMPARE_WITH_TIMEOUT(met.count(), 2, 10'000);
    player.next();
    QTRY_COMPARE_WITH_TIMEOUT(met.count(), 3, 10'000);
    const StreamFollower* web = player.client(u"web"_s);
    QVERIFY(web);
    QCOMPARE(web->received(), qint64{17});
    QCOMPARE(web->gaps() + web->duplicates() + web->lost(), qint64{0});
    QCOMPARE(web->connections(), 2);
  }

  // Without a server to start (no setServer), the action fails with a reason: no crash.
  void startServerWithoutServer() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    LessonPlayer player(&session, lessonQuoted("{'name': 't', 'title': 'T', 'steps': [{'title': 's', 'narration': "
                                               "'n', 'actions': [{'do': 'start_server'}]}]}"));
    QSignalSpy failed(&player, &LessonPlayer::actionFailed);
    player.start();
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(1).toString(), u"there is no server to start here"_s);
  }

#if MEMLOG_WITH_REDIS
  // start_redis waits until Redis listens: started again on a port taken while it was stopped,
  // it says so (Redis's own words), instead of a mirror retrying against nothing.
  void redisRestartOnATakenPortSaysWhy() {
    if (QStandardPaths::findExecutable(u"redis-server"_s).isEmpty()) QSKIP("redis-server is not installed");
    LogSession session({.segment_size = 10}, {.rate = 0});
    LessonPlayer player(&session,
                        lessonQuoted("{'name': 't', 'title': 'T', 'steps': ["
                                     " {'title': 'up', 'narration': 'n', 'actions': [{'do': 'start_redis'}]},"
                                     " {'title': 'down', 'narration': 'n', 'actions': [{'do': 'stop_redis'}]},"
                                     " {'title': 'up', 'narration': 'n', 'actions': [{'do': 'start_redis'}]}]}"));
    QSignalSpy failed(&player, &LessonPlayer::actionFailed);
    player.start();
    QCOMPARE(failed.count(), 0);
    const auto* redis = player.findChild<LessonRedis*>();
    QVERIFY(redis);
    QVERIFY(redis->isRunning());
    QTcpServer probe;  // it listens at once: a started Redis answers
    QVERIFY(!probe.listen(QHostAddress::LocalHost, redis->port()));
    player.next();
    QVERIFY(!redis->isRunning());
    QVERIFY2(probe.listen(QHostAddress::LocalHost, redis->port()), qPrintable(probe.errorString()));  // taken
    player.next();
    QCOMPARE(failed.count(), 1);
    const QString why = failed.at(0).at(1).toString();
    QVERIFY2(why.contains(u"port %1"_s.arg(redis->port())) && why.contains(u"Address already in use"_s),
             qPrintable(why));
    QVERIFY(!redis->isRunning());
  }

  // The lesson's Redis goes with the app even when no destructor runs (SIGKILL): this test runs
  // itself as the app (MEMLOG_TST_REDIS_HOLDER set), which starts a Redis, says its port and waits.
  void redisGoesWithTheApp() {
    if (QStandardPaths::findExecutable(u"redis-server"_s).isEmpty()) QSKIP("redis-server is not installed");
    if (qEnvironmentVariableIsSet("MEMLOG_TST_REDIS_HOLDER")) {
      auto* redis = new LessonRedis;  // never deleted: the process is killed
      QString error;
      if (!redis->start(&error)) qFatal("%s", qPrintable(error));
      std::printf("port %u\n", redis->port());
      std::fflush(stdout);
      QTest::qWait(60'000);
      return;
    }
    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"MEMLOG_TST_REDIS_HOLDER"_s, u"1"_s);
    const QTemporaryDir tmp;  // the killed app's Redis data (no destructor removes it) goes with this
    env.insert(u"TMPDIR"_s, tmp.path());
    app.setProcessEnvironment(env);
    app.start(QCoreApplication::applicationFilePath(), {u"redisGoesWithTheApp"_s});
    QByteArray said;  // after QtTest's own lines
    const auto hears = [&] {
      said += app.readAll();
      return said.contains("\nport ") || app.state() == QProcess::NotRunning;
    };
    QTRY_VERIFY_WITH_TIMEOUT(hears(), 10'000);
    const qsizetype at = said.indexOf("\nport ");
    QVERIFY2(at >= 0, said.constData());
    const auto port = static_cast<quint16>(said.mid(at + 6, said.indexOf('\n', at + 1) - at - 6).trimmed().toUInt());
    QVERIFY(port != 0);
    struct Leftover {  // should the test fail, the Redis it left is shut down
      quint16 port;
      ~Leftover() {
        QTcpSocket redis;
        redis.connectToHost(QHostAddress::LocalHost, port);
        if (redis.waitForConnected(500) && redis.write("SHUTDOWN NOSAVE\r\n") > 0) redis.waitForDisconnected(2000);
      }
    } leftover{port};
    const auto portFree = [port] { return QTcpServer().listen(QHostAddress::LocalHost, port); };
    QVERIFY(!portFree());  // Redis listens there
    app.kill();            // SIGKILL: no destructor runs
    QVERIFY(app.waitForFinished(5000));
    QTRY_VERIFY_WITH_TIMEOUT(portFree(), 5000);  // Redis went too
  }
#endif
};

QTEST_GUILESS_MAIN(TestLessonPlayer)
#include "tst_lesson_player.moc"
