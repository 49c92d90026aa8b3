// SPDX-License-Identifier: MIT
// CompareSession: a second log fed the monitor's records by a copier thread. Every record
// written to a after compare starts reaches b byte for byte and in order (an order-sensitive
// checksum folded by each log's own writer, so nothing escapes it whatever the purges do); b
// retains by its own segment size; the same consumers on both, a slow one overtaken only where
// the segments are small; the copier follows a's log when it is replaced; records purged before
// the copier read them are counted and skipped; stopping is prompt.
// Across shard counts (4 into 16, one log into 8, 4 into one log): every record once, each key's
// records in a's order, the figures summed over the shards; b's router keyed as a's records are;
// a's shown shard and a's replaced log leave the copy whole; consumers mirrored where they have
// a counterpart. The copier alone: several logs into one sink, each log's order kept, purged
// records counted per log.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <memlog/source/shard_key.hpp>

#include "adapter/log_session.hpp"
#include "compare/compare_session.hpp"
#include "compare/record_copier.hpp"

using namespace Qt::StringLiterals;
using memlog::Offset;
using memlog::sim::ConsumerStart;
using memlog::sim::ConsumerState;
using Side = CompareSession::Side;

namespace {
constexpr int kTimeout = 20000;

// Folds every record appended from `from` on into an FNV-1a checksum of (offset, size, bytes).
// It runs as the log's observer, on its writer's thread with the write lock held, so each
// record is read before any purge can drop it. Read the totals once the writers are quiet.
class Fold : public memlog::LogObserver {
 public:
  Fold(const memlog::Log& log, Offset from) : m_log(log), m_from(from) {}
  void on_append(Offset first, Offset last) override {
    for (Offset o = std::max(first, m_from); o <= last; ++o) {
      const auto record = m_log.read(o);
      if (!record) {
        m_broken.store(true);
        continue;
      }
      std::uint64_t h = m_hash.load(std::memory_order_relaxed);
      auto mix = [&h](const void* data, std::size_t size) {
        const auto* bytes = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) h = (h ^ bytes[i]) * 1099511628211ull;
      };
      const std::size_t size = record->data().size();
      mix(&o, sizeof o);
      mix(&size, sizeof size);
      mix(record->data().data(), size);
      m_hash.store(h, std::memory_order_relaxed);
      m_count.fetch_add(1, std::memory_order_release);
    }
  }
  std::uint64_t hash() const { return m_hash.load(std::memory_order_acquire); }
  std::uint64_t count() const { return m_count.load(std::memory_order_acquire); }
  bool broken() const { return m_broken.load(); }

 private:
  const memlog::Log& m_log;
  const Offset m_from;
  std::atomic<std::uint64_t> m_hash{14695981039346656037ull};
  std::atomic<std::uint64_t> m_count{0};
  std::atomic<bool> m_broken{false};
};

memlog::Options segments(std::size_t size) {
  memlog::Options options;
  options.segment_size = size;
  return options;
}

memlog::sim::SourceOptions source(double rate, memlog::sim::SourceKind kind = memlog::sim::SourceKind::sensor) {
  memlog::sim::SourceOptions options;
  options.kind = kind;
  options.rate = rate;
  return options;
}

memlog::sim::ConsumerOptions consumer(std::string name, double pace) {
  memlog::sim::ConsumerOptions options;
  options.name = std::move(name);
  options.pace = pace;
  options.start = ConsumerStart::earliest;
  return options;
}

const memlog::sim::ConsumerSnapshot* named(const std::vector<memlog::sim::ConsumerSnapshot>& list,
                                           const std::string& name) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const auto& s) { return s.name == name; });
  return it == list.end() ? nullptr : &*it;
}

// The records both logs retain, compared offset by offset.
bool sameRetained(const memlog::Log& a, const memlog::Log& b, Offset* compared) {
  const auto ra = a.range(), rb = b.range();
  *compared = 0;
  for (Offset o = std::max(ra.earliest, rb.earliest); o <= std::min(ra.latest, rb.latest); ++o) {
    const auto x = a.read(o), y = b.read(o);
    if (!x || !y || x->text() != y->text()) return false;
    ++*compared;
  }
  return true;
}

ShardingOptions shardsOf(int n, const QString& sharder = u"fnv"_s) {
  ShardingOptions options;
  options.shards = n;
  sharding::parseSharder(sharder, &options.sharder);
  return options;
}

// The logs a side's records are in: every shard, or its one log.
std::vector<std::shared_ptr<const memlog::Log>> logsOf(const LogSession& side) {
  std::vector<std::shared_ptr<const memlog::Log>> logs;
  if (const ShardSet* shards = side.shards())
    for (std::size_t i = 0; i < shards->log()->shard_count(); ++i) logs.push_back(shards->log()->shard_ptr(i));
  else
    logs.push_back(side.adapter()->log());
  return logs;
}

// What a side holds, by key: each key's records (their "seq", unique per record of the source)
// in the order its log holds them. A key lives on one shard, so that is the order it was
// written in. `complete` is false when a log purged any of its records (then nothing can be said).
struct Contents {
  std::map<std::string, std::vector<std::string>> byKey;
  std::size_t records = 0;
  std::set<std::string> seqs;
  bool complete = true;
};

void addRecords(const memlog::Log& log, const std::string& field, Contents* contents) {
  const memlog::Stats stats = log.stats();
  if (memlog::first_readable(stats) != log.options().start_offset) contents->complete = false;
  for (Offset o = memlog::first_readable(stats); o < stats.next_offset; ++o) {
    const auto record = log.read(o);
    if (!record) {
      contents->complete = false;
      continue;
    }
    const auto key = memlog::shard::extract_key(record->text(), field);
    const auto seq = memlog::shard::extract_key(record->text(), "seq");
    const std::string s = seq ? *seq : "?";
    contents->byKey[key ? *key : "(no key)"].push_back(s);
    contents->seqs.insert(s);
    ++contents->records;
  }
}

