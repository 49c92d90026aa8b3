// SPDX-License-Identifier: MIT
// Concurrency tests of memlog::Log: writers, readers, read_batch, stats and streams all at once.
// The invariants break if anything is lost, duplicated, torn or reordered:
// - every offset in [start, next) was handed to exactly one write (writers log what they got);
// - every payload carries its writer, sequence number and a checksum, and reads back byte for
//   byte as that writer wrote it;
// - each stream sees strictly increasing offsets with no gap until it ends, and only ends
//   with out_of_range when it really was overtaken by the purge;
// - every stats() snapshot satisfies the segment rules, and snapshots never go backwards.
// Sized for seconds on 2 cores, and scaled down under the sanitizers.
#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <random>
#include <stop_token>
#include <thread>
#include <vector>

#include "core_test_support.hpp"

using memlog::Errc;
using memlog::Log;
using memlog::Offset;
using memlog::Record;
using memlog::Stream;
using test_support::name_of;
using test_support::Tag;
using namespace std::chrono_literals;

namespace {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr std::uint32_t kPerWriter = 2000;
#else
constexpr std::uint32_t kPerWriter = 20000;
#endif
constexpr std::uint32_t kWriters = 3;
constexpr std::uint64_t kTotal = std::uint64_t{kWriters} * kPerWriter;
constexpr Offset kStart = 100;

// Collects failures from any thread; the test thread reports the first few.
class Problems {
 public:
  void add(QByteArray what) {
    std::lock_guard lock(mutex_);
    if (list_.size() < 10) list_.push_back(std::move(what));
    ++count_;
  }
  QByteArray summary() const {
    std::lock_guard lock(mutex_);
    QByteArray s;
    for (const QByteArray& p : list_) s += p + "; ";
    if (count_ > list_.size()) s += QByteArray::number(qulonglong(count_ - list_.size())) + " more";
    return s;
  }
  bool empty() const {
    std::lock_guard lock(mutex_);
    return count_ == 0;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<QByteArray> list_;
  std::size_t count_ = 0;
};

QByteArray at(const char* what, Offset offset) { return QByteArray(what) + " at " + QByteArray::number(offset); }

// One writer's log: offsets[i] is what its i-th write got.
struct WriterLog {
  std::vector<Offset> offsets;
};

// With a `gate`, writer 0 writes one record and then every writer waits for the gate to open
// (so a stream can be sure to read the first record before the purge runs).
void run_writer(Log& log, std::uint32_t writer, std::size_t payload_size, WriterLog& out, Problems& problems,
                const std::atomic<bool>* gate) {
  out.offsets.reserve(kPerWriter);
  for (std::uint32_t i = 0; i < kPerWriter; ++i) {
    if (gate != nullptr && i == (writer == 0 ? 1u : 0u)) gate->wait(false);
    const auto offset = log.write(test_support::tagged_payload({writer, i}, payload_size));
    if (!offset) {
      problems.add("write failed: " + name_of(offset.error()));
      return;
    }
    out.offsets.push_back(*offset);
  }
}

// The tag each offset must hold, from the writers' logs; also checks every offset in
// [start, start + total) was handed out exactly once.
std::vector<Tag> tags_by_offset(const std::vector<WriterLog>& writers, Problems& problems) {
  std::vector<Tag> tags(kTotal);
  std::vector<int> seen(kTotal, 0);
  for (std::uint32_t w = 0; w < writers.size(); ++w) {
    for (std::uint32_t i = 0; i < writers[w].offsets.size(); ++i) {
      const Offset o = writers[w].offsets[i];
      if (o < kStart || o >= kStart + static_cast<Offset>(kTotal)) {
        problems.add(at("offset outside [start, next)", o));
        continue;
      }
      const auto index = static_cast<std::size_t>(o - kStart);
      if (seen[index]++ != 0) problems.add(at("offset handed out twice", o));
      tags[index] = {w, i};
      // One writer's writes are ordered: its offsets increase.
      if (i > 0 && writers[w].offsets[i - 1] >= o) problems.add(at("a writer's offsets went backwards", o));
    }
  }
  for (std::size_t i = 0; i < kTotal; ++i)
    if (seen[i] == 0) problems.add(at("offset never handed out", kStart + static_cast<Offset>(i)));
  return tags;
}

// A record as read by any reader: its offset is the one asked for and its payload is intact.
bool check_record(const Record& record, Offset offset, std::size_t payload_size, Problems& problems) {
  Tag tag;
  if (record.offset() != offset) {
    problems.add(at("record with the wrong offset", offset));
    return false;
  }
  if (record.size() != payload_size || !test_support::decode(record.text(), tag) || tag.writer >= kWriters ||
      tag.sequence >= kPerWriter || record.text() != test_support::tagged_payload(tag, payload_size)) {
    problems.add(at("torn or corrupt payload", offset));
    return false;
  }
  return true;
}

// Checks each stats() snapshot against the segment rules and the one before it.
void check_stats(const memlog::Stats& s, const memlog::Stats& previous, std::size_t segment, std::size_t payload_size,
                 Problems& problems) {
  const auto fail = [&](const char* what) { problems.add(at(what, s.next_offset)); };
  const auto written = static_cast<std::uint64_t>(s.next_offset - kStart);
  if (s.records_written != written) fail("stats: records_written != next_offset - start");
  if (s.segment_size != segment) fail("stats: segment_size");
  if (s.active_records > segment) fail("stats: active_records > segment_size");
  if (written > 0 && s.active_records == 0) fail("stats: no active record after a write");
  if (s.history_records != (s.segments_sealed == 0 ? 0 : segment)) fail("stats: history_records");
  if (s.records_written != s.segments_sealed * segment + s.active_records)
    fail("stats: written != sealed * S + active");
  if (s.purges != (s.segments_sealed == 0 ? 0 : s.segments_sealed - 1)) fail("stats: purges != seals - 1");
  if (s.records_purged != s.purges * segment) fail("stats: records_purged != purges * S");
  if (s.active_bytes != s.active_records * payload_size) fail("stats: active_bytes");
  if (s.history_bytes != s.history_records * payload_size) fail("stats: history_bytes");
  if (written == 0 ? !s.range.empty()
                   : (s.range.latest != s.next_offset - 1 ||
                      s.range.earliest != s.next_offset - static_cast<Offset>(s.active_records + s.history_records)))
    fail("stats: range does not match the counts");
  if (s.next_offset < previous.next_offset || s.segments_sealed < previous.segments_sealed ||
      s.records_purged < previous.records_purged || s.range.earliest < previous.range.earliest)
    fail("stats: went backwards");
}

struct Config {
  std::size_t segment;
  std::size_t payload_size;
};

// Readers: random read() and read_batch() over (and around) the retained range, range() and
// stats() checks, until `done`.
void run_reader(const Log& log, std::uint64_t seed, const Config& config, const std::atomic<bool>& done,
                Problems& problems, std::atomic<std::uint64_t>& reads) {
  std::mt19937_64 rng(seed);
  std::vector<Record> batch(8);
  std::vector<Record> kept;  // copies held across purges, checked again at the end
  memlog::Stats previous_stats{};
  previous_stats.next_offset = kStart;
  memlog::Range previous_range{};
  std::uint64_t n = 0;
  while (!done.load(std::memory_order_relaxed) || n < 50) {
    ++n;
    const memlog::Range range = log.range();
    if (!range.empty()) {
      if (range.latest - range.earliest + 1 > static_cast<Offset>(2 * config.segment))
        problems.add(at("range wider than 2 segments", range.latest));
      if (range.earliest < previous_range.earliest || range.latest < previous_range.latest)
        problems.add(at("range went backwards", range.latest));
      previous_range = range;
    } else if (!previous_range.empty()) {
      problems.add("range empty again");
    }
    const Offset low = range.empty() ? kStart : range.earliest;
    const Offset high = range.empty() ? kStart : range.latest;
    const Offset offset = low - 2 + static_cast<Offset>(rng() % static_cast<std::uint64_t>(high - low + 5));
    switch (n % 4) {
      case 0:
      case 1: {
        const auto record = log.read(offset);
        if (record) {
          if (check_record(*record, offset, config.payload_size, problems) && kept.size() < 64 && rng() % 16 == 0)
            kept.push_back(*record);
        } else if (record.error() != Errc::future_offset && record.error() != Errc::out_of_range) {
          problems.add(at("read: unexpected error", offset));
        } else if (record.error() == Errc::future_offset && !range.empty() && offset <= high) {
          problems.add(at("read: future_offset for an offset already written", offset));
        }
        break;
      }
      case 2: {
        const memlog::BatchResult got = log.read_batch(offset, batch);
        for (std::size_t i = 0; i < got.count; ++i)
          check_record(batch[i], offset + static_cast<Offset>(i), config.payload_size, problems);
        if (got.count > batch.size()) problems.add(at("read_batch: count > size", offset));
        if (!got.error && got.count != batch.size()) problems.add(at("read_batch: short without an error", offset));
        if (got.error == Errc::future_offset && got.count == batch.size())
          problems.add(at("read_batch: future_offset but full", offset));
        if (got.error && got.error != Errc::future_offset && got.error != Errc::out_of_range)
          problems.add(at("read_batch: unexpected error", offset));
        break;
      }
      case 3: {
        const memlog::Stats s = log.stats();
        check_stats(s, previous_stats, config.segment, config.payload_size, problems);
        previous_stats = s;
        break;
      }
    }
  }
  // Copies taken long ago are still intact, whatever the purge did meanwhile.
  for (const Record& r : kept) check_record(r, r.offset(), config.payload_size, problems);
  reads.fetch_add(n);
}

// A stream from the start: strictly increasing offsets with no gap, intact payloads, until it
// has read `until` or ends. Returns the offsets it saw.
struct StreamResult {
  std::vector<Offset> offsets;
  std::error_code error;
  Offset position = -1;
};
StreamResult run_stream(Stream stream, Offset until, const Config& config, Problems& problems,
                        std::chrono::milliseconds pause) {
  StreamResult result;
  Offset expected = stream.position();
  while (expected < until) {
    if (pause > 0ms) std::this_thread::sleep_for(pause);
    const std::optional<Record> record = stream.next();
    if (!record) break;
    if (record->offset() != expected) problems.add(at("stream: gap or reorder", record->offset()));
    check_record(*record, record->offset(), config.payload_size, problems);
    result.offsets.push_back(record->offset());
    expected = record->offset() + 1;
  }
  result.error = stream.error();
  result.position = stream.position();
  return result;
}

}  // namespace

class TestConcurrency : public QObject {
  Q_OBJECT

