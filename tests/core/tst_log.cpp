// SPDX-License-Identifier: MIT
// Acceptance tests of memlog::Log and memlog::Record, one per line of CORE_API.md's
// "Semantics": create and options, write, read, range, read_batch, stats, the purge, Record
// values (equality, copies that outlive the purge and the log, inline and shared payloads)
// and the injected clock. Expectations come from test_support::Expected, the rules written
// as formulas, plus a few hand-worked examples.
#include <QTest>

#include <chrono>
#include <climits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core_test_support.hpp"

using memlog::Errc;
using memlog::Log;
using memlog::Offset;
using memlog::Range;
using memlog::Record;
using memlog::Timestamp;
using test_support::Expected;
using test_support::name_of;
using test_support::outcome;

namespace {

// Payload sizes vary with the offset, across the inline limit (40 bytes) and beyond it, so
// byte counts and both storage paths are exercised by every data row.
std::size_t size_at(Offset offset) { return 1 + static_cast<std::size_t>(offset * 7 % 61); }
std::string payload_at(Offset offset) {
  return test_support::payload(static_cast<std::uint64_t>(offset), size_at(offset));
}

std::shared_ptr<Log> make_log(memlog::Options options) {
  auto log = Log::create(std::move(options));
  if (!log) qFatal("Log::create failed: %s", log.error().message().c_str());
  return *log;
}

// Writes `count` records (payload_at) and checks each gets the next offset.
bool write_records(Log& log, Offset start, std::uint64_t count) {
  for (std::uint64_t k = 0; k < count; ++k) {
    const Offset want = start + static_cast<Offset>(k);
    const auto got = log.write(payload_at(want));
    if (!got || *got != want) {
      qWarning("write #%llu: wanted offset %lld, got %s", static_cast<unsigned long long>(k),
               static_cast<long long>(want), got ? std::to_string(*got).c_str() : got.error().message().c_str());
      return false;
    }
  }
  return true;
}

std::size_t bytes_between(Offset first, Offset end) {
  std::size_t sum = 0;
  for (Offset o = first; o < end; ++o) sum += size_at(o);
  return sum;
}

// Common rows: start offsets 0/10/100, segment sizes 1/2/10, with and without a purge.
void add_config_columns() {
  QTest::addColumn<Offset>("start");
  QTest::addColumn<std::size_t>("segment");
  QTest::addColumn<std::uint64_t>("written");
}

void add_config_rows() {
  for (Offset start : {Offset{0}, Offset{10}, Offset{100}}) {
    for (std::size_t segment : {std::size_t{1}, std::size_t{2}, std::size_t{10}}) {
      // Without a purge: one full segment, sealed, plus one record (at most 2 segments).
      const std::uint64_t no_purge = segment + 1;
      // With purges: several seals and a partly filled active segment.
      const std::uint64_t purged = 3 * segment + segment / 2 + 1;
      QTest::addRow("start %lld, segment %zu, no purge", static_cast<long long>(start), segment)
          << start << segment << no_purge;
      QTest::addRow("start %lld, segment %zu, purged", static_cast<long long>(start), segment)
          << start << segment << purged;
    }
  }
}

}  // namespace

class TestLog : public QObject {
  Q_OBJECT

 private slots:
  void error_category() {
    QCOMPARE(QByteArray(memlog::error_category().name()), QByteArrayLiteral("memlog"));
    for (int value = static_cast<int>(Errc::record_too_large); value <= static_cast<int>(Errc::invalid_key); ++value) {
      const auto errc = static_cast<Errc>(value);
      const std::error_code error = errc;  // is_error_code_enum: converts implicitly
      QCOMPARE(&error.category(), &memlog::error_category());
      QCOMPARE(error.value(), value);
      QVERIFY(error == errc);
      QVERIFY(error == make_error_code(errc));
      QVERIFY(!error.message().empty());
      QVERIFY(static_cast<bool>(error));  // no code is 0, so every one is an error
    }
    QVERIFY(make_error_code(Errc::future_offset) != make_error_code(Errc::out_of_range));
  }