Contents contentsOf(const std::vector<std::shared_ptr<const memlog::Log>>& logs, const std::string& field) {
  Contents contents;
  for (const auto& log : logs) addRecords(*log, field, &contents);
  return contents;
}

// The first key whose records differ between a and b (missing, extra, duplicated, reordered),
// in words; empty when every key has the same records in the same order on both.
QString firstDifference(const Contents& a, const Contents& b) {
  std::set<std::string> keys;
  for (const auto& [key, seqs] : a.byKey) keys.insert(key);
  for (const auto& [key, seqs] : b.byKey) keys.insert(key);
  for (const std::string& key : keys) {
    const auto onA = a.byKey.find(key), onB = b.byKey.find(key);
    const std::vector<std::string> none;
    const auto& x = onA == a.byKey.end() ? none : onA->second;
    const auto& y = onB == b.byKey.end() ? none : onB->second;
    if (x == y) continue;
    std::size_t at = 0;
    while (at < x.size() && at < y.size() && x[at] == y[at]) ++at;
    return u"key %1: %2 records on a, %3 on b, first different at %4 (seq %5 on a, %6 on b)"_s
        .arg(QString::fromStdString(key))
        .arg(x.size())
        .arg(y.size())
        .arg(at)
        .arg(at < x.size() ? QString::fromStdString(x[at]) : u"none"_s)
        .arg(at < y.size() ? QString::fromStdString(y[at]) : u"none"_s);
  }
  return {};
}

// b holds every record a holds exactly once, each key's in a's order — a's records all since
// compare began (nothing purged on either side, checked). `uniqueSeqs`: a's records are all
// different (a source writing a log anew repeats its sequence numbers).
bool sameRecordsPerKey(const Contents& a, const Contents& b, QString* why, bool uniqueSeqs = true) {
  if (!a.complete || !b.complete) {
    *why = u"a log purged records: the comparison would be partial"_s;
    return false;
  }
  if (uniqueSeqs && a.seqs.size() != a.records) {
    *why = u"a's records have repeated seq numbers"_s;
    return false;
  }
  *why = firstDifference(a, b);
  if (why->isEmpty() && a.records != b.records) *why = u"%1 records on a, %2 on b"_s.arg(a.records).arg(b.records);
  return why->isEmpty();
}

std::int64_t retainedOf(const std::vector<std::shared_ptr<const memlog::Log>>& logs) {
  std::int64_t retained = 0;
  for (const auto& log : logs) {
    const memlog::Stats s = log->stats();
    retained += static_cast<std::int64_t>(s.active_records + s.history_records);
  }
  return retained;
}

// A RecordCopier sink that keeps what it is given (called on the copier's thread).
class Collected {
 public:
  RecordCopier::Sink sink() {
    return [this](std::span<const std::byte> data) {
      const std::lock_guard lock(m_mutex);
      m_records.emplace_back(reinterpret_cast<const char*>(data.data()), data.size());
      return true;
    };
  }
  std::vector<std::string> records() const {
    const std::lock_guard lock(m_mutex);
    return m_records;
  }

 private:
  mutable std::mutex m_mutex;
  std::vector<std::string> m_records;
};

// "log 3 record 17" -> (3, 17).
std::pair<int, int> logAndRecord(const std::string& text) {
  int log = -1, record = -1;
  std::sscanf(text.c_str(), "log %d record %d", &log, &record);
  return {log, record};
}

// Each log's records as the sink got them: per log, the record numbers in the order given.
std::map<int, std::vector<int>> perLog(const std::vector<std::string>& records) {
  std::map<int, std::vector<int>> logs;
  for (const std::string& text : records) {
    const auto [log, record] = logAndRecord(text);
    logs[log].push_back(record);
  }
  return logs;
}

std::vector<int> numbers(int from, int to) {  // from..to-1
  std::vector<int> all;
  for (int n = from; n < to; ++n) all.push_back(n);
  return all;
}

// Blocks the first write into the logs it observes until released: holds the copier inside its
// sink while the test does something else, so that the copier is certainly behind then.
class Gate : public memlog::LogObserver {
 public:
  void on_append(Offset, Offset) override {
    if (m_closed.exchange(false)) m_open.wait(false);
  }
  void open() {
    m_open.store(true);
    m_open.notify_all();
  }
  bool caught() const { return !m_closed.load(); }  // a write is held (or was)

 private:
  std::atomic<bool> m_closed{true};
  std::atomic<bool> m_open{false};
};
}  // namespace

class TestCompareSession : public QObject {
  Q_OBJECT