 private slots:
  // Segments large enough that nothing is purged: every record is read back at the end.
  void everything_retained_data() {
    QTest::addColumn<std::size_t>("payload_size");
    QTest::addRow("inline payloads (24 B)") << std::size_t{24};
    QTest::addRow("shared payloads (100 B)") << std::size_t{100};
  }
  void everything_retained() {
    QFETCH(std::size_t, payload_size);
    // Two segments hold everything: one seal happens under load, no purge.
    const Config config{static_cast<std::size_t>(kTotal / 2 + 1), payload_size};
    auto log = *Log::create({.start_offset = kStart, .segment_size = config.segment});
    Problems problems;
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> reads{0};
    std::stop_source stop;  // only used to end stuck streams if the test fails

    std::vector<std::future<StreamResult>> streams;
    streams.reserve(2);
    for (int i = 0; i < 2; ++i)
      streams.push_back(std::async(std::launch::async, run_stream, log->stream(kStart, stop.get_token()),
                                   kStart + static_cast<Offset>(kTotal), std::cref(config), std::ref(problems), 0ms));
    std::vector<std::thread> readers;
    readers.reserve(2);
    for (int r = 0; r < 2; ++r)
      readers.emplace_back(run_reader, std::cref(*log), 1000 + r, std::cref(config), std::cref(done),
                           std::ref(problems), std::ref(reads));
    std::vector<WriterLog> writer_logs(kWriters);
    std::vector<std::thread> writers;
    for (std::uint32_t w = 0; w < kWriters; ++w)
      writers.emplace_back(run_writer, std::ref(*log), w, payload_size, std::ref(writer_logs[w]), std::ref(problems),
                           nullptr);
    for (auto& t : writers) t.join();
    done.store(true);
    for (auto& t : readers) t.join();

    // Streams must reach the end: a lost wake-up would leave one waiting forever.
    bool streams_finished = true;
    for (auto& s : streams) streams_finished = streams_finished && s.wait_for(60s) == std::future_status::ready;
    if (!streams_finished) stop.request_stop();
    std::vector<StreamResult> results;
    results.reserve(streams.size());
    for (auto& s : streams) results.push_back(s.get());
    QVERIFY2(streams_finished, "a stream did not get every record (lost wake-up?)");

    const std::vector<Tag> tags = tags_by_offset(writer_logs, problems);
    QVERIFY2(problems.empty(), problems.summary().constData());

    const memlog::Stats stats = log->stats();
    QCOMPARE(stats.next_offset, kStart + static_cast<Offset>(kTotal));
    QCOMPARE(stats.records_written, kTotal);
    QCOMPARE(stats.purges, std::uint64_t{0});
    QCOMPARE(log->range(), (memlog::Range{kStart, kStart + static_cast<Offset>(kTotal) - 1}));
    // Byte for byte what each writer wrote at the offset it was given.
    for (std::uint64_t i = 0; i < kTotal; ++i) {
      const Offset o = kStart + static_cast<Offset>(i);
      const auto record = log->read(o);
      QVERIFY(record.has_value());
      if (record->text() != test_support::tagged_payload(tags[i], payload_size))
        QFAIL(at("payload differs from what its writer wrote", o).constData());
    }
    // Each stream saw every offset once, in order.
    for (const StreamResult& r : results) {
      QCOMPARE(r.offsets.size(), std::size_t{kTotal});
      QVERIFY(!r.error);
      QCOMPARE(r.position, kStart + static_cast<Offset>(kTotal));
    }
    QVERIFY(reads.load() > 0);
  }

