// SPDX-License-Identifier: MIT
// A consumer's rate window: records/s over a window of at least half a second, measured from
// the window's own start and count, held between windows, 0 before the first window closes;
// and both consumers' snapshots report it while they run and 0 once they stop.
#include <QTest>

#include <thread>

#include <memlog/source/consumer.hpp>
#include <memlog/source/rate_window.hpp>
#include <memlog/source/sharded_consumer.hpp>

using namespace memlog;
using memlog::sim::RateWindow;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

class TestRateWindow : public QObject {
  Q_OBJECT

 private slots:
  // Samples at times after the start (ms) with the running count then, and the rate each returns.
  void sample_data() {
    QTest::addColumn<QList<int>>("atMs");
    QTest::addColumn<QList<int>>("counts");
    QTest::addColumn<QList<double>>("rates");
    QTest::addRow("0 before the first window closes")
        << QList<int>{0, 250, 499} << QList<int>{0, 40, 80} << QList<double>{0, 0, 0};
    QTest::addRow("a window of exactly 500 ms") << QList<int>{500} << QList<int>{50} << QList<double>{100};
    QTest::addRow("a longer window: the whole of it") << QList<int>{1500} << QList<int>{300} << QList<double>{200};
    QTest::addRow("held until the next window closes")
        << QList<int>{500, 700, 999} << QList<int>{50, 1000, 2000} << QList<double>{100, 100, 100};
    QTest::addRow("the next window from the last close and its count")
        << QList<int>{500, 700, 1000} << QList<int>{50, 1000, 1050} << QList<double>{100, 100, 2000};
    QTest::addRow("a count that stops growing: 0 one window on")
        << QList<int>{600, 1100, 1600} << QList<int>{60, 60, 60} << QList<double>{100, 0, 0};
    QTest::addRow("no samples for a while: one long window")
        << QList<int>{500, 10'500} << QList<int>{50, 1050} << QList<double>{100, 100};
  }
  void sample() {
    QFETCH(QList<int>, atMs);
    QFETCH(QList<int>, counts);
    QFETCH(QList<double>, rates);
    QCOMPARE(counts.size(), atMs.size());
    QCOMPARE(rates.size(), atMs.size());
    const auto start = steady_clock::time_point{} + std::chrono::hours(1);
    RateWindow window(start);
    for (qsizetype i = 0; i < atMs.size(); ++i) {
      const double rate = window.sample(static_cast<std::uint64_t>(counts[i]), start + milliseconds(atMs[i]));
      QVERIFY2(qFuzzyCompare(1 + rate, 1 + rates[i]),
               qPrintable(QStringLiteral("sample %1: %2, expected %3").arg(i).arg(rate).arg(rates[i])));
    }
  }

  // The consumers' snapshots: a paced consumer shows a rate near its pace once a window has
  // closed (a loose bound: a slow machine reads fewer), and 0 once stopped. This is the
  // snapshots' use of the window under their locks, which the TSan build checks too.
  void consumersReportTheRate_data() {
    QTest::addColumn<bool>("sharded");
    QTest::addRow("Consumer") << false;
    QTest::addRow("ShardedConsumer") << true;
  }
  void consumersReportTheRate() {
    QFETCH(bool, sharded);
    constexpr double kPace = 200;
    const sim::ConsumerOptions options{.name = "paced", .shard = -1, .pace = kPace};
    std::shared_ptr<Log> log = std::move(*Log::create({.segment_size = 10'000}));
    ShardedOptions sharded_options;
    sharded_options.shards = 2;
    sharded_options.log.segment_size = 10'000;
    std::shared_ptr<ShardedLog> sharded_log = std::move(*ShardedLog::create(sharded_options));
    for (int i = 0; i < 2000; ++i) {
      QVERIFY(log->write("record").has_value());
      QVERIFY(sharded_log->write("key", "record").has_value());
    }
    sim::Consumer consumer(1, options);
    sim::ShardedConsumer sharded_consumer(2, options, sharded_log);
    const auto snapshot = [&] { return sharded ? sharded_consumer.snapshot() : consumer.snapshot(); };
    if (sharded)
      sharded_consumer.start();
    else
      consumer.start(log, 0);

    std::this_thread::sleep_for(milliseconds(700));
    const auto running = snapshot();
    QVERIFY2(running.rate > 0 && running.rate <= 2 * kPace, qPrintable(QString::number(running.rate)));
    QVERIFY(running.consumed > 0);

    if (sharded)
      sharded_consumer.stop();
    else
      consumer.stop();
    QCOMPARE(snapshot().state, sim::ConsumerState::stopped);  // stop() joins the thread
    QCOMPARE(snapshot().rate, 0.0);
  }
};

QTEST_GUILESS_MAIN(TestRateWindow)
#include "tst_rate_window.moc"