 private slots:
  void copiesEveryRecordInOrder_data() {
    QTest::addColumn<int>("segmentA");
    QTest::addColumn<int>("segmentB");
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("kind");
    QTest::addRow("segment 1000 into 100, sensor readings") << 1000 << 100 << 2000.0 << 0;
    QTest::addRow("segment 200 into 2000, inventory events") << 200 << 2000 << 1000.0 << 1;
    QTest::addRow("segment 4000 into 7, tickets at 8000/s") << 4000 << 7 << 8000.0 << 2;
  }
  void copiesEveryRecordInOrder() {
    QFETCH(int, segmentA);
    QFETCH(int, segmentB);
    QFETCH(double, rate);
    QFETCH(int, kind);
    LogSession a(segments(static_cast<std::size_t>(segmentA)),
                 source(rate, static_cast<memlog::sim::SourceKind>(kind)));
    a.source()->start();
    QTRY_VERIFY_WITH_TIMEOUT(a.adapter()->log()->stats().next_offset > 50, kTimeout);
    // Paused only while the folds subscribe, so that they see exactly the compared records.
    a.source()->pause();
    CompareSession compare(&a, segments(static_cast<std::size_t>(segmentB)));
    const auto logA = a.adapter()->log();
    const auto logB = compare.b()->adapter()->log();
    const Offset start = logA->stats().next_offset;
    QCOMPARE(logB->options().start_offset, start);
    QCOMPARE(logB->options().segment_size, static_cast<std::size_t>(segmentB));
    auto foldA = std::make_shared<Fold>(*logA, start);
    auto foldB = std::make_shared<Fold>(*logB, start);
    const memlog::Subscription subA = logA->observe(foldA);
    const memlog::Subscription subB = logB->observe(foldB);
    a.source()->resume();

    QTRY_VERIFY_WITH_TIMEOUT(logA->stats().next_offset >= start + 3000, kTimeout);
    a.source()->pause();
    const Offset end = logA->stats().next_offset;
    QTRY_COMPARE_WITH_TIMEOUT(compare.copied(), static_cast<std::uint64_t>(end - start), kTimeout);
    QCOMPARE(compare.lostToPurge(), 0u);
    QCOMPARE(logB->stats().next_offset, end);
    QVERIFY(!foldA->broken() && !foldB->broken());
    QCOMPARE(foldA->count(), static_cast<std::uint64_t>(end - start));
    QCOMPARE(foldB->count(), foldA->count());
    QCOMPARE(foldB->hash(), foldA->hash());
    QTRY_COMPARE_WITH_TIMEOUT(compare.copyLag(), 0, kTimeout);
  }

