// SPDX-License-Identifier: MIT
// Bad input to the core: each invalid option, empty and oversized payloads, negative, purged,
// INT64_MAX and INT64_MIN offsets for read, read_batch and stream, empty and unknown keys.
// Each must give its error code as a value (no exception, no crash), and leave the log exactly
// as it was: stats and range compared before and after, then a good write still gets the next
// offset.
#include <QTest>

#include <climits>
#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

#include "core_test_support.hpp"

using memlog::Errc;
using memlog::Log;
using memlog::Offset;
using memlog::Record;
using memlog::ShardedLog;
using test_support::name_of;
using test_support::outcome;
using namespace std::chrono_literals;

namespace {

constexpr Offset kStart = 10;
constexpr std::size_t kSegment = 4;
constexpr std::size_t kMax = 64;
constexpr Offset kWritten = 11;  // offsets 10..20

// A log that has sealed and purged: start 10, segments of 4, 11 records (10..20). Seals at the
// writes of 14 and 18, a purge at 18: history 14..17, active 18..20.
std::shared_ptr<Log> prepared_log() {
  auto log = *Log::create({.start_offset = kStart, .segment_size = kSegment, .max_record_bytes = kMax});
  for (Offset o = 0; o < kWritten; ++o)
    if (!log->write(test_support::payload(static_cast<std::uint64_t>(o), 1 + static_cast<std::size_t>(o) * 5)))
      qFatal("write failed");
  return log;
}

bool same_stats(const memlog::Stats& a, const memlog::Stats& b) {
  return a.next_offset == b.next_offset && a.range == b.range && a.segment_size == b.segment_size &&
         a.active_records == b.active_records && a.history_records == b.history_records &&
         a.active_bytes == b.active_bytes && a.history_bytes == b.history_bytes &&
         a.records_written == b.records_written && a.records_purged == b.records_purged &&
         a.segments_sealed == b.segments_sealed && a.purges == b.purges && a.memory_bytes == b.memory_bytes;
}

// Offsets to try, named; `earliest - 1` is a purged offset of the prepared log.
void add_offset_rows(bool with_valid) {
  QTest::addColumn<Offset>("offset");
  QTest::addColumn<QByteArray>("error");
  const QByteArray out_of_range = name_of(Errc::out_of_range);
  const QByteArray future = name_of(Errc::future_offset);
  QTest::addRow("-1") << Offset{-1} << out_of_range;
  QTest::addRow("-100") << Offset{-100} << out_of_range;
  QTest::addRow("INT64_MIN") << Offset{INT64_MIN} << out_of_range;
  QTest::addRow("INT64_MIN + 1") << Offset{INT64_MIN + 1} << out_of_range;
  QTest::addRow("0 (before the start)") << Offset{0} << out_of_range;
  QTest::addRow("start - 1") << kStart - 1 << out_of_range;
  QTest::addRow("start (purged)") << kStart << out_of_range;
  QTest::addRow("earliest - 1 (purged)") << Offset{13} << out_of_range;
  QTest::addRow("next (the end)") << kStart + kWritten << future;
  QTest::addRow("next + 1") << kStart + kWritten + 1 << future;
  QTest::addRow("INT64_MAX") << Offset{INT64_MAX} << future;
  QTest::addRow("INT64_MAX - 1") << Offset{INT64_MAX - 1} << future;
  if (with_valid) QTest::addRow("earliest (valid)") << Offset{14} << QByteArray("ok");
}

}  // namespace

class TestBadInput : public QObject {
  Q_OBJECT

  std::shared_ptr<Log> log_;
  memlog::Stats stats_before_;
  memlog::Range range_before_;

  // The log is exactly as before, and still works: the next good write gets the next offset.
  void verify_unchanged() {
    QVERIFY(same_stats(log_->stats(), stats_before_));
    QCOMPARE(log_->range(), range_before_);
    const auto offset = log_->write("good");
    QVERIFY(offset.has_value());
    QCOMPARE(*offset, stats_before_.next_offset);
    QCOMPARE(log_->read(*offset)->text(), std::string_view("good"));
  }