  // Small segments: the purge runs all the time under the readers and streams.
  void with_constant_purging_data() {
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<std::size_t>("payload_size");
    QTest::addRow("segment 16, inline payloads") << std::size_t{16} << std::size_t{24};
    QTest::addRow("segment 16, shared payloads") << std::size_t{16} << std::size_t{100};
    QTest::addRow("segment 1, shared payloads") << std::size_t{1} << std::size_t{64};
    QTest::addRow("segment 512, inline payloads (streams keep up longer)") << std::size_t{512} << std::size_t{16};
  }
  void with_constant_purging() {
    QFETCH(std::size_t, segment);
    QFETCH(std::size_t, payload_size);
    const Config config{segment, payload_size};
    auto log = *Log::create({.start_offset = kStart, .segment_size = segment});
    Problems problems;
    std::atomic<bool> done{false};
    std::atomic<std::uint64_t> reads{0};
    std::stop_source stop;
    const Offset end = kStart + static_cast<Offset>(kTotal);

    // A stream that keeps up as well as it can, and one slowed down on purpose (1 ms a record).
    auto fast = std::async(std::launch::async, run_stream, log->stream(kStart, stop.get_token()), end,
                           std::cref(config), std::ref(problems), 0ms);
    auto slow = std::async(std::launch::async, run_stream, log->stream(kStart, stop.get_token()), end,
                           std::cref(config), std::ref(problems), 1ms);
    // One that reads its first record (the writers wait for it), then sleeps until the writers
    // are done: by then its position is long purged, deterministically.
    std::atomic<bool> writers_done{false};
    std::atomic<bool> sleeper_has_read{false};
    auto sleeper = std::async(std::launch::async, [&] {
      Stream stream = log->stream(kStart, stop.get_token());
      StreamResult result;
      if (auto first = stream.next()) result.offsets.push_back(first->offset());
      sleeper_has_read.store(true);
      sleeper_has_read.notify_all();
      writers_done.wait(false);
      while (auto r = stream.next()) result.offsets.push_back(r->offset());
      result.error = stream.error();
      result.position = stream.position();
      return result;
    });

    std::vector<std::thread> readers;
    readers.reserve(2);
    for (int r = 0; r < 2; ++r)
      readers.emplace_back(run_reader, std::cref(*log), 2000 + r, std::cref(config), std::cref(done),
                           std::ref(problems), std::ref(reads));
    std::vector<WriterLog> writer_logs(kWriters);
    std::vector<std::thread> writers;
    for (std::uint32_t w = 0; w < kWriters; ++w)
      writers.emplace_back(run_writer, std::ref(*log), w, payload_size, std::ref(writer_logs[w]), std::ref(problems),
                           &sleeper_has_read);
    for (auto& t : writers) t.join();
    writers_done.store(true);
    writers_done.notify_all();
    done.store(true);
    for (auto& t : readers) t.join();

    bool finished = true;
    for (auto* f : {&fast, &slow, &sleeper}) finished = finished && f->wait_for(60s) == std::future_status::ready;
    if (!finished) stop.request_stop();
    const StreamResult fast_result = fast.get();
    const StreamResult slow_result = slow.get();
    const StreamResult sleeper_result = sleeper.get();
    QVERIFY2(finished, "a stream neither reached the end nor ended (lost wake-up?)");

    (void)tags_by_offset(writer_logs, problems);
    QVERIFY2(problems.empty(), problems.summary().constData());

    const memlog::Range range = log->range();
    QCOMPARE(range.latest, end - 1);
    for (const StreamResult* r : {&fast_result, &slow_result}) {
      // Either it read everything, or it was overtaken: out_of_range at a purged position.
      if (r->error) {
        QCOMPARE(name_of(r->error), name_of(Errc::out_of_range));
        QVERIFY(r->position < range.earliest);
      } else {
        QCOMPARE(r->position, end);
      }
      // No gap from the start up to where it ended (run_stream checked each step too).
      QCOMPARE(static_cast<Offset>(r->offsets.size()), r->position - kStart);
    }
    QCOMPARE(sleeper_result.offsets, std::vector<Offset>{kStart});
    QCOMPARE(name_of(sleeper_result.error), name_of(Errc::out_of_range));
    QCOMPARE(sleeper_result.position, kStart + 1);

    const memlog::Stats stats = log->stats();
    QCOMPARE(stats.records_written, kTotal);
    QVERIFY(stats.purges > 0);
    QCOMPARE(stats.history_records + stats.active_records, static_cast<std::size_t>(range.latest - range.earliest + 1));
    qInfo("fast stream read %zu, slow stream %zu records; readers did %llu operations", fast_result.offsets.size(),
          slow_result.offsets.size(), static_cast<unsigned long long>(reads.load()));
  }