  void retainsByItsOwnSegmentSize() {
    LogSession a(segments(50), source(2000));
    CompareSession compare(&a, segments(500));
    a.source()->start();
    const auto logB = compare.b()->adapter()->log();
    QTRY_VERIFY_WITH_TIMEOUT(logB->stats().next_offset >= logB->options().start_offset + 1500, kTimeout);
    const memlog::Stats sa = a.adapter()->stats(), sb = logB->stats();
    QVERIFY(sa.active_records + sa.history_records <= 100);
    QVERIFY(sb.active_records + sb.history_records > 500);
    QVERIFY(sb.active_records + sb.history_records <= 1000);
    // The figures say so too, with a measured rate and memory to match.
    QTRY_VERIFY_WITH_TIMEOUT(compare.figures(Side::b).retainedRecords > 500, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(compare.figures(Side::a).retainedSeconds > 0, kTimeout);
    const CompareFigures& fa = compare.figures(Side::a);
    const CompareFigures& fb = compare.figures(Side::b);
    QCOMPARE(fa.segmentSize, 50u);
    QCOMPARE(fb.segmentSize, 500u);
    QCOMPARE(fa.maxRetainedRecords, 100);
    QCOMPARE(fb.maxRetainedRecords, 1000);
    QVERIFY(fa.retainedRecords <= 100);
    QVERIFY(fb.memoryBytes > fa.memoryBytes);
    QVERIFY(fa.purges > fb.purges);
    QVERIFY(fa.writeRate > 500 && fa.writeRate < 5000);
  }

  void slowConsumerOvertakenOnlyWithSmallSegments() {
    LogSession a(segments(50), source(500));
    a.consumers()->add(consumer("before", 10));
    CompareSession compare(&a, segments(5000));
    compare.addConsumer(consumer("both", 10));
    a.consumers()->add(consumer("later", 10));  // added to a alone: mirrored on b
    compare.b()->consumers()->refresh();
    const auto& onB = compare.b()->consumers()->snapshots();
    QCOMPARE(onB.size(), 3u);
    for (const char* name : {"before", "both", "later"}) {
      QVERIFY2(named(onB, name) != nullptr, name);
      QCOMPARE(named(onB, name)->pace, 10.0);
    }
    a.source()->start();
    auto overtakenOnA = [&] {
      const auto& consumers = compare.figures(Side::a).consumers;
      return consumers.size() == 3 && std::all_of(consumers.begin(), consumers.end(),
                                                  [](const auto& c) { return c.state == ConsumerState::fell_behind; });
    };
    QTRY_VERIFY_WITH_TIMEOUT(overtakenOnA(), kTimeout);
    const auto& onBNow = compare.figures(Side::b).consumers;
    QCOMPARE(onBNow.size(), 3u);
    for (std::size_t i = 0; i < onBNow.size(); ++i) {
      QCOMPARE(onBNow[i].name, compare.figures(Side::a).consumers[i].name);  // paired
      QVERIFY2(onBNow[i].state == ConsumerState::live || onBNow[i].state == ConsumerState::lagging,
               onBNow[i].name.c_str());
    }
    // Removed on a: gone from b too.
    a.consumers()->remove(a.consumers()->snapshots().front().id);
    compare.b()->consumers()->refresh();
    QCOMPARE(compare.b()->consumers()->snapshots().size(), 2u);
  }

  void followsReplacedLog_data() {
    QTest::addColumn<bool>("crash");
    QTest::addRow("reconfigured") << false;
    QTest::addRow("crashed and replayed") << true;
  }
  void followsReplacedLog() {
    QFETCH(bool, crash);
    LogSession a(segments(300), source(1000));
    a.consumers()->add(consumer("reader", 0));
    CompareSession compare(&a, segments(1000));
    a.source()->start();
    const auto oldB = compare.b()->adapter()->log();
    QTRY_VERIFY_WITH_TIMEOUT(compare.copied() > 200, kTimeout);
    if (crash) {
      QVERIFY(a.crashAndReplay() >= 0);
    } else {
      memlog::Options options = segments(150);
      QVERIFY(a.adapter()->reconfigure(options).isEmpty());
    }
    QVERIFY(compare.isCopying());
    const auto logA = a.adapter()->log();
    const auto logB = compare.b()->adapter()->log();
    QVERIFY(logB != oldB);
    QCOMPARE(logB->options().segment_size, 1000u);
    QCOMPARE(logB->options().start_offset, logA->options().start_offset);
    QTRY_VERIFY_WITH_TIMEOUT(logA->stats().next_offset >= logA->options().start_offset + 500, kTimeout);
    a.source()->pause();
    const Offset end = logA->stats().next_offset;
    QTRY_COMPARE_WITH_TIMEOUT(logB->stats().next_offset, end, kTimeout);
    QCOMPARE(compare.lostToPurge(), 0u);
    Offset compared = 0;
    QVERIFY(sameRetained(*logA, *logB, &compared));
    QVERIFY(compared >= 150);
  }

  // Purges are counted since compare began, across a's replaced log: the old log's and the new
  // one's, even when the new log has purged more than the old one by the first frame that shows it.
  void purgesCountAcrossAReplacedLog() {
    LogSession a(segments(10), source(0));
    CompareSession compare(&a, segments(1000));
    for (int n = 0; n < 45; ++n) a.source()->step();
    const std::uint64_t before = a.adapter()->log()->stats().purges;  // of the old log, all since compare began
    QVERIFY(before > 0);
    QVERIFY(a.adapter()->reconfigure(segments(2)).isEmpty());
    for (int n = 0; n < 200; ++n) a.source()->step();  // the new log: far more purges, before any frame
    const std::uint64_t after = a.adapter()->log()->stats().purges;
    QVERIFY(after > before);
    QTRY_COMPARE_WITH_TIMEOUT(compare.figures(Side::a).purges, before + after, kTimeout);
  }

  // A sharded b's shards start at 0, whatever offset a's log starts at.
  void shardedBStartsAtZero() {
    memlog::Options options = segments(100);
    options.start_offset = 5000;
    LogSession a(options, source(0));
    CompareSession compare(&a, options, shardsOf(4));  // a's options, as the window passes them
    for (std::size_t i = 0; i < 4; ++i) QCOMPARE(compare.b()->shards()->log()->shard(i).options().start_offset, 0);
  }

  void stoppingIsPrompt_data() {
    QTest::addColumn<double>("rate");
    QTest::addColumn<bool>("destroy");
    QTest::addRow("waiting for a record, stop()") << -1.0 << false;
    QTest::addRow("copying at 20000/s, stop()") << 20000.0 << false;
    QTest::addRow("copying unthrottled, destroyed") << 0.0 << true;
  }
  void stoppingIsPrompt() {
    QFETCH(double, rate);
    QFETCH(bool, destroy);
    LogSession a(segments(1000), source(std::max(rate, 0.0)));
    auto compare = std::make_unique<CompareSession>(&a, segments(100));
    if (rate >= 0) {
      a.source()->start();
      QTRY_VERIFY_WITH_TIMEOUT(compare->copied() > 100, kTimeout);
    } else {
      QTest::qWait(50);  // the copier is blocked in its stream's next()
    }
    const auto logB = compare->b()->adapter()->log();
    QElapsedTimer timer;
    timer.start();
    if (destroy)
      compare.reset();
    else
      compare->stop();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
    if (!destroy) {
      QVERIFY(!compare->isCopying());
      compare->stop();  // idempotent
    }
    // Nothing reaches b after the stop.
    a.source()->step();
    const Offset next = logB->stats().next_offset;
    QTest::qWait(100);
    QCOMPARE(logB->stats().next_offset, next);
  }

  void copierCountsRecordsPurgedBeforeItReadThem() {
    auto from = *memlog::Log::create(segments(5));
    auto to = *memlog::Log::create(segments(1000));
    for (int i = 0; i < 100; ++i) QVERIFY(from->write("record " + std::to_string(i)).has_value());  // 90..99 kept
    RecordCopier copier;
    copier.start(from, 0, to);
    QTRY_COMPARE_WITH_TIMEOUT(copier.copied(), 10u, kTimeout);
    QCOMPARE(copier.lost(), 90u);
    QCOMPARE(copier.position(), 100);
    QVERIFY(from->write("record 100").has_value());  // and it goes on live
    QTRY_COMPARE_WITH_TIMEOUT(copier.copied(), 11u, kTimeout);
    // The records it did copy, in order (`from` has purged some of them since).
    for (Offset o = 0; o < 11; ++o) QCOMPARE(std::string(to->read(o)->text()), "record " + std::to_string(90 + o));
    copier.stop();
    QVERIFY(!copier.running());
  }

  void lostRecordsAreSignalled() {
    // Segment 1 on a, unthrottled: the copier cannot keep every record before its purge. If
    // it happens to, nothing is lost and nothing may be signalled; both are checked.
    LogSession a(segments(1), source(0));
    CompareSession compare(&a, segments(1000));
    QSignalSpy lost(&compare, &CompareSession::lostToPurgeChanged);
    a.source()->start();
    // Gone through 20,000 records, copied or lost (how many of each depends on the machine's load).
    QTRY_VERIFY_WITH_TIMEOUT(compare.copied() + compare.lostToPurge() > 20000, kTimeout);
    a.source()->pause();
    QTRY_COMPARE_WITH_TIMEOUT(compare.copyLag(), 0, kTimeout);
    const auto logA = a.adapter()->log();
    QTRY_COMPARE_WITH_TIMEOUT(compare.copied() + compare.lostToPurge(),
                              static_cast<std::uint64_t>(logA->stats().next_offset - logA->options().start_offset),
                              kTimeout);
    if (compare.lostToPurge() == 0) {
      QVERIFY(lost.isEmpty());
      return;
    }
    // Signalled on a's frames: the last signal names the final total.
    QTRY_VERIFY_WITH_TIMEOUT(!lost.isEmpty() && lost.last().at(0).toULongLong() == compare.lostToPurge(), kTimeout);
  }

  // Several logs into one sink: every record once, each log's in its order, whether written
  // before the start or while it copies (a writer thread per log); it catches up (behind 0).
  void copierReadsEveryLogOnce_data() {
    QTest::addColumn<QList<int>>("counts");  // records per log, half before the start, half during
    QTest::addRow("two logs, 2000 each") << QList<int>{2000, 2000};
    QTest::addRow("one busy log among quiet ones") << QList<int>{6000, 3, 0, 7};
    QTest::addRow("sixteen logs, some empty") << QList<int>{500, 0, 1, 300, 0, 0, 999, 2, 257, 256, 0, 40, 0, 0, 0, 1};
  }
  void copierReadsEveryLogOnce() {
    QFETCH(QList<int>, counts);
    std::vector<std::shared_ptr<memlog::Log>> logs;
    std::vector<std::shared_ptr<const memlog::Log>> from;
    std::vector<Offset> at;
    for (qsizetype i = 0; i < counts.size(); ++i) {
      memlog::Options options = segments(10000);             // nothing purged
      options.start_offset = 1000 * static_cast<Offset>(i);  // each log's own offsets
      logs.push_back(*memlog::Log::create(options));
      from.push_back(logs.back());
      at.push_back(options.start_offset);
    }
    auto write = [&](std::size_t log, int first, int last) {
      for (int n = first; n < last; ++n)
        if (!logs[log]->write("log " + std::to_string(log) + " record " + std::to_string(n))) return;
    };
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < logs.size(); ++i) {
      write(i, 0, counts[static_cast<qsizetype>(i)] / 2);
      total += static_cast<std::uint64_t>(counts[static_cast<qsizetype>(i)]);
    }
    Collected collected;
    RecordCopier copier;
    copier.start(from, at, collected.sink());
    QVERIFY(copier.running());
    {
      std::vector<std::jthread> writers;
      for (std::size_t i = 0; i < logs.size(); ++i) {
        const int count = counts[static_cast<qsizetype>(i)];
        writers.emplace_back([&write, i, count] { write(i, count / 2, count); });
      }
    }
    QTRY_COMPARE_WITH_TIMEOUT(copier.copied(), total, kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(copier.behind(), 0, kTimeout);
    QCOMPARE(copier.lost(), 0u);
    QCOMPARE(copier.refused(), 0u);
    QCOMPARE(copier.position(), logs.front()->stats().next_offset);
    const auto got = perLog(collected.records());
    QCOMPARE(collected.records().size(), static_cast<std::size_t>(total));
    for (std::size_t i = 0; i < logs.size(); ++i) {
      const int count = counts[static_cast<qsizetype>(i)];
      const auto it = got.find(static_cast<int>(i));
      QCOMPARE(it == got.end() ? std::vector<int>{} : it->second, numbers(0, count));
    }
    copier.stop();
    QVERIFY(!copier.running());
    QCOMPARE(copier.behind(), 0);
  }

  // Waiting with nothing to read it sleeps (an append to any log wakes it); stop() ends it at
  // once there, and nothing is copied after.
  void copierStopsWhileItWaits() {
    std::vector<std::shared_ptr<memlog::Log>> logs(3);
    for (auto& log : logs) log = *memlog::Log::create(segments(100));
    Collected collected;
    RecordCopier copier;
    copier.start({logs.begin(), logs.end()}, {0, 0, 0}, collected.sink());
    QTest::qWait(50);
    QCOMPARE(copier.copied(), 0u);
    QVERIFY(logs[2]->write("log 2 record 0").has_value());  // the last log read: wakes it too
    QTRY_COMPARE_WITH_TIMEOUT(copier.copied(), 1u, kTimeout);
    QTest::qWait(50);  // waiting again
    QVERIFY(copier.running());
    QElapsedTimer timer;
    timer.start();
    copier.stop();
    // A stop that had to wait for an append would never return here: nothing is written.
    QVERIFY2(timer.elapsed() < kTimeout / 4, qPrintable(QString::number(timer.elapsed())));
    QVERIFY(!copier.running());
    for (auto& log : logs) QVERIFY(log->write("log 9 record 9").has_value());
    QTest::qWait(100);
    QCOMPARE(copier.copied(), 1u);
    QCOMPARE(collected.records(), std::vector<std::string>{"log 2 record 0"});
  }

  // Each log's purge counted for that log: segment 5 keeps 10 records of 100 (90 lost) and of
  // 20 (10 lost), none of 3; the rest copied in each log's order, and it goes on live.
  void copierCountsRecordsPurgedPerLog() {
    const std::vector<int> written{100, 20, 3};
    std::vector<std::shared_ptr<memlog::Log>> logs;
    for (std::size_t i = 0; i < written.size(); ++i) {
      logs.push_back(*memlog::Log::create(segments(5)));
      for (int n = 0; n < written[i]; ++n)
        QVERIFY(logs[i]->write("log " + std::to_string(i) + " record " + std::to_string(n)).has_value());
    }
    Collected collected;
    RecordCopier copier;
    copier.start({logs.begin(), logs.end()}, {0, 0, 0}, collected.sink());
    QTRY_COMPARE_WITH_TIMEOUT(copier.copied(), 23u, kTimeout);
    QCOMPARE(copier.lost(), 100u);
    QTRY_COMPARE_WITH_TIMEOUT(copier.behind(), 0, kTimeout);
    auto got = perLog(collected.records());
    QCOMPARE(got[0], numbers(90, 100));
    QCOMPARE(got[1], numbers(10, 20));
    QCOMPARE(got[2], numbers(0, 3));
    QVERIFY(logs[1]->write("log 1 record 20").has_value());
    QTRY_COMPARE_WITH_TIMEOUT(copier.copied(), 24u, kTimeout);
    QCOMPARE(copier.lost(), 100u);
    QCOMPARE(perLog(collected.records())[1].back(), 20);
  }

  // finish(): what the logs hold when it is called is copied, even while the copier is held in
  // its sink then (a slow second log); what is written after is not; then it has stopped.
  void copierFinishesWhatTheLogsHold() {
    std::vector<std::shared_ptr<memlog::Log>> logs;
    for (int i = 0; i < 2; ++i) {
      logs.push_back(*memlog::Log::create(segments(1000)));
      for (int n = 0; n < 500; ++n)
        QVERIFY(logs.back()->write("log " + std::to_string(i) + " record " + std::to_string(n)).has_value());
    }
    Collected collected;
    std::atomic<bool> open{false};
    RecordCopier copier;
    copier.start({logs.begin(), logs.end()}, {0, 0}, [&](std::span<const std::byte> data) {
      open.wait(false);  // held until the opener below: certainly behind when finish() is called
      return collected.sink()(data);
    });
    std::jthread opener([&open] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      open.store(true);
      open.notify_all();
    });
    copier.finish();
    QVERIFY(!copier.running());
    QCOMPARE(copier.copied(), 1000u);
    const auto got = perLog(collected.records());
    QCOMPARE(got.at(0), numbers(0, 500));
    QCOMPARE(got.at(1), numbers(0, 500));
    QVERIFY(logs[1]->write("log 1 record 500").has_value());
    QTest::qWait(50);
    QCOMPARE(copier.copied(), 1000u);
    copier.finish();  // stopped already: nothing to do
    copier.stop();
  }

