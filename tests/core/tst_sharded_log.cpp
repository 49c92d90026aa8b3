// SPDX-License-Identifier: MIT
// Acceptance tests of the sharders and memlog::ShardedLog: FnvSharder bit-compatible with Go
// memlog (checked against an independent FNV-1a 32 written here and against known vectors),
// KeySharder's rules, ShardedLog's errors (options, empty key, a sharder's own error passed
// through, an out-of-range index), and shards as independent logs.
#include <QTest>

#include <climits>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core_test_support.hpp"

using memlog::Errc;
using memlog::FnvSharder;
using memlog::KeySharder;
using memlog::Offset;
using memlog::Range;
using memlog::Result;
using memlog::ShardedLog;
using memlog::ShardedOptions;
using test_support::name_of;
using test_support::outcome;

namespace {

std::span<const std::byte> bytes_of(std::string_view s) { return std::as_bytes(std::span{s.data(), s.size()}); }

// FNV-1a 32 as the reference defines it (http://www.isthe.com/chongo/tech/comp/fnv/),
// computed in 64-bit arithmetic reduced mod 2^32, so it shares no code or trick with the core.
std::uint32_t reference_fnv1a32(std::string_view key) {
  std::uint64_t hash = 2166136261ull;
  for (unsigned char c : key) {
    hash ^= c;
    hash = (hash * 16777619ull) % 4294967296ull;
  }
  return static_cast<std::uint32_t>(hash);
}

// Go: int32(h) % int32(shards), then abs. Go's % truncates toward zero, as does C++'s.
std::size_t reference_go_shard(std::uint32_t hash, std::size_t shards) {
  const std::int64_t as_int32 = hash >= 0x80000000u ? std::int64_t{hash} - 0x100000000ll : std::int64_t{hash};
  return static_cast<std::size_t>(std::llabs(as_int32 % static_cast<std::int64_t>(shards)));
}

// Built member by member: GCC 12 warns (-Wmissing-field-initializers) about designated
// initializers that leave out the sharder.
ShardedOptions options_of(std::size_t shards, memlog::Options log = {},
                          std::shared_ptr<const memlog::Sharder> sharder = {}) {
  ShardedOptions options;
  options.shards = shards;
  options.log = std::move(log);
  options.sharder = std::move(sharder);
  return options;
}

std::string joined(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size());
  s.append(a).append(b);
  return s;
}

std::shared_ptr<ShardedLog> make_sharded(ShardedOptions options) {
  auto log = ShardedLog::create(std::move(options));
  if (!log) qFatal("ShardedLog::create failed: %s", log.error().message().c_str());
  return *log;
}

// A sharder that answers what the test tells it to.
class FixedSharder : public memlog::Sharder {
 public:
  explicit FixedSharder(Result<std::size_t> answer) : answer_(std::move(answer)) {}
  Result<std::size_t> shard(std::span<const std::byte>, std::size_t) const override { return answer_; }

 private:
  Result<std::size_t> answer_;
};

}  // namespace

class TestShardedLog : public QObject {
  Q_OBJECT

 private slots:
  void fnv_known_vectors_data() {
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<quint32>("hash");
    QTest::addColumn<int>("shard_of_1000");
    QTest::addColumn<int>("shard_of_7");
    // Hashes from the FNV reference; shards worked out by hand as Go computes them: e.g.
    // "foobar": int32(0xbf9cf968) = -1080231576; % 7 = -4 -> 4 (unsigned % 7 would give 0).
    QTest::addRow("empty") << QByteArray("") << quint32{0x811c9dc5} << 35 << 2;
    QTest::addRow("a") << QByteArray("a") << quint32{0xe40c292c} << 76 << 6;
    QTest::addRow("foobar") << QByteArray("foobar") << quint32{0xbf9cf968} << 576 << 4;
  }
  void fnv_known_vectors() {
    QFETCH(QByteArray, key);
    QFETCH(quint32, hash);
    QFETCH(int, shard_of_1000);
    QFETCH(int, shard_of_7);
    const std::string_view k(key.constData(), static_cast<std::size_t>(key.size()));
    QCOMPARE(reference_fnv1a32(k), hash);  // the test's own reference agrees with the vectors
    QCOMPARE(FnvSharder::hash(bytes_of(k)), hash);
    const FnvSharder sharder;
    QCOMPARE(*sharder.shard(bytes_of(k), 1000), static_cast<std::size_t>(shard_of_1000));
    QCOMPARE(*sharder.shard(bytes_of(k), 7), static_cast<std::size_t>(shard_of_7));
  }

