// SPDX-License-Identifier: MIT
// Acceptance tests of memlog::Stream: offset order, waiting for records not written yet
// (woken by the write, not by polling), cancellation by stop_token while waiting, deadlines,
// the stop-then-deadline checks made before every read, out_of_range when the position is or
// becomes purged or invalid, nullopt forever once ended, and range-for.
//
// A next() that is expected to block runs on its own thread (NextOnThread): the test acts
// while it waits, and if it never returns the test unblocks it and fails instead of hanging.
// Time limits are generous (seconds): they only separate "returns" from "never returns".
#include <QTest>

#include <sys/resource.h>

#include <chrono>
#include <climits>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "core_test_support.hpp"

using memlog::Errc;
using memlog::Log;
using memlog::Offset;
using memlog::Record;
using memlog::Stream;
using test_support::Expected;
using test_support::name_of;
using namespace std::chrono_literals;

namespace {

constexpr auto kGenerous = 20s;  // far beyond any wake-up on a loaded machine, even under TSan

std::string payload_at(Offset offset) {
  return test_support::payload(static_cast<std::uint64_t>(offset), 5 + static_cast<std::size_t>(offset % 50));
}

std::shared_ptr<Log> make_log(memlog::Options options) {
  auto log = Log::create(std::move(options));
  if (!log) qFatal("Log::create failed");
  return *log;
}

void write_upto(Log& log, Offset end) {
  while (log.stats().next_offset < end) {
    const Offset next = log.stats().next_offset;
    if (!log.write(payload_at(next))) qFatal("write failed");
  }
}

// What this thread has used so far: voluntary context switches (each time it blocked) and CPU.
struct Usage {
  long voluntary_switches = 0;
  std::chrono::microseconds cpu{0};
};
Usage thread_usage() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  return {ru.ru_nvcsw, std::chrono::seconds{ru.ru_utime.tv_sec + ru.ru_stime.tv_sec} +
                           std::chrono::microseconds{ru.ru_utime.tv_usec + ru.ru_stime.tv_usec}};
}

// Calls stream.next() once on a thread of its own.
class NextOnThread {
 public:
  // `unblock` makes a stuck next() return (a write, a stop request); the destructor calls it
  // when a failed check leaves the test early, so a failure never turns into a hang.
  NextOnThread(Stream& stream, std::function<void()> unblock)
      : done_(promise_.get_future()), unblock_(std::move(unblock)) {
    thread_ = std::thread([this, &stream] {
      const Usage before = thread_usage();
      result_ = stream.next();
      const Usage after = thread_usage();
      switches_ = after.voluntary_switches - before.voluntary_switches;
      cpu_ = after.cpu - before.cpu;
      returned_at_ = std::chrono::steady_clock::now();
      promise_.set_value();
    });
  }
  NextOnThread(const NextOnThread&) = delete;
  NextOnThread& operator=(const NextOnThread&) = delete;
  ~NextOnThread() {
    while (!finished_within(50ms)) unblock_();
    thread_.join();
  }

  // True when next() has returned within `timeout`.
  bool finished_within(std::chrono::milliseconds timeout) {
    return done_.wait_for(timeout) == std::future_status::ready;
  }
  bool finished_now() { return finished_within(0ms); }

  // Only valid once finished.
  const std::optional<Record>& result() const { return result_; }
  long voluntary_switches() const { return switches_; }
  std::chrono::microseconds cpu() const { return cpu_; }
  std::chrono::steady_clock::time_point returned_at() const { return returned_at_; }

 private:
  std::promise<void> promise_;
  std::future<void> done_;
  std::optional<Record> result_;
  long switches_ = 0;
  std::chrono::microseconds cpu_{0};
  std::chrono::steady_clock::time_point returned_at_;
  std::function<void()> unblock_;
  std::thread thread_;
};

}  // namespace

class TestStream : public QObject {
  Q_OBJECT