  // Across shard counts: b holds every record a got, once, each key's in a's order; the figures
  // of a sharded side are its shards' summed.
  void copiesEveryRecordOncePerKey_data() {
    QTest::addColumn<int>("shardsA");  // 0 = one log
    QTest::addColumn<int>("shardsB");
    QTest::addRow("4 shards into 16") << 4 << 16;
    QTest::addRow("one log into 8 shards") << 0 << 8;
    QTest::addRow("4 shards into one log") << 4 << 0;
    QTest::addRow("16 shards into 4") << 16 << 4;
  }
  void copiesEveryRecordOncePerKey() {
    QFETCH(int, shardsA);
    QFETCH(int, shardsB);
    // Room for every record (about 2,500): nothing purged, on one log or on the busiest shard.
    const std::size_t segmentA = 4000, segmentB = shardsB > 0 ? 1000 : 5000;
    LogSession a(segments(segmentA), source(2000), shardsOf(shardsA));
    CompareSession compare(&a, segments(segmentB), shardsOf(shardsB));
    LogSession* b = compare.b();
    QCOMPARE(b->isSharded(), shardsB > 0);
    if (shardsB > 0) QCOMPARE(b->shards()->count(), shardsB);
    a.source()->start();
    QTRY_VERIFY_WITH_TIMEOUT(compare.copied() >= 2400, kTimeout);

    // While written: the load of each sharded side is known, and its retention is the shortest
    // any of its shards keeps a record (a frame of a refreshes the figures, from b's last sample).
    for (const Side side : {Side::a, Side::b}) {
      LogSession* session = side == Side::a ? &a : b;
      if (!session->isSharded()) continue;
      QTRY_VERIFY_WITH_TIMEOUT(compare.figures(side).skew > 0, kTimeout);
      QTRY_VERIFY_WITH_TIMEOUT(compare.figures(side).retainedSeconds > 0, kTimeout);
      a.frames()->tick();
      const CompareFigures& f = compare.figures(side);
      double shortest = -1;
      int shortestShard = -1;
      const auto& shards = session->shards()->current().shards;
      for (std::size_t i = 0; i < shards.size(); ++i) {
        if (shards[i].rate <= 0) continue;
        const double seconds = static_cast<double>(shards[i].retained()) / shards[i].rate;
        if (shortest < 0 || seconds < shortest) {
          shortest = seconds;
          shortestShard = static_cast<int>(i);
        }
      }
      QCOMPARE(f.shortestShard, shortestShard);
      QCOMPARE(f.retainedSeconds, shortest);
      QVERIFY(f.skew >= 1.0);
    }
    a.source()->pause();
    QTRY_COMPARE_WITH_TIMEOUT(compare.copyLag(), 0, kTimeout);
    QCOMPARE(compare.lostToPurge(), 0u);
    QCOMPARE(compare.refused(), 0u);

    const std::string field = a.routingKeyField();
    QCOMPARE(field, std::string("device"));
    const Contents onA = contentsOf(logsOf(a), field), onB = contentsOf(logsOf(*b), field);
    QString why;
    QVERIFY2(sameRecordsPerKey(onA, onB, &why), qPrintable(why));
    QCOMPARE(compare.copied(), static_cast<std::uint64_t>(onA.records));
    QCOMPARE(onA.byKey.size(), std::size_t{24});  // the sensors' 24 devices

    // The figures: b's summed over its shards, its maximum two segments per shard.
    QTRY_COMPARE_WITH_TIMEOUT(compare.figures(Side::b).retainedRecords, static_cast<std::int64_t>(onB.records),
                              kTimeout);
    QTRY_COMPARE_WITH_TIMEOUT(compare.figures(Side::a).retainedRecords, static_cast<std::int64_t>(onA.records),
                              kTimeout);
    for (const Side side : {Side::a, Side::b}) {
      const LogSession& session = side == Side::a ? a : *b;
      const int shards = side == Side::a ? shardsA : shardsB;
      const std::size_t segment = side == Side::a ? segmentA : segmentB;
      const CompareFigures& f = compare.figures(side);
      QCOMPARE(f.retainedRecords, retainedOf(logsOf(session)));
      QCOMPARE(f.shards, shards);
      QCOMPARE(f.segmentSize, segment);
      QCOMPARE(f.maxRetainedRecords,
               static_cast<std::int64_t>(2 * segment * static_cast<std::size_t>(std::max(1, shards))));
      QCOMPARE(f.sharder, std::string(shards > 0 ? "fnv" : ""));
      if (shards == 0) {
        QCOMPARE(f.skew, -1.0);
        QCOMPARE(f.shortestShard, -1);
      } else {
        QCOMPARE(f.nextOffset, Offset{-1});  // per shard, not one
      }
    }
  }

