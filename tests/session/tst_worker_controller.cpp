// SPDX-License-Identifier: MIT
// WorkerController and its two faces: each new problem signalled exactly once (several between
// two polls: once, with the newest message), the last ones when the worker goes, statusChanged
// ticking while a worker runs and not after; FeedController and MirrorController opening and
// closing with their signals, refusing malformed names, and passing on a real worker's
// failures once each. Proof is counted: ticks of the controller (or of another one), never a
// fixed wait.
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <optional>

#include "adapter/log_adapter.hpp"
#include "controllers/feed_controller.hpp"
#if MEMLOG_WITH_REDIS
#include "controllers/mirror_controller.hpp"
#endif
#include "controllers/worker_controller.hpp"

using namespace Qt::StringLiterals;
using memlog::WorkerHealth;
using memlog::WorkerState;

namespace {
constexpr int kTimeout = 10000;

// A controller over a health the test sets.
class FakeController : public WorkerController {
 public:
  using WorkerController::unwatch;
  using WorkerController::watch;
  void report(std::uint64_t problems, const std::string& message) {
    m_running = true;
    m_health.problems = problems;
    m_health.last_problem = message;
  }
  void begin() {  // a new worker, healthy
    m_health = WorkerHealth{};
    m_running = true;
  }
  void forget() {  // no worker any more
    m_health = WorkerHealth{};
    m_running = false;
  }

 private:
  // Not an optional member: GCC 12 warns falsely about copying one (maybe-uninitialized).
  std::optional<WorkerHealth> health() const override {
    return m_running ? std::optional<WorkerHealth>(m_health) : std::nullopt;
  }
  WorkerHealth m_health;
  bool m_running = false;
};

// Waits until `spy` has `more` signals more than it has now (the controllers' ticks).
bool waitFor(QSignalSpy& spy, int more) {
  const qsizetype target = spy.count() + more;
  return QTest::qWaitFor([&] { return spy.count() >= target; }, kTimeout);
}

std::shared_ptr<memlog::Log> makeLog() { return *memlog::Log::create({.segment_size = 1000}); }

QStringList messages(const QSignalSpy& spy) {
  QStringList list;
  for (const auto& arguments : spy) list << arguments.at(0).toString();
  return list;
}
}  // namespace

class TestWorkerController : public QObject {
  Q_OBJECT

 private slots:
  void eachNewProblemIsSignalledOnce() {
    FakeController controller;
    QSignalSpy problems(&controller, &WorkerController::problem);
    QSignalSpy ticks(&controller, &WorkerController::statusChanged);
    controller.begin();
    controller.watch();
    QVERIFY(waitFor(ticks, 2));
    QCOMPARE(problems.count(), 0);  // none yet

    controller.report(1, "a");
    QTRY_COMPARE_WITH_TIMEOUT(problems.count(), 1, kTimeout);
    QVERIFY(waitFor(ticks, 3));
    QCOMPARE(messages(problems), QStringList{u"a"_s});  // not again on later ticks

    controller.report(4, "d");  // three more between two polls: the newest, once
    QTRY_COMPARE_WITH_TIMEOUT(problems.count(), 2, kTimeout);
    QVERIFY(waitFor(ticks, 3));
    QCOMPARE(messages(problems), (QStringList{u"a"_s, u"d"_s}));

    controller.report(5, "e");  // the worker goes before the next poll: still signalled
    controller.unwatch();
    QCOMPARE(messages(problems), (QStringList{u"a"_s, u"d"_s, u"e"_s}));
  }

  void ticksOnlyWhileWatching() {
    FakeController watched, other;
    watched.begin();
    other.begin();
    QSignalSpy ticks(&watched, &WorkerController::statusChanged);
    QSignalSpy otherTicks(&other, &WorkerController::statusChanged);
    QCOMPARE(ticks.count(), 0);
    watched.watch();
    other.watch();
    QVERIFY(waitFor(ticks, 3));
    watched.unwatch();  // one last tick, with what it reports last
    const qsizetype after = ticks.count();
    QVERIFY(waitFor(otherTicks, 3));  // three ticks of the other: none of the unwatched one
    QCOMPARE(ticks.count(), after);
  }

  // A new worker's problems count from zero: its first problem is new, though the old
  // worker's count was higher.
  void aNewWorkerStartsCountingAgain() {
    FakeController controller;
    QSignalSpy problems(&controller, &WorkerController::problem);
    controller.report(7, "old");
    controller.watch();
    QTRY_COMPARE_WITH_TIMEOUT(problems.count(), 1, kTimeout);
    controller.unwatch();
    controller.forget();
    controller.report(1, "new");
    controller.watch();
    QTRY_COMPARE_WITH_TIMEOUT(problems.count(), 2, kTimeout);
    QCOMPARE(messages(problems), (QStringList{u"old"_s, u"new"_s}));
    controller.unwatch();
  }

