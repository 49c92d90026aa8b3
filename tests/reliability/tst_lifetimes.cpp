// SPDX-License-Identifier: MIT
// Lifetimes under concurrency: a log dropped by its owner while streams wait on it, stop
// tokens fired mid-wait, observers removed while appends run, records outliving their log.
// Run under ASan (LeakSanitizer) and TSan by the sanitizer presets.
#include <QTest>

#include <memlog/memlog.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using memlog::Errc;

namespace {

// Counts callbacks, and any that arrive after its subscription was reset.
class CountingObserver : public memlog::LogObserver {
 public:
  void on_append(memlog::Offset, memlog::Offset) override {
    appends.fetch_add(1, std::memory_order_relaxed);
    if (unsubscribed.load(std::memory_order_acquire)) late.fetch_add(1, std::memory_order_relaxed);
  }
  std::atomic<long> appends{0};
  std::atomic<long> late{0};
  std::atomic<bool> unsubscribed{false};
};

}  // namespace

class TestLifetimes : public QObject {
  Q_OBJECT

 private slots:
  void logDroppedByOwnerWhileStreamsWait() {
    std::weak_ptr<memlog::Log> weak;
    std::stop_source stop;
    std::vector<std::jthread> consumers;
    std::atomic<int> ended_cancelled{0};
    std::atomic<int> received{0};
    {
      auto log = *memlog::Log::create({.segment_size = 4});
      weak = log;
      for (int i = 0; i < 4; ++i) {
        consumers.emplace_back([stream = log->stream(0, stop.get_token()), &ended_cancelled, &received]() mutable {
          while (stream.next()) received.fetch_add(1);
          if (stream.error() == Errc::cancelled) ended_cancelled.fetch_add(1);
        });
      }
      QVERIFY(log->write("one").has_value());
    }  // the owner lets go; the waiting streams keep the log alive
    QTRY_COMPARE_WITH_TIMEOUT(received.load(), 4, 10000);
    QVERIFY(!weak.expired());
    stop.request_stop();
    consumers.clear();  // joins
    QCOMPARE(ended_cancelled.load(), 4);
    QVERIFY(weak.expired());  // the last stream took the log with it
  }

  void stopFiredMidWaitIsPrompt() {
    auto log = *memlog::Log::create({.segment_size = 8});
    constexpr int kStreams = 6;
    std::vector<std::stop_source> stops(kStreams);
    std::atomic<int> cancelled{0};
    std::vector<std::jthread> threads;
    threads.reserve(kStreams);
    for (int i = 0; i < kStreams; ++i) {
      threads.emplace_back([&, i] {
        auto stream = log->stream(0, stops[static_cast<std::size_t>(i)].get_token());
        while (stream.next()) {
        }
        if (stream.error() == Errc::cancelled) cancelled.fetch_add(1);
      });
    }
    // Writes interleave with stops: every stream is somewhere between reading and waiting.
    for (int i = 0; i < kStreams; ++i) {
      QVERIFY(log->write("tick").has_value());
      std::this_thread::sleep_for(2ms);
      const auto asked = std::chrono::steady_clock::now();
      stops[static_cast<std::size_t>(i)].request_stop();
      QTRY_COMPARE_WITH_TIMEOUT(cancelled.load(), i + 1, 10000);
      // Prompt: woken by the stop itself, not by a later write or a poll interval.
      QVERIFY(std::chrono::steady_clock::now() - asked < 5s);
    }
  }

  void observersRemovedWhileAppendsRun() {
    auto log = *memlog::Log::create({.segment_size = 16});
    std::atomic<bool> done{false};
    constexpr int kWriters = 2;
    std::vector<std::jthread> writers;
    writers.reserve(kWriters);
    for (int w = 0; w < kWriters; ++w)
      writers.emplace_back([&] {
        while (!done.load()) (void)log->write("payload");
      });
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    constexpr int kRounds = 100;
#else
    constexpr int kRounds = 500;
#endif
    long total = 0;
    for (int round = 0; round < kRounds; ++round) {
      auto observer = std::make_shared<CountingObserver>();
      memlog::Subscription subscription = log->observe(observer);
      QVERIFY(subscription.active());
      while (observer->appends.load() == 0) std::this_thread::yield();
      subscription.reset();  // after this returns, no callback runs or will run
      observer->unsubscribed.store(true, std::memory_order_release);
      std::this_thread::yield();
      QCOMPARE(observer->late.load(), 0L);
      total += observer->appends.load();
    }
    done = true;
    writers.clear();
    QVERIFY(total >= kRounds);
  }