  void fnv_matches_go_data() {
    QTest::addColumn<std::size_t>("shards");
    for (std::size_t shards : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{1000},
                               std::size_t{65537}, std::size_t{INT32_MAX}})
      QTest::addRow("%zu shards", shards) << shards;
  }
  void fnv_matches_go() {
    QFETCH(std::size_t, shards);
    const FnvSharder sharder;
    std::vector<std::string> keys{"sensor-17", "user:42", "\xff\xfe", std::string(1, '\0'), std::string(300, 'k')};
    for (int i = 0; i < 2000; ++i) keys.push_back(joined("key-", std::to_string(i * 7919)));
    for (int i = 0; i < 200; ++i)
      keys.push_back(test_support::payload(static_cast<std::uint64_t>(i), 1 + static_cast<std::size_t>(i % 23)));
    int negative_hashes = 0;
    for (const std::string& key : keys) {
      const std::uint32_t hash = reference_fnv1a32(key);
      negative_hashes += hash >= 0x80000000u;
      QCOMPARE(FnvSharder::hash(bytes_of(key)), hash);
      const auto shard = sharder.shard(bytes_of(key), shards);
      QVERIFY(shard.has_value());
      QCOMPARE(*shard, reference_go_shard(hash, shards));
      QVERIFY(*shard < shards);
    }
    QVERIFY(negative_hashes > 100);  // the int32 sign handling is really exercised
  }

  void fnv_rejects_shard_counts_data() {
    QTest::addColumn<std::size_t>("shards");
    QTest::addRow("0") << std::size_t{0};
    QTest::addRow("INT32_MAX + 1") << std::size_t{INT32_MAX} + 1;
    QTest::addRow("UINT32_MAX") << std::size_t{UINT32_MAX};
    QTest::addRow("SIZE_MAX") << std::size_t{SIZE_MAX};
  }
  void fnv_rejects_shard_counts() {
    QFETCH(std::size_t, shards);
    QCOMPARE(outcome(FnvSharder{}.shard(bytes_of("a"), shards)), name_of(Errc::invalid_options));
  }

  void key_sharder_data() {
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<std::size_t>("shards");
    QTest::addColumn<QByteArray>("error");
    QTest::addColumn<int>("index");
    const QByteArray ok = "ok";
    QTest::addRow("first key") << QByteArray("alpha") << std::size_t{3} << ok << 0;
    QTest::addRow("second key") << QByteArray("beta") << std::size_t{3} << ok << 1;
    QTest::addRow("third key, more shards than keys") << QByteArray("gamma") << std::size_t{10} << ok << 2;
    QTest::addRow("unknown key") << QByteArray("delta") << std::size_t{3} << name_of(Errc::invalid_key) << -1;
    QTest::addRow("empty key") << QByteArray("") << std::size_t{3} << name_of(Errc::invalid_key) << -1;
    QTest::addRow("prefix of a key") << QByteArray("alp") << std::size_t{3} << name_of(Errc::invalid_key) << -1;
    // More keys than shards: invalid_options, checked before the lookup, so also for a known
    // key and for an unknown one (which would otherwise be invalid_key).
    QTest::addRow("more keys than shards, known key")
        << QByteArray("alpha") << std::size_t{2} << name_of(Errc::invalid_options) << -1;
    QTest::addRow("more keys than shards, unknown key")
        << QByteArray("delta") << std::size_t{2} << name_of(Errc::invalid_options) << -1;
    QTest::addRow("zero shards") << QByteArray("alpha") << std::size_t{0} << name_of(Errc::invalid_options) << -1;
  }
  void key_sharder() {
    QFETCH(QByteArray, key);
    QFETCH(std::size_t, shards);
    QFETCH(QByteArray, error);
    QFETCH(int, index);
    const KeySharder sharder({"alpha", "beta", "gamma"});
    const auto got =
        sharder.shard(bytes_of(std::string_view(key.constData(), static_cast<std::size_t>(key.size()))), shards);
    QCOMPARE(outcome(got), error);
    if (got) QCOMPARE(*got, static_cast<std::size_t>(index));
  }

  void create_data() {
    QTest::addColumn<std::size_t>("shards");
    QTest::addColumn<std::size_t>("segment");
    QTest::addColumn<QByteArray>("error");
    QTest::addRow("0 shards") << std::size_t{0} << std::size_t{10} << name_of(Errc::invalid_options);
    QTest::addRow("1 shard") << std::size_t{1} << std::size_t{10} << name_of(Errc::invalid_options);
    QTest::addRow("2 shards") << std::size_t{2} << std::size_t{10} << QByteArray("ok");
    QTest::addRow("1000 shards (default)") << std::size_t{1000} << std::size_t{10} << QByteArray("ok");
    QTest::addRow("bad log options") << std::size_t{4} << std::size_t{0} << name_of(Errc::invalid_options);
  }
  void create() {
    QFETCH(std::size_t, shards);
    QFETCH(std::size_t, segment);
    QFETCH(QByteArray, error);
    const auto got = ShardedLog::create(options_of(shards, {.start_offset = 5, .segment_size = segment}));
    QCOMPARE(outcome(got), error);
    if (!got) return;
    QCOMPARE((*got)->shard_count(), shards);
    for (std::size_t i = 0; i < shards; ++i) {
      QCOMPARE((*got)->shard(i).options().start_offset, Offset{5});  // Options applied to every shard
      QCOMPARE((*got)->shard(i).options().segment_size, segment);
      QVERIFY((*got)->shard(i).range().empty());
    }
  }

  void default_options() {
    const auto got = ShardedLog::create();
    QVERIFY(got.has_value());
    QCOMPARE((*got)->shard_count(), std::size_t{1000});
  }

  void keys_land_on_the_go_shard() {
    auto sharded = make_sharded(options_of(7));  // default sharder: FNV
    const std::vector<std::string> keys{"a", "foobar", "sensor-17", "user:42", "b", "c", "d"};
    std::vector<std::size_t> per_shard(7, 0);
    for (const std::string& key : keys) {
      const std::size_t want = reference_go_shard(reference_fnv1a32(key), 7);
      QCOMPARE(*sharded->shard_of(key), want);
      const auto offset = sharded->write(key, joined("payload of ", key));
      QVERIFY(offset.has_value());
      QCOMPARE(*offset, static_cast<Offset>(per_shard[want]++));  // the shard's own next offset
      // The record is in that shard's log, and read by key finds it.
      QCOMPARE(sharded->shard(want).read(*offset)->text(), std::string_view(joined("payload of ", key)));
      QCOMPARE(sharded->read(key, *offset)->text(), std::string_view(joined("payload of ", key)));
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < 7; ++i) {
      QCOMPARE(sharded->shard(i).stats().records_written, std::uint64_t{per_shard[i]});
      total += sharded->shard(i).stats().records_written;
    }
    QCOMPARE(total, keys.size());
  }

  // ShardedLog's own FNV path (no virtual call, no division) agrees with Go for every shard
  // count and key kind: short, long, binary, and keys with negative int32 hashes.
  void sharded_log_choice_equals_go_data() {
    QTest::addColumn<int>("shards");
    for (int shards : {2, 3, 7, 16, 100, 256, 1000, 1024, 65'537}) QTest::addRow("%d shards", shards) << shards;
  }
  void sharded_log_choice_equals_go() {
    QFETCH(int, shards);
    auto sharded = make_sharded(options_of(static_cast<std::size_t>(shards)));
    std::uint64_t x = 88172645463325252ull;  // xorshift: many keys, the same every run
    int negative = 0;
    for (int k = 0; k < 5000; ++k) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      std::string key = k % 3 == 0 ? "user:" + std::to_string(x % 100000) : std::string(reinterpret_cast<char*>(&x), 8);
      if (k % 7 == 0) key += std::string(static_cast<std::size_t>(k % 50), 'k');
      const std::uint32_t hash = reference_fnv1a32(key);
      negative += hash >= 0x80000000u;
      QCOMPARE(*sharded->shard_of(key), reference_go_shard(hash, static_cast<std::size_t>(shards)));
    }
    QVERIFY(negative > 1000);
  }

  void shards_have_independent_offsets() {
    auto sharded = make_sharded(options_of(3, {.start_offset = 10, .segment_size = 2},
                                           std::make_shared<KeySharder>(std::vector<std::string>{"x", "y", "z"})));
    QCOMPARE(*sharded->write("x", "x0"), Offset{10});
    QCOMPARE(*sharded->write("y", "y0"), Offset{10});
    QCOMPARE(*sharded->write("x", "x1"), Offset{11});
    for (int i = 0; i < 6; ++i) QVERIFY(sharded->write("z", "z").has_value());  // z purges; x and y do not
    QCOMPARE(*sharded->write("y", "y1"), Offset{11});
    QCOMPARE(sharded->read("x", 10)->text(), std::string_view("x0"));
    QCOMPARE(sharded->read("y", 10)->text(), std::string_view("y0"));
    QCOMPARE(sharded->read("y", 11)->text(), std::string_view("y1"));
    QCOMPARE(outcome(sharded->read("x", 12)), name_of(Errc::future_offset));
    QCOMPARE(outcome(sharded->read("z", 10)), name_of(Errc::out_of_range));
    QCOMPARE(sharded->shard(0).range(), (Range{10, 11}));
    QCOMPARE(sharded->shard(1).range(), (Range{10, 11}));
    QCOMPARE(sharded->shard(2).range(), (Range{12, 15}));
    QCOMPARE(sharded->shard(2).stats().purges, std::uint64_t{1});
  }

  void shard_stream_works() {
    auto sharded =
        make_sharded(options_of(2, {}, std::make_shared<KeySharder>(std::vector<std::string>{"left", "right"})));
    for (int i = 0; i < 3; ++i) {
      QVERIFY(sharded->write("left", joined("L", std::to_string(i))).has_value());
      QVERIFY(sharded->write("right", joined("R", std::to_string(i))).has_value());
    }
    std::stop_source stop;
    memlog::Stream stream = sharded->shard(1).stream(0, stop.get_token());
    for (int i = 0; i < 3; ++i) {
      const auto record = stream.next();
      QVERIFY(record.has_value());
      QCOMPARE(record->offset(), Offset{i});
      QCOMPARE(record->text(), std::string_view(joined("R", std::to_string(i))));
    }
    // The stream waits on that shard for the next write to it.
    QVERIFY(sharded->write("right", "R3").has_value());
    QCOMPARE(stream.next()->text(), std::string_view("R3"));
    stop.request_stop();
    QVERIFY(!stream.next().has_value());
    QCOMPARE(name_of(stream.error()), name_of(Errc::cancelled));
    // shard_ptr shares the same log.
    QCOMPARE(sharded->shard_ptr(0).get(), &sharded->shard(0));
  }

  void empty_key_is_invalid_key() {
    auto sharded = make_sharded(options_of(4));
    QCOMPARE(outcome(sharded->write("", "data")), name_of(Errc::invalid_key));
    QCOMPARE(outcome(sharded->write(std::string_view{}, std::span<const std::byte>{})), name_of(Errc::invalid_key));
    QCOMPARE(outcome(sharded->read("", 0)), name_of(Errc::invalid_key));
    QCOMPARE(outcome(sharded->shard_of("")), name_of(Errc::invalid_key));
    for (std::size_t i = 0; i < 4; ++i) QVERIFY(sharded->shard(i).range().empty());  // nothing written
    // Even a sharder that would accept the empty key is not asked.
    auto permissive = make_sharded(options_of(2, {}, std::make_shared<FixedSharder>(std::size_t{1})));
    QCOMPARE(outcome(permissive->write("", "data")), name_of(Errc::invalid_key));
    QVERIFY(permissive->shard(1).range().empty());
  }

  void sharder_errors_and_indexes_data() {
    QTest::addColumn<int>("kind");  // 0: custom error, 1: memlog error, 2: index == count, 3: huge index, 4: last index
    QTest::addColumn<QByteArray>("error");
    QTest::addRow("a foreign error is passed through unchanged") << 0 << QByteArray("generic:13");
    QTest::addRow("a memlog error is passed through unchanged") << 1 << name_of(Errc::deadline_exceeded);
    QTest::addRow("index == shard_count is invalid_key") << 2 << name_of(Errc::invalid_key);
    QTest::addRow("SIZE_MAX is invalid_key") << 3 << name_of(Errc::invalid_key);
    QTest::addRow("the last index is fine") << 4 << QByteArray("ok");
  }
  void sharder_errors_and_indexes() {
    QFETCH(int, kind);
    QFETCH(QByteArray, error);
    constexpr std::size_t kShards = 5;
    Result<std::size_t> answer =
        kind == 0   ? Result<std::size_t>(std::unexpected(std::make_error_code(std::errc::permission_denied)))
        : kind == 1 ? Result<std::size_t>(std::unexpected(make_error_code(Errc::deadline_exceeded)))
        : kind == 2 ? Result<std::size_t>(kShards)
        : kind == 3 ? Result<std::size_t>(SIZE_MAX)
                    : Result<std::size_t>(kShards - 1);
    auto sharded = make_sharded(options_of(kShards, {}, std::make_shared<FixedSharder>(answer)));
    const auto written = sharded->write("key", "data");
    QCOMPARE(outcome(written), error);
    QCOMPARE(outcome(sharded->read("key", 0)), error);
    QCOMPARE(outcome(sharded->shard_of("key")), error);
    if (kind == 0) QCOMPARE(&written.error().category(), &std::generic_category());
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kShards; ++i) total += sharded->shard(i).stats().records_written;
    QCOMPARE(total, std::uint64_t{error == "ok" ? 1u : 0u});  // a refused write writes nothing
  }

  void key_sharder_errors_pass_through() {
    // Three keys for two shards: every shard() call is invalid_options, and ShardedLog says so.
    auto sharded =
        make_sharded(options_of(2, {}, std::make_shared<KeySharder>(std::vector<std::string>{"a", "b", "c"})));
    QCOMPARE(outcome(sharded->write("a", "x")), name_of(Errc::invalid_options));
    QCOMPARE(outcome(sharded->read("a", 0)), name_of(Errc::invalid_options));
    auto fitting = make_sharded(options_of(2, {}, std::make_shared<KeySharder>(std::vector<std::string>{"a", "b"})));
    QCOMPARE(outcome(fitting->write("c", "x")), name_of(Errc::invalid_key));
    QCOMPARE(*fitting->write("b", "x"), Offset{0});
    QCOMPARE(fitting->shard(1).stats().records_written, std::uint64_t{1});
  }

  void write_errors_of_the_shard() {
    auto sharded = make_sharded(options_of(2, {.max_record_bytes = 4}));
    QCOMPARE(outcome(sharded->write("k", "")), name_of(Errc::empty_record));
    QCOMPARE(outcome(sharded->write("k", "12345")), name_of(Errc::record_too_large));
    QCOMPARE(*sharded->write("k", "1234"), Offset{0});
    QCOMPARE(outcome(sharded->read("k", -1)), name_of(Errc::out_of_range));
    QCOMPARE(outcome(sharded->read("k", 1)), name_of(Errc::future_offset));
  }
};

QTEST_GUILESS_MAIN(TestShardedLog)
#include "tst_sharded_log.moc"