 private slots:
  void init() {
    log_ = prepared_log();
    stats_before_ = log_->stats();
    range_before_ = log_->range();
    // The prepared log is what the comment above prepared_log() says.
    QCOMPARE(range_before_, (memlog::Range{14, 20}));
    QCOMPARE(stats_before_.purges, std::uint64_t{1});
  }
  void cleanup() { log_.reset(); }

  void invalid_log_options_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<std::size_t>("max_bytes");
    QTest::addRow("segment_size 0") << Offset{0} << std::size_t{0} << std::size_t{10};
    QTest::addRow("max_record_bytes 0") << Offset{0} << std::size_t{10} << std::size_t{0};
    QTest::addRow("start_offset -1") << Offset{-1} << std::size_t{10} << std::size_t{10};
    QTest::addRow("start_offset INT64_MIN") << Offset{INT64_MIN} << std::size_t{10} << std::size_t{10};
  }
  void invalid_log_options() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(std::size_t, max_bytes);
    QCOMPARE(outcome(Log::create({.start_offset = start, .segment_size = segment, .max_record_bytes = max_bytes})),
             name_of(Errc::invalid_options));
    // And the same Options inside ShardedOptions.
    memlog::ShardedOptions sharded;
    sharded.shards = 2;
    sharded.log = {.start_offset = start, .segment_size = segment, .max_record_bytes = max_bytes};
    QCOMPARE(outcome(ShardedLog::create(std::move(sharded))), name_of(Errc::invalid_options));
  }

  void invalid_sharded_options_data() {
    QTest::addColumn<std::size_t>("shards");
    QTest::addRow("0 shards") << std::size_t{0};
    QTest::addRow("1 shard") << std::size_t{1};
  }
  void invalid_sharded_options() {
    QFETCH(std::size_t, shards);
    memlog::ShardedOptions options;
    options.shards = shards;
    QCOMPARE(outcome(ShardedLog::create(std::move(options))), name_of(Errc::invalid_options));
  }

  void invalid_shard_counts_for_sharders() {
    const auto key = std::as_bytes(std::span{"k", 1});
    for (std::size_t shards : {std::size_t{0}, std::size_t{INT32_MAX} + 1, std::size_t{SIZE_MAX}})
      QCOMPARE(outcome(memlog::FnvSharder{}.shard(key, shards)), name_of(Errc::invalid_options));
    QCOMPARE(outcome(memlog::KeySharder({"k", "l"}).shard(key, 1)), name_of(Errc::invalid_options));
  }

  void bad_payloads_data() {
    QTest::addColumn<std::size_t>("size");
    QTest::addColumn<QByteArray>("error");
    QTest::addRow("empty") << std::size_t{0} << name_of(Errc::empty_record);
    QTest::addRow("one over the limit") << kMax + 1 << name_of(Errc::record_too_large);
    QTest::addRow("far over the limit (1 MiB)") << (std::size_t{1} << 20) << name_of(Errc::record_too_large);
  }
  void bad_payloads() {
    QFETCH(std::size_t, size);
    QFETCH(QByteArray, error);
    const std::string payload(size, 'p');
    QCOMPARE(outcome(log_->write(payload)), error);
    QCOMPARE(outcome(log_->write(std::as_bytes(std::span{payload.data(), payload.size()}))), error);
    verify_unchanged();
  }

  void empty_payload_forms() {
    QCOMPARE(outcome(log_->write(std::string_view{})), name_of(Errc::empty_record));
    QCOMPARE(outcome(log_->write(std::span<const std::byte>{})), name_of(Errc::empty_record));
    QCOMPARE(outcome(log_->write(std::span<const std::byte>{static_cast<const std::byte*>(nullptr), 0})),
             name_of(Errc::empty_record));
    QCOMPARE(outcome(log_->write("")), name_of(Errc::empty_record));
    verify_unchanged();
  }

  void read_bad_offsets_data() { add_offset_rows(true); }
  void read_bad_offsets() {
    QFETCH(Offset, offset);
    QFETCH(QByteArray, error);
    const auto got = log_->read(offset);
    QCOMPARE(outcome(got), error);
    if (got) QCOMPARE(got->offset(), offset);
    verify_unchanged();
  }

  void read_batch_bad_offsets_data() { add_offset_rows(false); }
  void read_batch_bad_offsets() {
    QFETCH(Offset, offset);
    QFETCH(QByteArray, error);
    for (std::size_t size : {std::size_t{1}, std::size_t{5}, std::size_t{100}}) {
      std::vector<Record> out(size);
      const memlog::BatchResult got = log_->read_batch(offset, out);
      QCOMPARE(name_of(got.error), error);
      QCOMPARE(got.count, std::size_t{0});
    }
    // An empty out is {0, ok} whatever the offset.
    const memlog::BatchResult empty = log_->read_batch(offset, {});
    QCOMPARE(name_of(empty.error), QByteArray("ok"));
    QCOMPARE(empty.count, std::size_t{0});
    verify_unchanged();
  }

  void stream_bad_offsets_data() { add_offset_rows(false); }
  void stream_bad_offsets() {
    QFETCH(Offset, offset);
    QFETCH(QByteArray, error);
    // Offsets that can never be read end the stream with out_of_range (not by waiting until the
    // deadline); future ones wait, here until the deadline (INT64_MAX will never be written).
    const auto deadline = std::chrono::steady_clock::now() + 300ms;
    memlog::Stream stream = log_->stream(offset, {}, deadline);
    QCOMPARE(stream.position(), offset);
    QVERIFY(!stream.next().has_value());
    const QByteArray want = error == name_of(Errc::future_offset) ? name_of(Errc::deadline_exceeded) : error;
    QCOMPARE(name_of(stream.error()), want);
    QCOMPARE(stream.position(), offset);
    QVERIFY(!stream.next().has_value());
    QCOMPARE(name_of(stream.error()), want);
    verify_unchanged();
  }

  void sharded_bad_keys() {
    memlog::ShardedOptions options;
    options.shards = 3;
    options.log.max_record_bytes = 8;
    auto sharded = *ShardedLog::create(std::move(options));
    QCOMPARE(outcome(sharded->write("", "x")), name_of(Errc::invalid_key));
    QCOMPARE(outcome(sharded->read("", 0)), name_of(Errc::invalid_key));
    QCOMPARE(outcome(sharded->read("", INT64_MIN)), name_of(Errc::invalid_key));  // the key is checked first
    QCOMPARE(outcome(sharded->write("k", "")), name_of(Errc::empty_record));
    QCOMPARE(outcome(sharded->write("k", "123456789")), name_of(Errc::record_too_large));
    QCOMPARE(outcome(sharded->read("k", INT64_MIN)), name_of(Errc::out_of_range));
    QCOMPARE(outcome(sharded->read("k", INT64_MAX)), name_of(Errc::future_offset));
    for (std::size_t i = 0; i < 3; ++i) {
      QVERIFY(sharded->shard(i).range().empty());
      QCOMPARE(sharded->shard(i).stats().records_written, std::uint64_t{0});
    }
    QCOMPARE(*sharded->write("k", "12345678"), Offset{0});

    auto keyed = *ShardedLog::create([] {
      memlog::ShardedOptions o;
      o.shards = 2;
      o.sharder = std::make_shared<memlog::KeySharder>(std::vector<std::string>{"a", "b"});
      return o;
    }());
    QCOMPARE(outcome(keyed->write("c", "x")), name_of(Errc::invalid_key));
    QCOMPARE(outcome(keyed->read("c", 0)), name_of(Errc::invalid_key));
    QVERIFY(keyed->shard(0).range().empty() && keyed->shard(1).range().empty());
  }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_bad_input.moc"
