// SPDX-License-Identifier: MIT
// Tests of memlog::LogObserver and Subscription: events in the log's order (seal, then purge,
// then append, for the write that starts a new segment), their ranges and byte counts agreeing
// with the rules and with stats(), every event exactly once also with concurrent writers,
// callbacks that read the log, reset() stopping callbacks (also while another thread writes),
// and a subscription that outlives its log.
#include <QTest>

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core_test_support.hpp"

using memlog::Errc;
using memlog::Log;
using memlog::LogObserver;
using memlog::Offset;
using memlog::Subscription;
using test_support::name_of;
using namespace std::chrono_literals;

namespace {

struct Event {
  enum Kind { append, seal, purge } kind;
  Offset first;
  Offset last;
  std::size_t records = 0;  // purge only
  std::size_t bytes = 0;    // purge only
  friend bool operator==(const Event&, const Event&) = default;
};

QByteArray describe(const Event& e) {
  static const char* names[] = {"append", "seal", "purge"};
  QByteArray s = QByteArray(names[e.kind]) + '(' + QByteArray::number(e.first) + ".." + QByteArray::number(e.last);
  if (e.kind == Event::purge)
    s += ", " + QByteArray::number(qulonglong(e.records)) + " records, " + QByteArray::number(qulonglong(e.bytes)) +
         " B";
  return s + ')';
}

// Appends of consecutive offsets merged into one, so the comparison does not depend on whether
// the log reports appends one by one or in contiguous runs.
std::vector<Event> merged(const std::vector<Event>& events) {
  std::vector<Event> out;
  for (const Event& e : events) {
    if (e.kind == Event::append && !out.empty() && out.back().kind == Event::append && out.back().last + 1 == e.first)
      out.back().last = e.last;
    else
      out.push_back(e);
  }
  return out;
}

QByteArray first_difference(const std::vector<Event>& got, const std::vector<Event>& want) {
  for (std::size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    const QByteArray g = i < got.size() ? describe(got[i]) : QByteArray("nothing");
    const QByteArray w = i < want.size() ? describe(want[i]) : QByteArray("nothing");
    if (g != w) return "event " + QByteArray::number(qulonglong(i)) + ": got " + g + ", wanted " + w;
  }
  return {};
}

class Recorder : public LogObserver {
 public:
  void on_append(Offset first, Offset last) override { add({Event::append, first, last}); }
  void on_seal(Offset first, Offset last) override { add({Event::seal, first, last}); }
  void on_purge(Offset first, Offset last, std::size_t records, std::size_t bytes) override {
    add({Event::purge, first, last, records, bytes});
  }

  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::size_t count() const { return count_.load(); }
  int overlaps() const { return overlaps_.load(); }

 private:
  void add(const Event& e) {
    // No two callbacks of one log ever run at once.
    if (inside_.fetch_add(1) != 0) overlaps_.fetch_add(1);
    {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    }
    count_.fetch_add(1);
    inside_.fetch_sub(1);
  }

  mutable std::mutex mutex_;
  std::vector<Event> events_;
  std::atomic<std::size_t> count_{0};
  std::atomic<int> inside_{0};
  std::atomic<int> overlaps_{0};
};

std::size_t size_at(Offset offset) { return 1 + static_cast<std::size_t>(offset * 13 % 97); }

std::shared_ptr<Log> make_log(memlog::Options options) {
  auto log = Log::create(std::move(options));
  if (!log) qFatal("Log::create failed");
  return *log;
}

// The events the rules give for `written` writes: write k (offset o) that finds the active
// segment full seals [o - S, o - 1], purges [o - 2S, o - S - 1] when there was a history, and
// then appends o.
std::vector<Event> expected_events(Offset start, std::size_t segment, std::uint64_t written,
                                   std::size_t (*size)(Offset)) {
  const auto S = static_cast<Offset>(segment);
  std::vector<Event> events;
  for (std::uint64_t k = 0; k < written; ++k) {
    const Offset o = start + static_cast<Offset>(k);
    if (k > 0 && k % segment == 0) {
      events.push_back({Event::seal, o - S, o - 1});
      if (k >= 2 * segment) {
        std::size_t bytes = 0;
        for (Offset p = o - 2 * S; p < o - S; ++p) bytes += size(p);
        events.push_back({Event::purge, o - 2 * S, o - S - 1, segment, bytes});
      }
    }
    events.push_back({Event::append, o, o});
  }
  return merged(events);
}

}  // namespace

class TestObserver : public QObject {
  Q_OBJECT

