// SPDX-License-Identifier: MIT
// RetryingWorker: the back-off doubles to its cap and starts again once a session gets going;
// stop() is prompt during a back-off and during a session's sleep; a session that throws is a
// failure reported with its message and the wait; reopen starts a new session, finished ends
// the worker; the health read from other threads while the session works is always one
// consistent snapshot, and no problem is lost or counted twice.
#include <QTest>

#include <memlog/source/retrying_worker.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using memlog::RetryingWorker;
using memlog::SessionEnd;
using memlog::SessionError;
using memlog::WorkerHealth;
using memlog::WorkerState;
using Clock = std::chrono::steady_clock;

namespace {
constexpr int kTimeout = 10000;
// stop() must not wait out a back-off or a sleep of this length: finishing well within
// kPrompt proves it was woken.
constexpr auto kLong = 60s;
constexpr auto kPrompt = 5s;

std::chrono::milliseconds timeToStop(RetryingWorker& worker) {
  const auto start = Clock::now();
  worker.stop();
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}
}  // namespace

class TestRetryingWorker : public QObject {
  Q_OBJECT

 private slots:
  void stateNames() {
    QCOMPARE(memlog::to_string(WorkerState::stopped), "stopped");
    QCOMPARE(memlog::to_string(WorkerState::connecting), "connecting");
    QCOMPARE(memlog::to_string(WorkerState::running), "running");
    QCOMPARE(memlog::to_string(WorkerState::retrying), "retrying");
    QCOMPARE(memlog::to_string(WorkerState::finished), "finished");
    QCOMPARE(memlog::retrying_in(250ms), "; retrying in 0.25 s");
    QCOMPARE(memlog::retrying_in(30s), "; retrying in 30 s");
  }

  // Sessions 1-5 fail at once; session 6 gets going (mark_running, reset_backoff) and then
  // fails; session 7 fails again, session 8 ends. Each session notes the message the previous
  // failure left (it names the wait) and when it started: the waits double from 10 ms to the
  // 80 ms cap, start again at 10 ms after the session that got going, and are really waited.
  void backoffDoublesToItsCapAndResetsOnceASessionGetsGoing() {
    std::mutex mutex;
    std::vector<std::string> previous;  // last_problem as each session starts
    std::vector<Clock::time_point> starts;
    std::atomic<int> sessions = 0;
    RetryingWorker* self = nullptr;
    RetryingWorker worker("w", [&](const std::stop_token&) {
      const int n = ++sessions;
      {
        std::lock_guard lock(mutex);
        previous.push_back(self->health().last_problem);
        starts.push_back(Clock::now());
      }
      if (n == 8) return SessionEnd::finished;
      if (n == 6) {
        self->mark_running();
        self->reset_backoff();
      }
      throw SessionError("failure " + std::to_string(n));
    });
    self = &worker;
    worker.set_backoff(10ms, 80ms);
    worker.start();
    QTRY_COMPARE_WITH_TIMEOUT(worker.health().state, WorkerState::finished, kTimeout);
    worker.stop();

    const std::vector<std::string> expected = {
        "",
        "w: failure 1; retrying in 0.01 s",
        "w: failure 2; retrying in 0.02 s",
        "w: failure 3; retrying in 0.04 s",
        "w: failure 4; retrying in 0.08 s",
        "w: failure 5; retrying in 0.08 s",  // the cap
        "w: failure 6; retrying in 0.01 s",  // session 6 got going: back to the start
        "w: failure 7; retrying in 0.02 s",
    };
    QCOMPARE(previous, expected);
    const std::chrono::milliseconds waits[] = {10ms, 20ms, 40ms, 80ms, 80ms, 10ms, 20ms};
    for (std::size_t i = 0; i + 1 < starts.size(); ++i)
      QVERIFY2(starts[i + 1] - starts[i] >= waits[i], qPrintable(QString::number(i)));
    const WorkerHealth health = worker.health();
    QCOMPARE(health.failures, 7u);
    QCOMPARE(health.problems, 7u);
  }

