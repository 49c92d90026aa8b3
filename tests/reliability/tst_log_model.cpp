// SPDX-License-Identifier: MIT
// Model-based randomized test: random sequences of operations on memlog::Log — writes of
// varied sizes (including empty and oversized), reads at random offsets (negative, purged,
// future, INT64_MAX/MIN), read_batch of random sizes, range, stats, streams — each checked
// against LogModel after every step. A failure prints its seed and the shortest failing
// sequence found by removing operations while it still fails.
#include <QTest>

#include <random>

#include "log_operations.hpp"

namespace {

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
constexpr int kSequencesPerRow = 150;
#else
constexpr int kSequencesPerRow = 600;
#endif
constexpr int kOpsPerSequence = 120;

}  // namespace

using namespace log_operations;

class TestLogModel : public QObject {
  Q_OBJECT

 private slots:
  void matchesModel_data() {
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("segmentSize");
    QTest::addColumn<qint64>("maxRecordBytes");
    QTest::addRow("start 0, segment 1, max 41") << qint64{0} << qint64{1} << qint64{41};
    QTest::addRow("start 0, segment 2, max 8") << qint64{0} << qint64{2} << qint64{8};
    QTest::addRow("start 10, segment 3, max 40") << qint64{10} << qint64{3} << qint64{40};
    QTest::addRow("start 100, segment 10, max 100") << qint64{100} << qint64{10} << qint64{100};
    QTest::addRow("start 7, segment 64, max 64") << qint64{7} << qint64{64} << qint64{64};
  }

  void matchesModel() {
    QFETCH(qint64, start);
    QFETCH(qint64, segmentSize);
    QFETCH(qint64, maxRecordBytes);
    const Config config{start, static_cast<std::size_t>(segmentSize), static_cast<std::size_t>(maxRecordBytes)};
    const std::uint64_t base_seed = qEnvironmentVariableIntValue("MEMLOG_MODEL_SEED") + 0x5eedull;
    for (int sequence = 0; sequence < kSequencesPerRow; ++sequence) {
      const std::uint64_t seed = base_seed + static_cast<std::uint64_t>(sequence);
      std::mt19937_64 rng(seed);
      const std::vector<Op> ops = generate(rng, config, kOpsPerSequence);
      if (const auto failure = run(ops, config)) {
        const std::vector<Op> shortest = shrink(ops, config);
        std::string text = "seed " + std::to_string(seed) + ": " + *failure + "\nshortest failing sequence (" +
                           std::to_string(shortest.size()) + " ops): " + run(shortest, config).value_or("?") + "\n";
        for (const Op& op : shortest) text += "  " + describe(op) + "\n";
        QFAIL(text.c_str());
      }
    }
  }

  // The checker itself must catch a wrong log: a model with another segment size disagrees.
  void modelDetectsADifferentLog() {
    const Config config{0, 3, 40};
    constexpr int kWrites = 10;
    std::vector<Op> ops;
    ops.reserve(kWrites + 1);  // and the stats
    for (int i = 0; i < kWrites; ++i) ops.push_back({Op::Kind::write, Target::retained, 5, i});
    ops.push_back({Op::Kind::stats});
    QVERIFY(!run(ops, config).has_value());
    // Same operations, but the model believes segments hold 4 records: stats must differ.
    auto log = *memlog::Log::create({.segment_size = 3});
    LogModel wrong(0, 4, 40);
    for (int i = 0; i < 10; ++i) {
      QVERIFY(log->write(payload_of(5, i)).has_value());
      QVERIFY(wrong.write(payload_of(5, i)).has_value());
    }
    QCOMPARE_NE(log->stats().history_records, wrong.stats().history_records);
  }
};

QTEST_GUILESS_MAIN(TestLogModel)
#include "tst_log_model.moc"