 private slots:
  void reads_in_offset_order_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<bool>("purge");
    QTest::addColumn<bool>("from_middle");
    for (Offset start : {Offset{0}, Offset{10}, Offset{100}})
      for (std::size_t segment : {std::size_t{1}, std::size_t{2}, std::size_t{10}})
        for (bool purge : {false, true})
          for (bool from_middle : {false, true})
            QTest::addRow("start %lld, segment %zu, %s, from %s", static_cast<long long>(start), segment,
                          purge ? "purged" : "no purge", from_middle ? "the middle" : "earliest")
                << start << segment << purge << from_middle;
  }
  void reads_in_offset_order() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(bool, purge);
    QFETCH(bool, from_middle);
    auto log = make_log({.start_offset = start, .segment_size = segment});
    const std::uint64_t written = purge ? 4 * segment + 1 : 2 * segment;
    write_upto(*log, start + static_cast<Offset>(written));
    const Expected expected{start, segment, written};
    const Offset from = from_middle ? (expected.earliest() + expected.next()) / 2 : expected.earliest();

    Stream stream = log->stream(from);
    QCOMPARE(stream.position(), from);
    QVERIFY(!stream.error());
    for (Offset o = from; o < expected.next(); ++o) {
      const std::optional<Record> record = stream.next();
      QVERIFY(record.has_value());
      QCOMPARE(record->offset(), o);
      QVERIFY(record->text() == payload_at(o));
      QCOMPARE(*record, *log->read(o));
      QCOMPARE(stream.position(), o + 1);
    }
    // Records written later keep coming, in order (each there when next() asks).
    for (Offset o = expected.next(); o < expected.next() + 3; ++o) {
      write_upto(*log, o + 1);
      const std::optional<Record> record = stream.next();
      QVERIFY(record.has_value());
      QCOMPARE(record->offset(), o);
    }
    QVERIFY(!stream.error());
  }

  void waits_for_future_records_without_polling() {
    auto log = make_log({.start_offset = 10});
    write_upto(*log, 12);
    Stream stream = log->stream(12);
    NextOnThread waiter(stream, [&] { (void)log->write("unblock"); });
    // Nothing is written for a while: next() must block, not return.
    QVERIFY(!waiter.finished_within(600ms));
    QVERIFY(log->write(payload_at(12)).has_value());
    if (!waiter.finished_within(kGenerous)) QFAIL("next() did not wake up on the write");
    QVERIFY(waiter.result().has_value());
    QCOMPARE(waiter.result()->offset(), Offset{12});
    QVERIFY(waiter.result()->text() == payload_at(12));
    QCOMPARE(stream.position(), Offset{13});
    qInfo("the waiting next() blocked %ld times and used %lld us of CPU", waiter.voluntary_switches(),
          static_cast<long long>(waiter.cpu().count()));
    // Blocking, not polling: a stream that slept and retried every 10 ms (as Go's does) would
    // have blocked ~60 times in 600 ms, and a spinning one would have burnt the CPU time.
    QVERIFY2(waiter.voluntary_switches() < 12,
             qPrintable(QStringLiteral("blocked %1 times").arg(waiter.voluntary_switches())));
    QVERIFY2(waiter.cpu() < 200ms, qPrintable(QStringLiteral("used %1 us of CPU").arg(waiter.cpu().count())));
  }

  void one_write_wakes_every_waiting_stream() {
    auto log = make_log({});
    std::vector<Stream> streams;
    streams.reserve(3);
    for (int i = 0; i < 3; ++i) streams.push_back(log->stream(0));
    std::vector<std::unique_ptr<NextOnThread>> waiters;
    waiters.reserve(streams.size());
    for (Stream& s : streams)
      waiters.push_back(std::make_unique<NextOnThread>(s, [&] { (void)log->write("unblock"); }));
    QVERIFY(!waiters.front()->finished_within(200ms));
    QVERIFY(log->write("wake up").has_value());
    for (auto& waiter : waiters) {
      if (!waiter->finished_within(kGenerous)) QFAIL("a waiting stream was not woken by the write");
      QCOMPARE(waiter->result()->text(), std::string_view("wake up"));
    }
  }

  void stop_cancels_a_waiting_next_promptly() {
    auto log = make_log({});
    write_upto(*log, 3);
    std::stop_source stop;
    Stream stream = log->stream(3, stop.get_token());
    NextOnThread waiter(stream, [&] { (void)log->write("unblock"); });
    QVERIFY(!waiter.finished_within(200ms));
    const auto requested = std::chrono::steady_clock::now();
    stop.request_stop();
    // No write comes: only the stop request can wake it.
    if (!waiter.finished_within(kGenerous)) QFAIL("a stop request did not wake the waiting next()");
    QVERIFY(!waiter.result().has_value());
    QCOMPARE(name_of(stream.error()), name_of(Errc::cancelled));
    QVERIFY(stream.ended());
    QCOMPARE(stream.position(), Offset{3});
    qInfo("cancelled next() returned %lld us after the stop request",
          static_cast<long long>(
              std::chrono::duration_cast<std::chrono::microseconds>(waiter.returned_at() - requested).count()));
  }

  void deadline_ends_a_waiting_next() {
    auto log = make_log({});
    write_upto(*log, 2);
    const auto deadline = std::chrono::steady_clock::now() + 300ms;
    Stream stream = log->stream(2, {}, deadline);
    NextOnThread waiter(stream, [&] { (void)log->write("unblock"); });
    if (!waiter.finished_within(kGenerous)) QFAIL("next() did not return at its deadline");
    QVERIFY(!waiter.result().has_value());
    QCOMPARE(name_of(stream.error()), name_of(Errc::deadline_exceeded));
    QVERIFY(waiter.returned_at() >= deadline);  // not before it
    QCOMPARE(stream.position(), Offset{2});
  }

  void deadline_in_the_future_lets_records_through() {
    auto log = make_log({});
    write_upto(*log, 5);
    std::stop_source stop;
    Stream stream = log->stream(0, stop.get_token(), std::chrono::steady_clock::now() + 1h);
    for (Offset o = 0; o < 5; ++o) QCOMPARE(stream.next()->offset(), o);
    QVERIFY(!stream.error());
  }

  // next() checks the stop_token, then the deadline, before it reads: even when the record at
  // position() exists, and whatever a read would have said.
  void checks_stop_then_deadline_before_reading_data() {
    QTest::addColumn<bool>("stopped");
    QTest::addColumn<bool>("deadline_passed");
    QTest::addColumn<int>("position");  // 0: record exists, 1: purged, 2: negative, 3: future
    QTest::addColumn<QByteArray>("error");
    const QByteArray cancelled = name_of(Errc::cancelled);
    const QByteArray deadline = name_of(Errc::deadline_exceeded);
    QTest::addRow("stop requested, record exists") << true << false << 0 << cancelled;
    QTest::addRow("deadline passed, record exists") << false << true << 0 << deadline;
    QTest::addRow("both: the stop wins") << true << true << 0 << cancelled;
    QTest::addRow("stop requested, position purged") << true << false << 1 << cancelled;
    QTest::addRow("deadline passed, position purged") << false << true << 1 << deadline;
    QTest::addRow("stop requested, position negative") << true << false << 2 << cancelled;
    QTest::addRow("deadline passed, position negative") << false << true << 2 << deadline;
    QTest::addRow("both, position future: the stop wins") << true << true << 3 << cancelled;
    QTest::addRow("neither, record exists: it is read") << false << false << 0 << QByteArray("ok");
    QTest::addRow("neither, position purged: out_of_range") << false << false << 1 << name_of(Errc::out_of_range);
  }
  void checks_stop_then_deadline_before_reading() {
    QFETCH(bool, stopped);
    QFETCH(bool, deadline_passed);
    QFETCH(int, position);
    QFETCH(QByteArray, error);
    auto log = make_log({.segment_size = 2});
    write_upto(*log, 7);  // retained: 4..6
    const Offset start = position == 0 ? 5 : position == 1 ? 1 : position == 2 ? -1 : 7;
    std::stop_source stop;
    if (stopped) stop.request_stop();
    const auto now = std::chrono::steady_clock::now();
    Stream stream = log->stream(start, stop.get_token(), deadline_passed ? now - 1s : now + 1h);
    const std::optional<Record> record = stream.next();
    QCOMPARE(name_of(stream.error()), error);
    QCOMPARE(record.has_value(), error == "ok");
    QCOMPARE(stream.position(), record ? start + 1 : start);
    if (record) QCOMPARE(record->offset(), start);
  }

  void stop_after_some_records() {
    auto log = make_log({});
    write_upto(*log, 10);
    std::stop_source stop;
    Stream stream = log->stream(0, stop.get_token());
    QCOMPARE(stream.next()->offset(), Offset{0});
    QCOMPARE(stream.next()->offset(), Offset{1});
    stop.request_stop();
    QVERIFY(!stream.next().has_value());  // offset 2 exists, but the stop comes first
    QCOMPARE(name_of(stream.error()), name_of(Errc::cancelled));
    QCOMPARE(stream.position(), Offset{2});
  }

  void out_of_range_when_overtaken_by_the_purge_data() {
    QTest::addColumn<std::size_t>("segment");
    for (std::size_t segment : {std::size_t{1}, std::size_t{2}, std::size_t{10}})
      QTest::addRow("segment %zu", segment) << segment;
  }
  void out_of_range_when_overtaken_by_the_purge() {
    QFETCH(std::size_t, segment);
    auto log = make_log({.start_offset = 10, .segment_size = segment});
    write_upto(*log, 10 + static_cast<Offset>(segment));
    Stream stream = log->stream(10);
    QCOMPARE(stream.next()->offset(), Offset{10});
    // The writers move on until offset 11 is purged.
    const auto end = 10 + static_cast<Offset>(3 * segment + 2);
    write_upto(*log, end);
    QCOMPARE(name_of(log->read(11).error()), name_of(Errc::out_of_range));
    QVERIFY(!stream.next().has_value());
    QCOMPARE(name_of(stream.error()), name_of(Errc::out_of_range));
    QCOMPARE(stream.position(), Offset{11});
  }

  void out_of_range_when_started_outside_the_log_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<Offset>("position");
    for (Offset start : {Offset{0}, Offset{10}, Offset{100}}) {
      if (start > 0)
        QTest::addRow("start %lld, one before the start", static_cast<long long>(start)) << start << start - 1;
      QTest::addRow("start %lld, -1", static_cast<long long>(start)) << start << Offset{-1};
      QTest::addRow("start %lld, INT64_MIN", static_cast<long long>(start)) << start << Offset{INT64_MIN};
      QTest::addRow("start %lld, purged", static_cast<long long>(start)) << start << start + 1;
    }
  }
  void out_of_range_when_started_outside_the_log() {
    QFETCH(Offset, start);
    QFETCH(Offset, position);
    auto log = make_log({.start_offset = start, .segment_size = 2});
    write_upto(*log, start + 7);  // purged up to start + 3
    std::stop_source stop;
    Stream stream = log->stream(position, stop.get_token());
    NextOnThread reader(stream, [&] { stop.request_stop(); });
    if (!reader.finished_within(kGenerous)) QFAIL("next() blocked on an offset that can never be read");
    QVERIFY(!reader.result().has_value());
    QCOMPARE(name_of(stream.error()), name_of(Errc::out_of_range));
    QCOMPARE(stream.position(), position);
  }

  void nullopt_forever_after_the_end_data() {
    QTest::addColumn<int>("how");
    QTest::addColumn<QByteArray>("error");
    QTest::addRow("cancelled") << 0 << name_of(Errc::cancelled);
    QTest::addRow("deadline exceeded") << 1 << name_of(Errc::deadline_exceeded);
    QTest::addRow("out of range") << 2 << name_of(Errc::out_of_range);
  }
  void nullopt_forever_after_the_end() {
    QFETCH(int, how);
    QFETCH(QByteArray, error);
    auto log = make_log({.segment_size = 2});
    write_upto(*log, 2);
    std::stop_source stop;
    const auto deadline = std::chrono::steady_clock::now() + (how == 1 ? -1s : 1h);
    Stream stream = log->stream(how == 2 ? -1 : 0, stop.get_token(), deadline);
    if (how == 0) stop.request_stop();
    QVERIFY(!stream.next().has_value());
    QCOMPARE(name_of(stream.error()), error);
    const Offset position = stream.position();
    // Whatever happens next, it stays ended with the same error and position.
    write_upto(*log, 4);
    for (int i = 0; i < 3; ++i) {
      QVERIFY(!stream.next().has_value());
      QCOMPARE(name_of(stream.error()), error);
      QCOMPARE(stream.position(), position);
      QVERIFY(stream.ended());
    }
    // Also when ended by something else first: range-for yields nothing.
    int iterations = 0;
    for (const Record& r : stream) {
      (void)r;
      ++iterations;
    }
    QCOMPARE(iterations, 0);
  }

  void range_for_reads_until_the_end() {
    auto log = make_log({.start_offset = 100, .segment_size = 4});
    write_upto(*log, 106);
    std::stop_source stop;
    std::vector<Offset> seen;
    for (const Record& r : log->stream(100, stop.get_token())) {
      QVERIFY(r.text() == payload_at(r.offset()));
      seen.push_back(r.offset());
      if (seen.size() == 6) stop.request_stop();  // ends the loop at the next step
    }
    QCOMPARE(seen, (std::vector<Offset>{100, 101, 102, 103, 104, 105}));

    // Range-for that waits for a writer on another thread, and stops by break.
    std::thread writer([&] { write_upto(*log, 108); });  // 2 more: never enough to purge 106
    seen.clear();
    for (const Record& r : log->stream(106)) {
      seen.push_back(r.offset());
      if (r.offset() == 107) break;
    }
    writer.join();
    QCOMPARE(seen, (std::vector<Offset>{106, 107}));
  }

  void range_for_ends_with_the_stream_error() {
    auto log = make_log({.segment_size = 1});
    write_upto(*log, 3);
    Stream stream = log->stream(1);
    std::vector<Offset> seen;
    int guard = 0;
    for (const Record& r : stream) {
      seen.push_back(r.offset());
      if (r.offset() == 1) write_upto(*log, 6);  // purges 2 before the loop gets there
      if (++guard > 10) break;
    }
    QCOMPARE(seen, std::vector<Offset>{1});
    QCOMPARE(name_of(stream.error()), name_of(Errc::out_of_range));
  }

  void stream_keeps_its_log_alive() {
    auto log = make_log({});
    write_upto(*log, 3);
    Stream stream = log->stream(0);
    std::weak_ptr<Log> weak = log;
    log.reset();
    QVERIFY(!weak.expired());
    for (Offset o = 0; o < 3; ++o) {
      const auto record = stream.next();
      QVERIFY(record.has_value());
      QVERIFY(record->text() == payload_at(o));
    }
    { Stream gone = std::move(stream); }
    QVERIFY(weak.expired());  // and lets it go with the stream
  }

  void moved_stream_continues() {
    auto log = make_log({});
    write_upto(*log, 4);
    Stream first = log->stream(0);
    QCOMPARE(first.next()->offset(), Offset{0});
    Stream second = std::move(first);
    QCOMPARE(second.position(), Offset{1});
    QCOMPARE(second.next()->offset(), Offset{1});
    Stream third = log->stream(3);
    third = std::move(second);
    QCOMPARE(third.next()->offset(), Offset{2});
  }
};

QTEST_GUILESS_MAIN(TestStream)
#include "tst_stream.moc"