  void noWorkerNoSignals() {
    FakeController empty, other;
    other.begin();
    QSignalSpy ticks(&empty, &WorkerController::statusChanged);
    QSignalSpy otherTicks(&other, &WorkerController::statusChanged);
    empty.watch();
    other.watch();
    QVERIFY(waitFor(otherTicks, 3));
    QCOMPARE(ticks.count(), 0);
  }

  // A file source that is not there yet: its failures come once each (each names its wait,
  // so no two are the same), then it is read once it appears; close stops it.
  void feedControllerOpensReportsAndCloses() {
    QTemporaryDir dir;
    const QString path = dir.filePath(u"later.log"_s);
    LogAdapter adapter(makeLog());
    FeedController feed(&adapter);
    QSignalSpy opened(&feed, &FeedController::openChanged);
    QSignalSpy ticks(&feed, &WorkerController::statusChanged);
    QSignalSpy problems(&feed, &WorkerController::problem);

    QString error;
    QVERIFY(!feed.open(u"kafka:broker"_s, &error));
    QVERIFY2(error.contains(u"unknown source"_s), qPrintable(error));
    QCOMPARE(opened.count(), 0);
    QVERIFY(!feed.isOpen());

    QVERIFY(feed.open(u"file:"_s + path, &error));
    QCOMPARE(opened.count(), 1);
    QVERIFY(feed.isOpen());
    QCOMPARE(feed.source(), u"file:"_s + path);
    QTRY_VERIFY_WITH_TIMEOUT(problems.count() >= 2, kTimeout);
    const QStringList failures = messages(problems);
    QCOMPARE(QSet<QString>(failures.begin(), failures.end()).size(), failures.size());
    for (const QString& message : failures)
      QVERIFY2(message.contains(u"cannot open"_s) && message.contains(u"retrying in"_s), qPrintable(message));

    std::ofstream(path.toStdString()) << "here\n";
    QTRY_COMPARE_WITH_TIMEOUT(feed.status().records, 1u, kTimeout);
    QCOMPARE(feed.status().state, WorkerState::running);
    QVERIFY(waitFor(ticks, 2));  // every problem before it ran has been polled
    // Each problem once at most (two between one poll and the next — a loaded machine delays
    // the poll — give the newer one only), and the newest always.
    const qsizetype reported = problems.count();
    QVERIFY(static_cast<std::uint64_t>(reported) <= feed.status().problems);
    QCOMPARE(problems.last().at(0).toString(), QString::fromStdString(feed.status().last_problem));
    const QStringList all = messages(problems);
    QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), all.size());

    feed.close();
    QCOMPARE(opened.count(), 2);
    QVERIFY(!feed.isOpen());
    QCOMPARE(feed.source(), QString());
    QCOMPARE(feed.status().state, WorkerState::stopped);
    QCOMPARE(problems.count(), reported);  // reading fine: nothing new
  }

#if MEMLOG_WITH_REDIS
  // A mirror to a port where no Redis listens: each failed connection once; the '@ID' form
  // is refused as the command line refuses it.
  void mirrorControllerStartsReportsAndStops() {
    LogAdapter adapter(makeLog());
    MirrorController mirror(&adapter);
    QSignalSpy running(&mirror, &MirrorController::runningChanged);
    QSignalSpy problems(&mirror, &WorkerController::problem);

    QString error;
    QVERIFY(!mirror.start(u"redis:127.0.0.1:6379/s@0"_s, &error));
    QVERIFY2(error.contains(u"'@ID'"_s), qPrintable(error));
    QVERIFY(!mirror.start(u"127.0.0.1:6379"_s, &error));
    QVERIFY2(error.contains(u"no stream name"_s), qPrintable(error));
    QCOMPARE(running.count(), 0);

    QVERIFY(mirror.start(u" 127.0.0.1:1/copy "_s, &error));  // no "redis:", spaces around
    QCOMPARE(running.count(), 1);
    QVERIFY(mirror.isRunning());
    QCOMPARE(mirror.target(), u"redis:127.0.0.1:1/copy"_s);
    QTRY_VERIFY_WITH_TIMEOUT(problems.count() >= 2, kTimeout);
    mirror.stop();
    QCOMPARE(running.count(), 2);
    QVERIFY(!mirror.isRunning());
    const QStringList failures = messages(problems);
    QCOMPARE(QSet<QString>(failures.begin(), failures.end()).size(), failures.size());
    for (const QString& message : failures)
      QVERIFY2(message.contains(u"127.0.0.1:1"_s) && message.contains(u"retrying in"_s), qPrintable(message));
  }
#else
  // A build without Redis refuses a Redis source with the reason, and opens nothing.
  void feedControllerRefusesRedisWithoutRedis() {
    LogAdapter adapter(makeLog());
    FeedController feed(&adapter);
    QString error;
    QVERIFY(!feed.open(u"redis:127.0.0.1:6379/events"_s, &error));
    QVERIFY(!feed.isOpen());
    QVERIFY2(error.contains(u"no Redis support"_s), qPrintable(error));
  }
#endif
};

QTEST_GUILESS_MAIN(TestWorkerController)
#include "tst_worker_controller.moc"