  // b's router keys the records by a's key field, and follows it when a's simulated system
  // changes (or a's sharding names one field for all).
  void keyFieldFollowsA_data() {
    QTest::addColumn<int>("shardsA");
    QTest::addColumn<QString>("keyField");  // named on a; empty = the simulation's natural key
    QTest::addColumn<QString>("before");    // sensor records
    QTest::addColumn<QString>("after");     // inventory records
    QTest::addRow("one log a, the natural key") << 0 << QString() << u"device"_s << u"sku"_s;
    QTest::addRow("4 shards, the natural key") << 4 << QString() << u"device"_s << u"sku"_s;
    QTest::addRow("4 shards keyed by \"type\"") << 4 << u"type"_s << u"type"_s << u"type"_s;
  }
  void keyFieldFollowsA() {
    QFETCH(int, shardsA);
    QFETCH(QString, keyField);
    QFETCH(QString, before);
    QFETCH(QString, after);
    ShardingOptions sharding = shardsOf(shardsA);
    sharding.keyField = keyField;
    LogSession a(segments(1000), source(0), sharding);
    CompareSession compare(&a, segments(1000), shardsOf(8));
    const auto router = compare.b()->shards()->router();
    QCOMPARE(QString::fromStdString(a.routingKeyField()), before);
    QCOMPARE(QString::fromStdString(router->key_field()), before);
    for (int n = 0; n < 96; ++n) a.source()->step();
    QTRY_COMPARE_WITH_TIMEOUT(compare.copied(), 96u, kTimeout);

    a.source()->setKind(memlog::sim::SourceKind::inventory);
    QCOMPARE(QString::fromStdString(a.routingKeyField()), after);
    QCOMPARE(QString::fromStdString(router->key_field()), after);
    for (int n = 0; n < 96; ++n) a.source()->step();
    QTRY_COMPARE_WITH_TIMEOUT(compare.copied(), 192u, kTimeout);
    QCOMPARE(compare.refused(), 0u);
    // Each record on the shard of its key — by the field of its time.
    const auto& log = *compare.b()->shards()->log();
    std::size_t inventory = 0;
    for (std::size_t i = 0; i < log.shard_count(); ++i) {
      for (const auto& text : [&] {
             std::vector<std::string> texts;
             const memlog::Stats s = log.shard(i).stats();
             for (Offset o = memlog::first_readable(s); o < s.next_offset; ++o)
               texts.emplace_back(log.shard(i).read(o)->text());
             return texts;
           }()) {
        const bool isInventory = text.find("inventory.movement") != std::string::npos;
        inventory += isInventory ? 1 : 0;
        const auto key = memlog::shard::extract_key(text, (isInventory ? after : before).toStdString());
        QVERIFY2(key.has_value(), text.c_str());
        QCOMPARE(*log.shard_of(*key), i);
      }
    }
    QCOMPARE(inventory, std::size_t{96});
  }

