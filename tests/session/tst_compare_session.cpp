// SPDX-License-Identifier: MIT
// CompareSession: a second log fed the monitor's records by a copier thread. Every record
// written to a after compare starts reaches b byte for byte and in order (an order-sensitive
// checksum folded by each log's own writer, so nothing escapes it whatever the purges do); b
// retains by its own segment size; the same consumers on both, a slow one overtaken only where
// the segments are small; the copier follows a's log when it is replaced; records purged before
// the copier read them are counted and skipped; stopping is prompt.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstring>

#include "adapter/log_session.hpp"
#include "compare/compare_session.hpp"
#include "compare/record_copier.hpp"

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
    QTRY_VERIFY_WITH_TIMEOUT(compare.copied() > 20000, kTimeout);
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
};

QTEST_GUILESS_MAIN(TestCompareSession)
#include "tst_compare_session.moc"