  void create_accepts_valid_options_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<std::size_t>("max_bytes");
    for (Offset start : {Offset{0}, Offset{10}, Offset{100}})
      for (std::size_t segment : {std::size_t{1}, std::size_t{2}, std::size_t{10}})
        QTest::addRow("start %lld, segment %zu", static_cast<long long>(start), segment)
            << start << segment << std::size_t{1};
    QTest::addRow("defaults") << Offset{0} << std::size_t{1024} << (std::size_t{1} << 20);
    QTest::addRow("large start") << Offset{INT64_MAX / 2} << std::size_t{3} << std::size_t{5};
  }
  void create_accepts_valid_options() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(std::size_t, max_bytes);
    auto created = Log::create({.start_offset = start, .segment_size = segment, .max_record_bytes = max_bytes});
    QVERIFY(created.has_value());
    const Log& log = **created;
    // options() gives back exactly what create was given.
    QCOMPARE(log.options().start_offset, start);
    QCOMPARE(log.options().segment_size, segment);
    QCOMPARE(log.options().max_record_bytes, max_bytes);
    QVERIFY(!log.options().clock);
    // A new log is empty and starts at start_offset.
    QCOMPARE(log.range(), Range{});
    QVERIFY(log.range().empty());
    QCOMPARE(log.range().earliest, Offset{-1});
    QCOMPARE(log.range().latest, Offset{-1});
    const memlog::Stats stats = log.stats();
    QCOMPARE(stats.next_offset, start);
    QCOMPARE(stats.segment_size, segment);
    QCOMPARE(stats.active_records, std::size_t{0});
    QCOMPARE(stats.history_records, std::size_t{0});
    QCOMPARE(stats.records_written, std::uint64_t{0});
    QCOMPARE(outcome(log.read(start)), name_of(Errc::future_offset));
  }

  void create_default_options() {
    auto created = Log::create();
    QVERIFY(created.has_value());
    const memlog::Options& options = (*created)->options();
    QCOMPARE(options.start_offset, Offset{0});
    QCOMPARE(options.segment_size, std::size_t{1024});
    QCOMPARE(options.max_record_bytes, std::size_t{1} << 20);
    QVERIFY(!options.clock);
  }

  void create_rejects_invalid_options_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<std::size_t>("max_bytes");
    QTest::addRow("segment_size 0") << Offset{0} << std::size_t{0} << std::size_t{100};
    QTest::addRow("max_record_bytes 0") << Offset{0} << std::size_t{10} << std::size_t{0};
    QTest::addRow("start_offset -1") << Offset{-1} << std::size_t{10} << std::size_t{100};
    QTest::addRow("start_offset INT64_MIN") << Offset{INT64_MIN} << std::size_t{10} << std::size_t{100};
    QTest::addRow("all three") << Offset{-5} << std::size_t{0} << std::size_t{0};
  }
  void create_rejects_invalid_options() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(std::size_t, max_bytes);
    const auto created = Log::create({.start_offset = start, .segment_size = segment, .max_record_bytes = max_bytes});
    QCOMPARE(outcome(created), name_of(Errc::invalid_options));
  }

  void options_keep_the_clock() {
    const Timestamp fixed{std::chrono::seconds{1'700'000'000}};
    auto log =
        make_log({.start_offset = 7, .segment_size = 3, .max_record_bytes = 9, .clock = [fixed] { return fixed; }});
    QVERIFY(static_cast<bool>(log->options().clock));
    QCOMPARE(log->options().clock(), fixed);
    QCOMPARE(log->options().start_offset, Offset{7});
    QCOMPARE(log->options().segment_size, std::size_t{3});
    QCOMPARE(log->options().max_record_bytes, std::size_t{9});
  }

  // Offsets, range after every write, and every read outcome around the retained range.
  void write_and_read_data() {
    add_config_columns();
    add_config_rows();
  }
  void write_and_read() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(std::uint64_t, written);
    auto log = make_log({.start_offset = start, .segment_size = segment});
    for (std::uint64_t k = 0; k < written; ++k) {
      const Offset want = start + static_cast<Offset>(k);
      const auto got = log->write(payload_at(want));
      QVERIFY(got.has_value());
      QCOMPARE(*got, want);  // the first is start_offset, then one more each
      const Expected expected{start, segment, k + 1};
      QCOMPARE(log->range(), expected.range());
      // Never more than two segments retained.
      QVERIFY(static_cast<std::size_t>(log->range().latest - log->range().earliest + 1) <= 2 * segment);
    }
    const Expected expected{start, segment, written};
    // Negative, before the start, every retained or purged offset, the end and beyond.
    std::vector<Offset> offsets{-1, -2, INT64_MIN, INT64_MAX};
    for (Offset o = std::max<Offset>(0, start - 3); o <= expected.next() + 3; ++o) offsets.push_back(o);
    for (Offset o : offsets) {
      const auto got = log->read(o);
      QVERIFY2(outcome(got) == expected.read_outcome(o),
               qPrintable(QStringLiteral("read(%1) gave %2").arg(o).arg(QString::fromLatin1(outcome(got)))));
      if (got) {
        QCOMPARE(got->offset(), o);
        QVERIFY(got->text() == payload_at(o));  // byte for byte as written
        QCOMPARE(got->size(), size_at(o));
      }
    }
  }

  // A hand-worked example of the purge: start 10, segments of 3.
  void purge_drops_the_whole_history() {
    auto log = make_log({.start_offset = 10, .segment_size = 3});
    QVERIFY(write_records(*log, 10, 6));  // 10-12 sealed (history), 13-15 active: nothing purged
    QCOMPARE(log->range(), (Range{10, 15}));
    QVERIFY(log->read(10).has_value());
    QCOMPARE(log->stats().purges, std::uint64_t{0});
    QCOMPARE(log->stats().segments_sealed, std::uint64_t{1});

    QVERIFY(write_records(*log, 16, 1));  // 16 fills a new segment: 13-15 sealed, 10-12 purged whole
    QCOMPARE(log->range(), (Range{13, 16}));
    for (Offset o : {10, 11, 12}) QCOMPARE(outcome(log->read(o)), name_of(Errc::out_of_range));
    for (Offset o : {13, 14, 15, 16}) QCOMPARE(outcome(log->read(o)), QByteArrayLiteral("ok"));
    memlog::Stats stats = log->stats();
    QCOMPARE(stats.history_records, std::size_t{3});
    QCOMPARE(stats.active_records, std::size_t{1});
    QCOMPARE(stats.purges, std::uint64_t{1});
    QCOMPARE(stats.records_purged, std::uint64_t{3});
    QCOMPARE(stats.segments_sealed, std::uint64_t{2});

    QVERIFY(write_records(*log, 17, 2));  // 17, 18 fill the active segment: no purge yet
    QCOMPARE(log->range(), (Range{13, 18}));
    QVERIFY(write_records(*log, 19, 1));  // 19: 16-18 sealed, 13-15 purged
    QCOMPARE(log->range(), (Range{16, 19}));
    QCOMPARE(outcome(log->read(15)), name_of(Errc::out_of_range));
    stats = log->stats();
    QCOMPARE(stats.purges, std::uint64_t{2});
    QCOMPARE(stats.records_purged, std::uint64_t{6});
    QCOMPARE(stats.records_written, std::uint64_t{10});
  }

  void range_states() {
    auto log = make_log({.start_offset = 100, .segment_size = 2});
    QCOMPARE(log->range(), (Range{-1, -1}));  // empty
    QVERIFY(write_records(*log, 100, 1));
    QCOMPARE(log->range(), (Range{100, 100}));  // before any purge: {start, latest}
    QVERIFY(!log->range().empty());
    QVERIFY(write_records(*log, 101, 3));
    QCOMPARE(log->range(), (Range{100, 103}));
    QVERIFY(write_records(*log, 104, 1));
    QCOMPARE(log->range(), (Range{102, 104}));  // after: {first of history, latest}
  }

  void read_batch_data() {
    QTest::addColumn<Offset>("start");
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<std::uint64_t>("written");
    QTest::addColumn<int>("where");
    QTest::addColumn<std::size_t>("batch");
    // Where `from` points: 0 before the start, 1 earliest, 2 middle, 3 latest, 4 the end
    // (next offset), 5 purged (earliest - 1; only with a purge), 6 negative.
    static const char* where_names[] = {"before the start", "earliest", "middle",  "latest",
                                        "at the end",       "purged",   "negative"};
    for (Offset start : {Offset{0}, Offset{10}, Offset{100}}) {
      for (std::size_t segment : {std::size_t{1}, std::size_t{2}, std::size_t{10}}) {
        for (bool purge : {false, true}) {
          const std::uint64_t written = purge ? 3 * segment + segment / 2 + 1 : segment + 1;
          for (int where = 0; where <= 6; ++where) {
            if (where == 0 && start == 0) continue;  // no offset before 0 that is not negative
            if (where == 5 && !purge) continue;
            for (std::size_t batch : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{10}})
              QTest::addRow("start %lld, segment %zu, %s, from %s, batch %zu", static_cast<long long>(start), segment,
                            purge ? "purged" : "no purge", where_names[where], batch)
                  << start << segment << written << where << batch;
          }
        }
      }
    }
  }
  void read_batch() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(std::uint64_t, written);
    QFETCH(int, where);
    QFETCH(std::size_t, batch);
    auto log = make_log({.start_offset = start, .segment_size = segment});
    QVERIFY(write_records(*log, start, written));
    const Expected expected{start, segment, written};
    const Offset from = where == 0   ? start - 1
                        : where == 1 ? expected.earliest()
                        : where == 2 ? (expected.earliest() + expected.next()) / 2
                        : where == 3 ? expected.next() - 1
                        : where == 4 ? expected.next()
                        : where == 5 ? expected.earliest() - 1
                                     : Offset{-3};

    // The rule: an empty out is {0, ok}; a from that read() refuses gives {0, that error};
    // else min(batch, next - from) records, and future_offset when the end came first.
    std::size_t want_count = 0;
    QByteArray want_error = "ok";
    if (batch > 0) {
      want_error = expected.read_outcome(from);
      if (want_error == "ok") {
        want_count = std::min<std::size_t>(batch, static_cast<std::size_t>(expected.next() - from));
        if (want_count < batch) want_error = name_of(Errc::future_offset);
      }
    }
    std::vector<Record> out(batch);
    const memlog::BatchResult got = log->read_batch(from, out);
    QCOMPARE(name_of(got.error), want_error);
    QCOMPARE(got.count, want_count);
    for (std::size_t i = 0; i < got.count; ++i) {
      const Offset o = from + static_cast<Offset>(i);
      QCOMPARE(out[i].offset(), o);  // filled from index 0, in offset order
      QVERIFY(out[i].text() == payload_at(o));
      QCOMPARE(out[i], *log->read(o));  // the same record read() gives
    }
  }

  // read_batch reuses the Records it is given: stale shared payloads are replaced cleanly.
  void read_batch_overwrites_reused_records() {
    auto log = make_log({.segment_size = 100});
    QVERIFY(log->write(std::string(1000, 'x')).has_value());  // shared
    QVERIFY(log->write("small").has_value());                 // inline
    QVERIFY(log->write(std::string(500, 'y')).has_value());   // shared
    std::vector<Record> out(3);
    QCOMPARE(log->read_batch(0, out).count, std::size_t{3});
    QCOMPARE(log->read_batch(1, out).count, std::size_t{2});
    QCOMPARE(out[0].text(), std::string_view("small"));
    QCOMPARE(out[1].text(), std::string_view(std::string(500, 'y')));
    QCOMPARE(log->read_batch(0, out).count, std::size_t{3});
    QCOMPARE(out[0].text(), std::string_view(std::string(1000, 'x')));
    QCOMPARE(out[1].text(), std::string_view("small"));
  }

  // Every Stats field after every write, from the rules.
  void stats_follow_the_rules_data() {
    add_config_columns();
    add_config_rows();
  }
  void stats_follow_the_rules() {
    QFETCH(Offset, start);
    QFETCH(std::size_t, segment);
    QFETCH(std::uint64_t, written);
    auto log = make_log({.start_offset = start, .segment_size = segment});
    for (std::uint64_t k = 0; k <= written; ++k) {
      if (k > 0) QVERIFY(write_records(*log, start + static_cast<Offset>(k - 1), 1));
      const Expected e{start, segment, k};
      const memlog::Stats s = log->stats();
      QCOMPARE(s.next_offset, e.next());
      QCOMPARE(s.range, e.range());
      QCOMPARE(s.segment_size, segment);
      QCOMPARE(s.active_records, e.active_records());
      QCOMPARE(s.history_records, e.history_records());
      QCOMPARE(s.active_bytes, bytes_between(e.active_first(), e.next()));
      QCOMPARE(s.history_bytes,
               e.seals() == 0 ? 0 : bytes_between(e.active_first() - static_cast<Offset>(segment), e.active_first()));
      QCOMPARE(s.records_written, k);
      QCOMPARE(s.segments_sealed, e.seals());
      QCOMPARE(s.purges, e.purges());
      QCOMPARE(s.records_purged, e.purges() * segment);
    }
  }

  void failed_write_consumes_no_offset() {
    auto log = make_log({.start_offset = 10, .segment_size = 2, .max_record_bytes = 8});
    QCOMPARE(*log->write("first"), Offset{10});
    QCOMPARE(outcome(log->write("")), name_of(Errc::empty_record));
    QCOMPARE(outcome(log->write(std::span<const std::byte>{})), name_of(Errc::empty_record));
    QCOMPARE(outcome(log->write("nine byte")), name_of(Errc::record_too_large));
    QCOMPARE(*log->write("8 bytes!"), Offset{11});  // exactly the limit is fine
    QCOMPARE(log->stats().records_written, std::uint64_t{2});
    QCOMPARE(log->read(11)->text(), std::string_view("8 bytes!"));
  }

  void write_copies_the_payload_data() {
    QTest::addColumn<std::size_t>("size");
    QTest::addRow("1 byte (inline)") << std::size_t{1};
    QTest::addRow("40 bytes (inline limit)") << std::size_t{40};
    QTest::addRow("41 bytes (shared)") << std::size_t{41};
    QTest::addRow("1 MiB (shared)") << (std::size_t{1} << 20);
  }
  void write_copies_the_payload() {
    QFETCH(std::size_t, size);
    auto log = make_log({});
    std::string buffer = test_support::payload(1, size);
    const std::string original = buffer;
    QCOMPARE(*log->write(buffer), Offset{0});
    std::vector<std::byte> bytes(size, std::byte{0x5a});
    QCOMPARE(*log->write(std::span<const std::byte>(bytes)), Offset{1});
    // Changing (and freeing) the caller's buffers afterwards never changes a stored record.
    std::fill(buffer.begin(), buffer.end(), '#');
    std::fill(bytes.begin(), bytes.end(), std::byte{0});
    bytes.clear();
    bytes.shrink_to_fit();
    QVERIFY(log->read(0)->text() == original);
    const auto second = log->read(1);
    QCOMPARE(second->data().size(), size);
    QVERIFY(
        std::all_of(second->data().begin(), second->data().end(), [](std::byte b) { return b == std::byte{0x5a}; }));
  }

  void payload_sizes_round_trip_data() {
    QTest::addColumn<std::size_t>("size");
    for (std::size_t size : {1, 7, 8, 9, 39, 40, 41, 64, 1000, 65536}) QTest::addRow("%zu bytes", size) << size;
    QTest::addRow("1 MiB (the default limit)") << (std::size_t{1} << 20);
  }
  void payload_sizes_round_trip() {
    QFETCH(std::size_t, size);
    auto log = make_log({.segment_size = 4});
    std::vector<std::string> payloads;
    for (std::uint64_t seed = 0; seed < 3; ++seed) {
      payloads.push_back(test_support::payload(seed, size));
      QVERIFY(log->write(payloads.back()).has_value());
    }
    std::vector<Record> batch(3);
    QCOMPARE(log->read_batch(0, batch).count, std::size_t{3});
    for (std::size_t i = 0; i < 3; ++i) {
      const auto record = log->read(static_cast<Offset>(i));
      QVERIFY(record.has_value());
      QCOMPARE(record->size(), size);
      QCOMPARE(record->data().size(), size);
      QVERIFY(record->text() == payloads[i]);
      // text() and data() are the same bytes.
      QCOMPARE(static_cast<const void*>(record->text().data()), static_cast<const void*>(record->data().data()));
      QVERIFY(batch[i].text() == payloads[i]);
      QCOMPARE(batch[i], *record);
    }
  }

  void empty_record() {
    const Record record;
    QCOMPARE(record.offset(), Offset{-1});
    QCOMPARE(record.created(), Timestamp{});
    QVERIFY(record.data().empty());
    QVERIFY(record.text().empty());
    QCOMPARE(record, Record{});
  }

  void record_equality_data() {
    QTest::addColumn<std::size_t>("size");
    QTest::addRow("inline") << std::size_t{12};
    QTest::addRow("shared") << std::size_t{300};
  }
  void record_equality() {
    QFETCH(std::size_t, size);
    const Timestamp t1{std::chrono::seconds{1'000}};
    const Timestamp t2{std::chrono::seconds{2'000}};
    auto at_t1 = make_log({.clock = [t1] { return t1; }});
    auto also_t1 = make_log({.clock = [t1] { return t1; }});
    auto at_t2 = make_log({.clock = [t2] { return t2; }});
    const std::string a = test_support::payload(1, size);
    std::string b = a;
    b[size / 2] = static_cast<char>(b[size / 2] ^ 1);  // same size, one byte differs

    for (Log* log : {at_t1.get(), also_t1.get(), at_t2.get()}) {
      QVERIFY(log->write(a).has_value());  // offset 0
      QVERIFY(log->write(a).has_value());  // offset 1
    }
    QVERIFY(also_t1->write(b).has_value());  // offset 2
    QVERIFY(at_t1->write(a).has_value());    // offset 2

    const Record r = *at_t1->read(0);
    QCOMPARE(r, *also_t1->read(0));                    // same offset, created and bytes: equal, whichever log
    QCOMPARE(r, *at_t1->read(0));                      // read twice: equal
    QVERIFY(!(r == *at_t1->read(1)));                  // offset differs
    QVERIFY(!(r == *at_t2->read(0)));                  // created differs
    QVERIFY(!(*at_t1->read(2) == *also_t1->read(2)));  // bytes differ
    QVERIFY(!(r == Record{}));

    // Copies and moves keep the value.
    const Record copy = r;  // NOLINT(performance-unnecessary-copy-initialization): the copy is what is tested
    QCOMPARE(copy, r);
    Record assigned;
    assigned = r;
    QCOMPARE(assigned, r);
    Record moved = std::move(assigned);
    QCOMPARE(moved, r);
    QVERIFY(moved.text() == a);
  }

  void records_survive_purge_and_log_destruction_data() {
    QTest::addColumn<std::size_t>("size");
    QTest::addRow("inline 16 B") << std::size_t{16};
    QTest::addRow("shared 41 B") << std::size_t{41};
    QTest::addRow("shared 1 MiB") << (std::size_t{1} << 20);
  }
  void records_survive_purge_and_log_destruction() {
    QFETCH(std::size_t, size);
    auto log = make_log({.segment_size = 1});
    const std::string first = test_support::payload(10, size);
    QVERIFY(log->write(first).has_value());
    const Record read = *log->read(0);
    std::vector<Record> batch(1);
    QCOMPARE(log->read_batch(0, batch).count, std::size_t{1});
    const Record copy = read;

    // Overwrite the slots that held offset 0 several times over.
    for (std::uint64_t seed = 11; seed < 16; ++seed) QVERIFY(log->write(test_support::payload(seed, size)).has_value());
    QCOMPARE(outcome(log->read(0)), name_of(Errc::out_of_range));
    for (const Record* r : std::initializer_list<const Record*>{&read, &batch[0], &copy}) {
      QCOMPARE(r->offset(), Offset{0});
      QVERIFY(r->text() == first);
    }

    log.reset();  // the log is gone
    for (const Record* r : std::initializer_list<const Record*>{&read, &batch[0], &copy}) {
      QCOMPARE(r->offset(), Offset{0});
      QVERIFY(r->text() == first);
    }
    Record last_copy = batch[0];
    batch.clear();
    QVERIFY(last_copy.text() == first);
  }

  void injected_clock() {
    struct Ticks {
      std::mutex mutex;
      Timestamp last{};
      int calls = 0;
    };
    auto ticks = std::make_shared<Ticks>();
    auto log = make_log({.segment_size = 2, .clock = [ticks] {
                           std::lock_guard lock(ticks->mutex);
                           ++ticks->calls;
                           ticks->last = Timestamp{std::chrono::seconds{1'000'000}} +
                                         std::chrono::milliseconds{ticks->calls * 37};
                           return ticks->last;
                         }});
    for (int i = 0; i < 7; ++i) {
      const int calls_before = ticks->calls;
      const auto offset =
          log->write(test_support::payload(static_cast<std::uint64_t>(i), 10 + static_cast<std::size_t>(i) * 9));
      QVERIFY(offset.has_value());
      QVERIFY(ticks->calls > calls_before);  // the clock was asked
      // created is what the clock returned for this write (the last value it gave).
      if (log->range().earliest <= *offset) QCOMPARE(log->read(*offset)->created(), ticks->last);
      std::vector<Record> one(1);
      QCOMPARE(log->read_batch(*offset, one).count, std::size_t{1});
      QCOMPARE(one[0].created(), ticks->last);
    }
  }

  void default_clock_is_system_time() {
    auto log = make_log({});
    const Timestamp before = std::chrono::system_clock::now();
    QVERIFY(log->write("now").has_value());
    const Timestamp after = std::chrono::system_clock::now();
    const Timestamp created = log->read(0)->created();
    // The default clock is system_clock (maybe read through a calibrated counter): within a
    // second of the real time is all that is asserted, so a loaded machine cannot fail it.
    QVERIFY(created >= before - std::chrono::seconds{1});
    QVERIFY(created <= after + std::chrono::seconds{1});
  }
};

QTEST_GUILESS_MAIN(TestLog)
#include "tst_log.moc"