  // a's shown shard changing swaps a's adapter's log; the copier reads every shard and is not
  // restarted: nothing copied twice, nothing skipped, b (and a one log b's log) the same.
  void focusingAShardOfADisturbsNothing_data() {
    QTest::addColumn<int>("shardsB");
    QTest::addRow("into 16 shards") << 16;
    QTest::addRow("into one log") << 0;
  }
  void focusingAShardOfADisturbsNothing() {
    QFETCH(int, shardsB);
    LogSession a(segments(4000), source(2000), shardsOf(4));
    CompareSession compare(&a, segments(5000), shardsOf(shardsB));
    LogSession* b = compare.b();
    const auto bLog = b->adapter()->log();
    const auto bShards = b->isSharded() ? b->shards()->log() : nullptr;
    QSignalSpy replaced(a.adapter(), &LogAdapter::logReplaced);
    a.source()->start();
    QTRY_VERIFY_WITH_TIMEOUT(compare.copied() > 100, kTimeout);
    for (const int shard : {1, 2, 3, 0, 2}) {
      const std::uint64_t copied = compare.copied();
      a.focusShard(shard);
      QCOMPARE(a.shards()->focused(), shard);
      QVERIFY(compare.isCopying());
      QTRY_VERIFY_WITH_TIMEOUT(compare.copied() > copied + 100, kTimeout);
    }
    QVERIFY(replaced.count() >= 4);  // the shard shown did change
    a.source()->pause();
    QTRY_COMPARE_WITH_TIMEOUT(compare.copyLag(), 0, kTimeout);
    QVERIFY(compare.isCopying());
    QCOMPARE(compare.lostToPurge(), 0u);
    if (b->isSharded())
      QCOMPARE(b->shards()->log(), bShards);
    else
      QCOMPARE(b->adapter()->log(), bLog);  // not made again
    const Contents onA = contentsOf(logsOf(a), "device"), onB = contentsOf(logsOf(*b), "device");
    QString why;
    QVERIFY2(sameRecordsPerKey(onA, onB, &why), qPrintable(why));
    QCOMPARE(compare.copied(), static_cast<std::uint64_t>(onA.records));
  }