  // Many threads each create, use and drop their own Records of one shared-payload log while
  // the writer recycles the slots: reference counts stay exact (ASan/TSan watch the frees).
  void records_shared_across_threads() {
    auto log = *Log::create({.segment_size = 4});
    const std::size_t size = 200;
    std::atomic<bool> done{false};
    Problems problems;
    std::vector<Record> shared_records;
    for (std::uint32_t i = 0; i < 4; ++i) {
      (void)log->write(test_support::tagged_payload({0, i}, size));
      shared_records.push_back(*log->read(i));
    }
    std::vector<std::thread> threads;
    threads.reserve(3);
    for (int t = 0; t < 3; ++t)
      threads.emplace_back([&] {
        std::uint64_t n = 0;
        while (!done.load() || n < 100) {
          ++n;
          std::vector<Record> copies(shared_records.begin(), shared_records.end());  // retain
          for (const Record& r : copies) check_record(r, r.offset(), size, problems);
          const memlog::Range range = log->range();
          if (auto r = log->read(range.latest)) {
            Tag tag;
            if (!test_support::decode(r->text(), tag)) problems.add("corrupt latest record");
          }
        }
      });
    for (std::uint32_t i = 4; i < kPerWriter / 4; ++i) (void)log->write(test_support::tagged_payload({0, i}, size));
    done.store(true);
    for (auto& t : threads) t.join();
    QVERIFY2(problems.empty(), problems.summary().constData());
    for (std::uint32_t i = 0; i < 4; ++i)
      QVERIFY(shared_records[i].text() == test_support::tagged_payload({0, i}, size));
  }
};

QTEST_GUILESS_MAIN(TestConcurrency)
#include "tst_concurrency.moc"