 private slots:
  // A callback that writes to the log it observes would wait for the write lock it runs under.
  // Debug builds stop with a message that says why; release builds cannot check (NDEBUG).
  void observerWritingToItsOwnLogStopsInDebugBuilds() {
#ifdef NDEBUG
    QSKIP("asserts are compiled out of this build (the asan preset is a debug build and runs it)");
#else
    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
      struct Writer : memlog::LogObserver {
        std::weak_ptr<memlog::Log> log;
        void on_append(memlog::Offset, memlog::Offset) override {
          if (auto l = log.lock()) (void)l->write("again");
        }
      };
      std::signal(SIGABRT, SIG_DFL);  // not Qt Test's crash handler (it would print a stack trace)
      alarm(10);                      // a deadlock ends in SIGALRM, not in a hang
      auto log = *memlog::Log::create({.segment_size = 4});
      auto writer = std::make_shared<Writer>();
      writer->log = log;
      auto subscription = log->observe(writer);
      (void)log->write("first");
      _exit(0);  // not reached: the nested write must assert
    }
    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, qPrintable(QStringLiteral("status %1").arg(status)));
#endif
  }

  void events_follow_the_rules_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<std::uint64_t>("written");
    for (Offset start : {Offset{0}, Offset{10}, Offset{100}}) {
      for (std::size_t segment : {std::size_t{1}, std::size_t{2}, std::size_t{10}}) {
        QTest::addRow("start %lld, segment %zu, no purge", static_cast<long long>(start), segment)
            << start << segment << std::uint64_t{segment + 1};
        QTest::addRow("start %lld, segment %zu, purged", static_cast<long long>(start), segment)
            << start << segment << std::uint64_t{4 * segment + segment / 2 + 1};
      }
    }
  }
  void events_follow_the_rules() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(std::uint64_t, written);
    auto log = make_log({.start_offset = start, .segment_size = segment});
    auto recorder = std::make_shared<Recorder>();
    const Subscription subscription = log->observe(recorder);
    QVERIFY(subscription.active());
    for (std::uint64_t k = 0; k < written; ++k) {
      const Offset o = start + static_cast<Offset>(k);
      QVERIFY(log->write(test_support::payload(static_cast<std::uint64_t>(o), size_at(o))).has_value());
    }
    // Failed writes are no events.
    QVERIFY(!log->write(""));
    const std::vector<Event> got = merged(recorder->events());
    const std::vector<Event> want = expected_events(start, segment, written, size_at);
    const QByteArray difference = first_difference(got, want);
    QVERIFY2(difference.isEmpty(), difference.constData());
  }

  // Each write's events, checked against stats() taken just before and just after it.
  void events_agree_with_stats_data() {
    QTest::addColumn<std::size_t>("segment");
    for (std::size_t segment : {std::size_t{1}, std::size_t{2}, std::size_t{10}})
      QTest::addRow("segment %zu", segment) << segment;
  }
  void events_agree_with_stats() {
    QFETCH(std::size_t, segment);
    auto log = make_log({.start_offset = 10, .segment_size = segment});
    auto recorder = std::make_shared<Recorder>();
    const Subscription subscription = log->observe(recorder);
    std::uint64_t appended = 0;
    for (Offset o = 10; o < 10 + static_cast<Offset>(5 * segment + 1); ++o) {
      const memlog::Stats before = log->stats();
      const std::size_t seen = recorder->events().size();
      QVERIFY(log->write(test_support::payload(static_cast<std::uint64_t>(o), size_at(o))).has_value());
      const memlog::Stats after = log->stats();
      const std::vector<Event> all = recorder->events();
      const std::vector<Event> events(all.begin() + static_cast<std::ptrdiff_t>(seen), all.end());
      QVERIFY(!events.empty());
      std::size_t i = 0;
      if (after.segments_sealed > before.segments_sealed) {
        // The sealed segment is the active one as it was before the write.
        QCOMPARE(events[i].kind, Event::seal);
        QCOMPARE(events[i].first, before.next_offset - static_cast<Offset>(before.active_records));
        QCOMPARE(events[i].last, before.next_offset - 1);
        QCOMPARE(static_cast<std::size_t>(events[i].last - events[i].first + 1), after.history_records);
        QCOMPARE(after.range.earliest, events[i].first);  // it is now the history, the earliest retained
        ++i;
      }
      if (after.purges > before.purges) {
        // The purged segment is the history as it was before the write.
        QCOMPARE(events[i].kind, Event::purge);
        QCOMPARE(events[i].first, before.range.earliest);
        QCOMPARE(events[i].last, events[i - 1].first - 1);
        QCOMPARE(events[i].records, before.history_records);
        QCOMPARE(events[i].bytes, before.history_bytes);
        QCOMPARE(std::uint64_t{events[i].records}, after.records_purged - before.records_purged);
        ++i;
      }
      QCOMPARE(events.size(), i + 1);
      QCOMPARE(events[i].kind, Event::append);
      QCOMPARE(events[i].first, before.next_offset);
      QCOMPARE(events[i].last, after.next_offset - 1);
      appended += static_cast<std::uint64_t>(events[i].last - events[i].first + 1);
      QCOMPARE(appended, after.records_written);
    }
  }

  void reset_stops_callbacks() {
    auto log = make_log({.segment_size = 2});
    auto recorder = std::make_shared<Recorder>();
    std::weak_ptr<Recorder> weak = recorder;
    Subscription subscription = log->observe(recorder);
    recorder.reset();  // the subscription keeps it alive
    QVERIFY(log->write("one").has_value());
    QCOMPARE(weak.lock()->count(), std::size_t{1});
    subscription.reset();
    QVERIFY(!subscription.active());
    QVERIFY(weak.expired());                                              // the log let go of it
    for (int i = 0; i < 6; ++i) QVERIFY(log->write("more").has_value());  // seals and purges too
    subscription.reset();                                                 // twice is harmless

    // Destroying the Subscription unsubscribes as well; a moved-from one does nothing.
    auto kept = std::make_shared<Recorder>();
    auto dropped = std::make_shared<Recorder>();
    Subscription keep = log->observe(kept);
    {
      Subscription drop = log->observe(dropped);
      Subscription moved = std::move(keep);
      keep = std::move(moved);   // back again; `moved` is empty when it goes
      QVERIFY(!moved.active());  // NOLINT(bugprone-use-after-move): the moved-from state is what is checked
    }
    QVERIFY(keep.active());
    QVERIFY(log->write("last").has_value());
    QCOMPARE(kept->count(), std::size_t{1});
    QCOMPARE(dropped->count(), std::size_t{0});

    // Assigning over an active subscription ends it.
    auto other = std::make_shared<Recorder>();
    keep = log->observe(other);
    QCOMPARE(*log->write("after"), Offset{8});
    QCOMPARE(kept->count(), std::size_t{1});
    QCOMPARE(other->events().back(), (Event{Event::append, 8, 8}));
  }

  void several_observers_see_the_same_events() {
    auto log = make_log({.start_offset = 3, .segment_size = 3});
    auto a = std::make_shared<Recorder>();
    auto b = std::make_shared<Recorder>();
    Subscription sa = log->observe(a);
    const Subscription sb = log->observe(b);
    for (int i = 0; i < 10; ++i) QVERIFY(log->write(std::string(static_cast<std::size_t>(i + 1), 'x')).has_value());
    QVERIFY(a->events() == b->events());
    sa.reset();
    for (int i = 0; i < 5; ++i) QVERIFY(log->write("y").has_value());
    QCOMPARE(b->events().size(), a->events().size() + 5 + 1 + 1);  // 5 appends, a seal and a purge
  }

  void subscription_outlives_the_log() {
    auto log = make_log({});
    auto recorder = std::make_shared<Recorder>();
    std::weak_ptr<Recorder> weak = recorder;
    Subscription subscription = log->observe(std::move(recorder));
    QVERIFY(log->write("x").has_value());
    std::weak_ptr<Log> weak_log = log;
    log.reset();
    QVERIFY(weak_log.expired());  // a subscription does not keep the log alive
    QVERIFY(!subscription.active());
    QVERIFY(weak.expired());  // the log took its observers with it
    subscription.reset();     // harmless
    Subscription moved = std::move(subscription);
    QVERIFY(!moved.active());
  }

  void every_event_once_with_concurrent_writers() {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    constexpr int kPerWriter = 1500;
#else
    constexpr int kPerWriter = 20000;
#endif
    constexpr int kWriters = 3;
    constexpr std::size_t kSegment = 16;
    constexpr std::size_t kPayload = 24;
    auto log = make_log({.start_offset = 7, .segment_size = kSegment});
    auto recorder = std::make_shared<Recorder>();
    const Subscription subscription = log->observe(recorder);
    std::vector<std::thread> writers;
    writers.reserve(kWriters);
    std::atomic<int> failures{0};
    for (int w = 0; w < kWriters; ++w)
      writers.emplace_back([&, w] {
        for (int i = 0; i < kPerWriter; ++i)
          if (!log->write(test_support::payload(
                  static_cast<std::uint64_t>(w) * kPerWriter + static_cast<std::uint64_t>(i), kPayload)))
            failures.fetch_add(1);
      });
    for (auto& t : writers) t.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(recorder->overlaps(), 0);
    // Whoever wrote, the log's story is the one the rules tell for that many writes.
    const std::vector<Event> got = merged(recorder->events());
    const std::vector<Event> want =
        expected_events(7, kSegment, std::uint64_t{kWriters} * kPerWriter, [](Offset) { return kPayload; });
    const QByteArray difference = first_difference(got, want);
    QVERIFY2(difference.isEmpty(), difference.constData());
  }

  void reset_while_another_thread_writes() {
    auto log = make_log({.segment_size = 8});
    struct Checker : LogObserver {
      std::atomic<bool> reset_returned{false};
      std::atomic<int> late{0};
      std::atomic<int> calls{0};
      void on_append(Offset, Offset) override {
        if (reset_returned.load()) late.fetch_add(1);
        calls.fetch_add(1);
      }
    };
    auto checker = std::make_shared<Checker>();
    Subscription subscription = log->observe(checker);
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> written{0};
    std::thread writer([&] {
      while (!stop.load()) {
        if (log->write("tick")) written.fetch_add(1);
      }
    });
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (checker->calls.load() < 200 && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(1ms);
    subscription.reset();
    checker->reset_returned.store(true);
    const int calls_at_reset = checker->calls.load();
    const std::uint64_t written_at_reset = written.load();
    while (written.load() < written_at_reset + 200 && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(1ms);
    stop.store(true);
    writer.join();
    QVERIFY(calls_at_reset >= 200);
    QVERIFY(written.load() >= written_at_reset + 200);
    // After reset() returned, no callback ran.
    QCOMPARE(checker->late.load(), 0);
    QCOMPARE(checker->calls.load(), calls_at_reset);
  }

  // LogObserver's contract: a callback may read the log (read, read_batch, range, stats).
  // The writes run on a thread of their own so that a deadlock fails the test instead of
  // hanging it (the stuck thread is left behind, so these two are the suite's last tests).
  void callbacks_may_read_records() { run_reading_observer(false); }
  void callbacks_may_call_range_and_stats() { run_reading_observer(true); }

 private:
  void run_reading_observer(bool with_range_and_stats) {
    auto log = make_log({.start_offset = 5, .segment_size = 2});
    struct Reader : LogObserver {
      Reader(const Log& l, bool all) : log(l), range_and_stats(all) {}
      const Log& log;
      const bool range_and_stats;
      std::mutex mutex;
      QByteArray problems;
      int calls = 0;
      void note(bool ok, const char* what, Offset o) {
        std::lock_guard lock(mutex);
        ++calls;
        if (!ok) problems += QByteArray(what) + " at " + QByteArray::number(o) + "; ";
      }
      void on_append(Offset first, Offset last) override {
        const auto record = log.read(last);
        note(record.has_value() && record->offset() == last, "append: read(last) failed", last);
        std::vector<memlog::Record> out(1);
        note(log.read_batch(first, out).count == 1, "append: read_batch(first) failed", first);
        if (!range_and_stats) return;
        note(log.range().latest == last, "append: range().latest != last", last);
        note(log.stats().next_offset == last + 1, "append: stats().next_offset != last + 1", last);
      }
      void on_seal(Offset first, Offset last) override {
        // The sealed segment is the history now: still readable.
        note(log.read(first).has_value() && log.read(last).has_value(), "seal: sealed records not readable", first);
        if (!range_and_stats) return;
        note(log.range().earliest == first, "seal: range().earliest != first of the sealed segment", first);
        note(log.stats().history_records == static_cast<std::size_t>(last - first + 1), "seal: stats().history_records",
             first);
      }
      void on_purge(Offset first, Offset last, std::size_t, std::size_t) override {
        // Purged means gone.
        note(name_of(log.read(last).error()) == name_of(Errc::out_of_range), "purge: purged record still readable",
             last);
        if (!range_and_stats) return;
        note(log.range().earliest == last + 1, "purge: range().earliest != last + 1", first);
        note(log.stats().purges >= 1, "purge: stats().purges == 0", first);
      }
    };
    auto reader = std::make_shared<Reader>(*log, with_range_and_stats);
    // On the heap: if the writer thread is stuck holding the log's lock, unsubscribing would
    // block too, so a failing run leaks it on purpose.
    auto subscription = std::make_unique<Subscription>(log->observe(reader));

    auto finished = std::make_shared<std::promise<void>>();
    std::future<void> done = finished->get_future();
    std::thread([log, finished] {
      for (int i = 0; i < 9; ++i) (void)log->write("payload");  // seals and purges several times
      finished->set_value();
    }).detach();
    if (done.wait_for(20s) != std::future_status::ready) {
      (void)subscription.release();
      QFAIL(with_range_and_stats
                ? "a write whose observer calls range()/stats() in its callbacks never returned (deadlock)"
                : "a write whose observer calls read()/read_batch() in its callbacks never returned (deadlock)");
    }
    std::lock_guard lock(reader->mutex);
    QVERIFY2(reader->problems.isEmpty(), reader->problems.constData());
    QVERIFY(reader->calls > 0);
  }
};

QTEST_GUILESS_MAIN(TestObserver)
#include "tst_observer.moc"