  // a's consumers on b: one of all shards has a counterpart anywhere; one of a single shard only
  // where the shards are the same (then of the same shard), else it is shown absent on b.
  void consumersMirroredAcrossShards_data() {
    QTest::addColumn<int>("shardsB");
    QTest::addColumn<int>("shard");  // the consumer's on a (4 shards); -1 = all
    QTest::addColumn<bool>("mirrored");
    QTest::addRow("all shards, into 16") << 16 << -1 << true;
    QTest::addRow("all shards, into one log") << 0 << -1 << true;
    QTest::addRow("shard 1, into 16") << 16 << 1 << false;
    QTest::addRow("shard 1, into one log") << 0 << 1 << false;
    QTest::addRow("shard 1, into 4 of another segment size") << 4 << 1 << true;
  }
  void consumersMirroredAcrossShards() {
    QFETCH(int, shardsB);
    QFETCH(int, shard);
    QFETCH(bool, mirrored);
    LogSession a(segments(100), source(200), shardsOf(4));
    memlog::sim::ConsumerOptions options = consumer("before", 0);
    options.shard = shard;
    a.consumers()->add(options);  // mirrored when compare begins
    CompareSession compare(&a, segments(1000), shardsOf(shardsB));
    LogSession* b = compare.b();
    options.name = "after";
    a.consumers()->add(options);  // mirrored as it is added
    options.name = "both";
    compare.addConsumer(options);  // added to both logs by compare mode: the same rule
    a.source()->start();
    for (const std::string name : {"before", "after", "both"}) {
      // A copy: the snapshots are replaced on every refresh (the QTRYs below let them run).
      b->consumers()->refresh();
      const auto* found = named(b->consumers()->snapshots(), name);
      QCOMPARE(found != nullptr, mirrored);
      const std::optional<memlog::sim::ConsumerSnapshot> onB = found != nullptr ? std::optional(*found) : std::nullopt;
      QTRY_VERIFY_WITH_TIMEOUT(named(compare.figures(Side::b).consumers, name) != nullptr, kTimeout);
      const memlog::sim::ConsumerSnapshot shown = *named(compare.figures(Side::b).consumers, name);
      QVERIFY(named(compare.figures(Side::a).consumers, name) != nullptr);
      if (!mirrored) {
        QCOMPARE(shown.id, CompareFigures::kAbsent);
        QCOMPARE(shown.state, ConsumerState::stopped);
        continue;
      }
      QCOMPARE(onB->shard, shard);  // the same shard (or all of them)
      QCOMPARE(onB->pace, 0.0);
      QVERIFY(shown.id != CompareFigures::kAbsent);
      if (shardsB > 0) {
        // It reads b's shards: all of them, or the one.
        const std::size_t expected = shard < 0 ? static_cast<std::size_t>(shardsB) : 1;
        QTRY_VERIFY_WITH_TIMEOUT(named(compare.figures(Side::b).consumers, name)->shards.size() == expected, kTimeout);
      }
      QTRY_VERIFY_WITH_TIMEOUT(named(compare.figures(Side::b).consumers, name)->consumed > 0, kTimeout);
    }
    QCOMPARE(compare.figures(Side::a).consumers.size(), compare.figures(Side::b).consumers.size());
    // Removed on a: gone from b (or from the figures, where it had no counterpart).
    a.consumers()->remove(a.consumers()->snapshots().front().id);
    b->consumers()->refresh();
    QCOMPARE(b->consumers()->snapshots().size(), mirrored ? 2u : 0u);
    QTRY_COMPARE_WITH_TIMEOUT(compare.figures(Side::b).consumers.size(), 2u, kTimeout);
  }

  // A one log a replaced (reconfigured) while b is sharded: b is not made again, it gets the
  // old log's records — all of them, even those the copier had not reached at the swap — and
  // then the new log's, each key's in order.
  void shardedBGoesOnWhenAsLogIsReplaced() {
    LogSession a(segments(5000), source(0));
    CompareSession compare(&a, segments(1000), shardsOf(8));
    LogSession* b = compare.b();
    const auto bShards = b->shards()->log();
    // Hold the copier in b's first write while a gets 1,000 records and is replaced: it is far
    // behind at the swap, as it can be on a busy machine. Released a moment after the swap began.
    std::vector<memlog::Subscription> held;
    const auto gate = std::make_shared<Gate>();
    for (std::size_t i = 0; i < bShards->shard_count(); ++i) held.push_back(bShards->shard_ptr(i)->observe(gate));
    const auto oldLog = a.adapter()->log();
    for (int n = 0; n < 1000; ++n) a.source()->step();
    QTRY_VERIFY_WITH_TIMEOUT(gate->caught(), kTimeout);
    std::jthread opener([gate] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      gate->open();
    });
    QVERIFY(a.adapter()->reconfigure(segments(2000)).isEmpty());
    opener.join();
    held.clear();
    QVERIFY(compare.isCopying());
    QCOMPARE(b->shards()->log(), bShards);  // the same shards, going on
    const auto newLog = a.adapter()->log();
    QVERIFY(newLog != oldLog);
    QTRY_COMPARE_WITH_TIMEOUT(compare.copied(), 1000u, kTimeout);

    const std::uint64_t before = compare.copied();
    for (int n = 0; n < 500; ++n) a.source()->step();
    QTRY_VERIFY_WITH_TIMEOUT(compare.copied() == before + 500, kTimeout);
    QCOMPARE(compare.lostToPurge(), 0u);
    QCOMPARE(compare.refused(), 0u);
    // Every record of both of a's logs, once, each key's in order: the old log's, then the new's.
    const Contents onA = contentsOf({oldLog, newLog}, "device"), onB = contentsOf(logsOf(*b), "device");
    QCOMPARE(onA.records, std::size_t{1500});
    QString why;
    QVERIFY2(sameRecordsPerKey(onA, onB, &why, false), qPrintable(why));
  }
};

QTEST_GUILESS_MAIN(TestCompareSession)
#include "tst_compare_session.moc"
