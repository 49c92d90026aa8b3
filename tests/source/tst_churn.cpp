// SPDX-License-Identifier: MIT
// Churn: while the source writes unthrottled, the log is replaced (reconfigured, or crashed
// and replayed at a checkpoint), consumers are added and removed, and the source is paused
// and resumed — hundreds of times. What LogSession does, without Qt, so that the tsan and
// asan presets run it: no report, no leak, and the invariants hold after every round.
#include <QTest>

#include <memlog/source/consumer.hpp>
#include <memlog/source/legacy_source.hpp>

#include <random>

using memlog::sim::ConsumerGroup;
using memlog::sim::ConsumerStart;
using memlog::sim::LegacySource;

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 150;
#else
constexpr int kRounds = 400;
#endif

class TestChurn : public QObject {
  Q_OBJECT

 private slots:
  void churnWhileTheSourceRunsUnthrottled() {
    std::mt19937 rng(2024);
    auto log = *memlog::Log::create({.segment_size = 64});
    LegacySource source(log, {.kind = memlog::sim::SourceKind::tickets, .seed = 11, .rate = 0});
    ConsumerGroup consumers(log);
    std::vector<int> ids;
    source.start();

    for (int round = 0; round < kRounds; ++round) {
      switch (rng() % 6) {
        case 0: {  // reconfigure: a new log with another segment size
          source.stop();
          consumers.stop_all();
          log = *memlog::Log::create({.segment_size = 1 + rng() % 200});
          source.attach(log, static_cast<std::uint64_t>(log->stats().next_offset));
          consumers.attach(log, false);
          source.start();
          break;
        }
        case 1: {  // crash and replay from the lowest checkpoint
          source.stop();
          consumers.stop_all();
          memlog::Offset checkpoint = consumers.lowest_checkpoint();
          if (checkpoint < 0) checkpoint = log->stats().next_offset;
          log = *memlog::Log::create({.start_offset = checkpoint, .segment_size = log->options().segment_size});
          source.attach(log, static_cast<std::uint64_t>(checkpoint));
          consumers.attach(log, true);
          source.start();
          break;
        }
        case 2:
          ids.push_back(consumers.add({.name = "",
                                       .pace = rng() % 2 ? 0.0 : 2000.0,
                                       .start = static_cast<ConsumerStart>(rng() % 2),
                                       .offset = 0}));
          break;
        case 3:
          if (!ids.empty()) {
            const std::size_t i = rng() % ids.size();
            QVERIFY(consumers.remove(ids[i]));
            ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(i));
          }
          break;
        case 4:
          source.pause();
          source.resume();
          break;
        case 5:
          if (!ids.empty()) QVERIFY(consumers.resume(ids[rng() % ids.size()], rng() % 2 != 0));
          break;
      }
      // Invariants: the log is consistent and the source's durable mapping holds.
      const memlog::Stats s = log->stats();
      QVERIFY(s.active_records <= s.segment_size);
      QVERIFY(s.history_records <= s.segment_size);
      QCOMPARE(static_cast<std::size_t>(consumers.snapshots().size()), ids.size());
      if (!s.range.empty()) {
        auto latest = log->read(s.range.latest);
        if (latest) {
          const std::string expected = memlog::sim::make_payload(memlog::sim::SourceKind::tickets, 11,
                                                                 static_cast<std::uint64_t>(s.range.latest));
          QCOMPARE(std::string(latest->text()), expected);  // record n is always the same
        }
      }
    }
    source.stop();
    consumers.stop_all();
    QVERIFY(source.counters().written > 0);
  }
};

QTEST_GUILESS_MAIN(TestChurn)
#include "tst_churn.moc"