  void subscriptionOutlivesItsLog() {
    auto observer = std::make_shared<CountingObserver>();
    memlog::Subscription subscription;
    {
      auto log = *memlog::Log::create();
      subscription = log->observe(observer);
      QVERIFY(log->write("x").has_value());
    }
    QVERIFY(!subscription.active());
    subscription.reset();  // nothing to do, nothing to crash
    QCOMPARE(observer->appends.load(), 1L);
  }

  void recordsOutliveLogAndPurge() {
    std::vector<memlog::Record> kept;
    const std::string big(5000, 'b');
    {
      auto log = *memlog::Log::create({.segment_size = 2});
      for (int i = 0; i < 6; ++i) {
        QVERIFY(log->write(i % 2 ? big : std::string("small")).has_value());
        kept.push_back(*log->read(i));
      }
      QCOMPARE(log->read(0).error(), make_error_code(Errc::out_of_range));  // purged
    }
    for (int i = 0; i < 6; ++i) {
      QCOMPARE(kept[static_cast<std::size_t>(i)].offset(), i);
      QCOMPARE(kept[static_cast<std::size_t>(i)].text(), i % 2 ? std::string_view(big) : std::string_view("small"));
    }
  }

  // An injected clock that throws: the write fails with that exception, nothing leaks (LSan),
  // and the log is unchanged and still usable, its stats readable (no update left half done).
  void throwingClockLeavesLogUnchanged() {
    auto fail = std::make_shared<std::atomic<bool>>(false);
    auto log = *memlog::Log::create({.segment_size = 2, .clock = [fail] {
                                       if (fail->load()) throw std::runtime_error("clock failed");
                                       return memlog::Timestamp{std::chrono::seconds{1}};
                                     }});
    const std::string big(100, 'x');  // a shared payload block, allocated before the clock runs
    for (int i = 0; i < 3; ++i) QVERIFY(log->write(big).has_value());
    const memlog::Stats before = log->stats();
    fail->store(true);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, (void)log->write(big));
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, (void)log->write("small"));
    const memlog::Stats after = log->stats();
    QCOMPARE(after.next_offset, before.next_offset);
    QCOMPARE(after.memory_bytes, before.memory_bytes);
    QVERIFY(after.range == before.range);
    fail->store(false);
    QCOMPARE(log->write("again").value(), before.next_offset);
  }

  // Retained memory: payload + at most 64 bytes per record, bounded by 2 x segment size.
  void memoryBound_data() {
    QTest::addColumn<int>("payloadBytes");
    QTest::addRow("32-byte payloads (inline)") << 32;
    QTest::addRow("40-byte payloads (largest inline)") << 40;
    QTest::addRow("1000-byte payloads (shared)") << 1000;
  }
  void memoryBound() {
    QFETCH(int, payloadBytes);
    constexpr std::size_t kSegment = 1000;
    auto log = *memlog::Log::create({.segment_size = kSegment});
    const std::string payload(static_cast<std::size_t>(payloadBytes), 'p');
    for (int i = 0; i < 10 * static_cast<int>(kSegment); ++i) {
      QVERIFY(log->write(payload).has_value());
      if (i % 997 == 0) {
        const auto stats = log->stats();
        const std::size_t records = stats.active_records + stats.history_records;
        // Purged-but-not-yet-overwritten slots still hold their shared block: count 2 segments.
        const std::size_t bound = 2 * kSegment * (64 + 16 + static_cast<std::size_t>(payloadBytes));
        QVERIFY2(stats.memory_bytes <= bound, qPrintable(QString::number(stats.memory_bytes)));
        QVERIFY(records <= 2 * kSegment);
      }
    }
    const auto stats = log->stats();
    const std::size_t records = stats.active_records + stats.history_records;
    const std::size_t per_record_overhead =
        stats.memory_bytes / records - (payloadBytes <= 40 ? 0 : static_cast<std::size_t>(payloadBytes));
    // Inline payloads live inside the 64-byte slot; shared ones add a 16-byte block header.
    QVERIFY2(per_record_overhead <= (payloadBytes <= 40 ? 64u : 64u + 16u),
             qPrintable(QString::number(per_record_overhead)));
  }
};

QTEST_GUILESS_MAIN(TestLifetimes)
#include "tst_lifetimes.moc"
