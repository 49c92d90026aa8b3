// SPDX-License-Identifier: MIT
// The pace both consumers keep (Pacer): unpaced returns at once, paced keeps its schedule, a
// stall does not turn into a flood, and a stop ends even a very long sleep at once. Only lower
// bounds on time are checked (a busy machine makes waits longer, never shorter).
#include <QTest>

#include <chrono>
#include <future>
#include <thread>

#include <memlog/source/pacer.hpp>

using memlog::sim::Pacer;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

class TestPacer : public QObject {
  Q_OBJECT

 private slots:
  void unpaced_data() {
    QTest::addColumn<double>("pace");
    QTest::addRow("0") << 0.0;
    QTest::addRow("negative") << -5.0;
  }
  void unpaced() {
    QFETCH(double, pace);
    Pacer pacer(pace);
    QVERIFY(!pacer.paced());
    QCOMPARE(pacer.period(), steady_clock::duration::zero());
    std::stop_source stop;
    for (int i = 0; i < 1000; ++i) QVERIFY(pacer.wait(stop.get_token()));
    stop.request_stop();
    QVERIFY(!pacer.wait(stop.get_token()));  // stopped: says so
  }

  // A pace so small that 1/pace overflows the clock's nanoseconds: a day at most, not UB.
  void tinyPaceWaitsADayAtMost() {
    for (const double pace : {1e-15, 1e-300, 1.0 / 86'400 / 2}) {
      const Pacer pacer(pace);
      QVERIFY(pacer.paced());
      QCOMPARE(pacer.period(), std::chrono::duration_cast<steady_clock::duration>(Pacer::kLongestPeriod));
    }
    QCOMPARE(Pacer(1.0).period(), std::chrono::duration_cast<steady_clock::duration>(std::chrono::seconds(1)));
  }

  void keepsItsPace() {
    Pacer pacer(1000);  // 1 ms a record
    QVERIFY(pacer.paced());
    QCOMPARE(std::chrono::duration_cast<std::chrono::microseconds>(pacer.period()).count(), 1000);
    const auto start = steady_clock::now();
    for (int i = 0; i < 50; ++i) QVERIFY(pacer.wait({}));
    QVERIFY(steady_clock::now() - start >= milliseconds(49));
  }

  // Held up for longer than a second, it starts its schedule again: the records after the stall
  // are paced, not read at once to make up for the lost time.
  void noFloodAfterAStall() {
    Pacer pacer(100);  // 10 ms a record
    QVERIFY(pacer.wait({}));
    std::this_thread::sleep_for(milliseconds(1500));
    const auto start = steady_clock::now();
    for (int i = 0; i < 10; ++i) QVERIFY(pacer.wait({}));
    QVERIFY2(steady_clock::now() - start >= milliseconds(90), "the records after the stall were not paced");
  }

  void stopEndsTheSleepAtOnce() {
    Pacer pacer(0.001);  // 1,000 s a record
    std::stop_source stop;
    auto waited = std::async(std::launch::async, [&] { return pacer.wait(stop.get_token()); });
    QVERIFY(waited.wait_for(milliseconds(50)) == std::future_status::timeout);  // asleep
    stop.request_stop();
    QVERIFY(waited.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
    QVERIFY(!waited.get());
  }
};

QTEST_GUILESS_MAIN(TestPacer)
#include "tst_pacer.moc"