  void stopIsPromptDuringABackoff() {
    std::atomic<int> sessions = 0;
    RetryingWorker worker("w", [&](const std::stop_token&) -> SessionEnd {
      ++sessions;
      throw SessionError("unreachable");
    });
    worker.set_backoff(kLong, kLong);
    worker.start();
    QTRY_COMPARE_WITH_TIMEOUT(worker.health().state, WorkerState::retrying, kTimeout);
    QCOMPARE(worker.health().retry_in, std::chrono::milliseconds(kLong));
    QVERIFY(timeToStop(worker) < kPrompt);
    QCOMPARE(sessions.load(), 1);
    QCOMPARE(worker.health().state, WorkerState::stopped);
  }

  void stopIsPromptDuringASessionsSleep() {
    std::atomic<int> woken = -1;  // what sleep_for returned
    RetryingWorker* self = nullptr;
    RetryingWorker worker("w", [&](const std::stop_token& stop) {
      self->mark_running();
      woken = self->sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(kLong), stop) ? 1 : 0;
      return SessionEnd::reopen;
    });
    self = &worker;
    worker.start();
    QTRY_COMPARE_WITH_TIMEOUT(worker.health().state, WorkerState::running, kTimeout);
    QVERIFY(timeToStop(worker) < kPrompt);
    QCOMPARE(woken.load(), 0);  // false: cut short by the stop
    QCOMPARE(worker.health().state, WorkerState::stopped);
    QCOMPARE(worker.health().failures, 0u);  // a stop is not a failure
  }

  // A session that throws is counted as a failure and reported with its message (prefixed by
  // the worker's name, when it has one) and the back-off; the next session runs after it.
  void aThrowingSessionIsAFailureWithItsMessage_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("sessionError");  // SessionError, else another std::exception
    QTest::addColumn<QString>("expected");
    QTest::addRow("SessionError, named") << QStringLiteral("file:app.log") << true
                                         << QStringLiteral("file:app.log: no input; retrying in 0.02 s");
    QTest::addRow("std::exception, named")
        << QStringLiteral("stdin") << false << QStringLiteral("stdin: no input; retrying in 0.02 s");
    QTest::addRow("SessionError, no name") << QString() << true << QStringLiteral("no input; retrying in 0.02 s");
  }
  void aThrowingSessionIsAFailureWithItsMessage() {
    QFETCH(QString, name);
    QFETCH(bool, sessionError);
    QFETCH(QString, expected);
    std::atomic<int> sessions = 0;
    RetryingWorker worker(name.toStdString(), [&](const std::stop_token&) {
      if (++sessions == 2) return SessionEnd::finished;
      if (sessionError) throw SessionError("no input");
      throw std::runtime_error("no input");
    });
    worker.set_backoff(20ms, 20ms);
    worker.start();
    QTRY_COMPARE_WITH_TIMEOUT(worker.health().state, WorkerState::finished, kTimeout);
    const WorkerHealth health = worker.health();
    QCOMPARE(sessions.load(), 2);
    QCOMPARE(health.failures, 1u);
    QCOMPARE(health.problems, 1u);
    QCOMPARE(QString::fromStdString(health.last_problem), expected);
  }

  void reopenStartsANewSessionFinishedEndsTheWorker_data() {
    QTest::addColumn<int>("reopens");
    QTest::addRow("finished at once") << 0;
    QTest::addRow("reopened once") << 1;
    QTest::addRow("reopened five times") << 5;
  }
  void reopenStartsANewSessionFinishedEndsTheWorker() {
    QFETCH(int, reopens);
    std::atomic<int> sessions = 0;
    RetryingWorker worker(
        "w", [&](const std::stop_token&) { return ++sessions <= reopens ? SessionEnd::reopen : SessionEnd::finished; });
    worker.set_backoff(kLong, kLong);  // a reopen is not a failure: no back-off is waited
    worker.start();
    QTRY_COMPARE_WITH_TIMEOUT(worker.health().state, WorkerState::finished, kTimeout);
    QCOMPARE(sessions.load(), reopens + 1);
    const WorkerHealth health = worker.health();
    QCOMPARE(health.failures, 0u);
    QCOMPARE(health.problems, 0u);
    QCOMPARE(health.last_problem, std::string());
    worker.start();  // still finished until stopped: no new session
    QCOMPARE(sessions.load(), reopens + 1);
    worker.stop();
    QCOMPARE(worker.health().state, WorkerState::stopped);
  }

  // The session reports problems and fails now and then (each message "#N", N the problems
  // count it makes) while readers on other threads take the health: every snapshot's message
  // is the one its count says (count and message change together), counts never go down, and
  // at the end every problem was counted exactly once. Run under TSan too.
  void healthIsConsistentUnderConcurrentReads() {
    constexpr std::uint64_t kProblems = 20000;
    constexpr std::uint64_t kFailEvery = 100;
    std::uint64_t made = 0;  // the session's own count (its thread only)
    RetryingWorker* self = nullptr;
    RetryingWorker worker("w", [&](const std::stop_token&) {
      self->mark_running();
      while (made < kProblems) {
        ++made;
        if (made % kFailEvery == 0) throw SessionError("#" + std::to_string(made));
        self->report("#" + std::to_string(made));
      }
      return SessionEnd::finished;
    });
    self = &worker;
    worker.set_backoff(1ms, 1ms);

    std::atomic<int> bad = 0;
    std::atomic<std::uint64_t> snapshots = 0;
    constexpr int kReaders = 3;
    std::vector<std::jthread> readers;
    readers.reserve(kReaders);
    for (int r = 0; r < kReaders; ++r)
      readers.emplace_back([&] {
        std::uint64_t problems = 0, failures = 0;
        for (;;) {
          const WorkerHealth h = worker.health();
          ++snapshots;
          std::string expected = h.problems == 0 ? std::string() : "w: #" + std::to_string(h.problems);
          if (h.problems > 0 && h.problems % kFailEvery == 0) expected += memlog::retrying_in(1ms);
          const bool ok = h.last_problem == expected && h.problems >= problems && h.failures >= failures &&
                          h.failures == h.problems / kFailEvery &&
                          (h.state != WorkerState::retrying || h.retry_in == 1ms);
          if (!ok) ++bad;
          problems = h.problems;
          failures = h.failures;
          if (h.state == WorkerState::finished) return;
        }
      });
    worker.start();
    readers.clear();  // joins: each has seen the worker finish
    QCOMPARE(bad.load(), 0);
    QVERIFY(snapshots.load() > 0);
    const WorkerHealth health = worker.health();
    QCOMPARE(health.problems, kProblems);
    QCOMPARE(health.failures, kProblems / kFailEvery);
  }

  // start() and stop() from several threads at once: one thread runs, each stop joins it once.
  void startAndStopFromSeveralThreads() {
    std::atomic<int> sessions = 0;
    RetryingWorker* self = nullptr;
    RetryingWorker worker("w", [&](const std::stop_token& stop) {
      ++sessions;
      self->sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(kLong), stop);
      return SessionEnd::reopen;
    });
    self = &worker;
    for (int round = 0; round < 20; ++round) {
      constexpr int kThreads = 4;
      std::vector<std::jthread> threads;
      threads.reserve(kThreads);
      for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&worker, t] {
          if (t % 2 == 0)
            worker.start();
          else
            worker.stop();
        });
      threads.clear();
      worker.stop();
      QCOMPARE(worker.health().state, WorkerState::stopped);
    }
    QVERIFY(sessions.load() <= 20 * 2);
  }
};

QTEST_GUILESS_MAIN(TestRetryingWorker)
#include "tst_retrying_worker.moc"
