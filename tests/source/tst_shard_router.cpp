// SPDX-License-Identifier: MIT
// How records reach a sharded log: the key taken from a payload (a JSON field or the whole
// line) with a reason for every payload that has none; the sharder named on the command line;
// the router — the same key always on the same shard, every refused record counted with its
// reason and never placed; the recent routes; the simulation's key skew; and the legacy source
// writing through a router.
#include <QTest>

#include <map>
#include <thread>

#include <memlog/source/legacy_source.hpp>
#include <memlog/source/shard_key.hpp>
#include <memlog/source/shard_router.hpp>
#include <memlog/source/sharder_spec.hpp>

using namespace memlog;
using memlog::shard::ShardRouter;

namespace {
std::shared_ptr<ShardedLog> sharded(std::size_t shards, std::shared_ptr<const Sharder> sharder = {},
                                    std::size_t segment = 1024) {
  ShardedOptions options;
  options.shards = shards;
  options.log.segment_size = segment;
  options.sharder = std::move(sharder);
  return std::move(*ShardedLog::create(options));
}
}  // namespace

class TestShardRouter : public QObject {
  Q_OBJECT

 private slots:
  void key_of_a_payload_data() {
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("key");  // empty = none
    QTest::addColumn<QString>("reason");
    QTest::addRow("string field") << R"({"type":"x","device":"th-003","n":1})"
                                  << "device"
                                  << "th-003"
                                  << "";
    QTest::addRow("first field") << R"({"device":"a"})"
                                 << "device"
                                 << "a"
                                 << "";
    QTest::addRow("spaces around") << " { \"a\" : 1 ,\n \"device\" :\t\"b\" } "
                                   << "device"
                                   << "b"
                                   << "";
    QTest::addRow("number") << R"({"user":42,"x":"y"})"
                            << "user"
                            << "42"
                            << "";
    QTest::addRow("negative float") << R"({"v":-1.5e3})"
                                    << "v"
                                    << "-1.5e3"
                                    << "";
    QTest::addRow("boolean") << R"({"ok":true})"
                             << "ok"
                             << "true"
                             << "";
    QTest::addRow("escapes") << "{\"k\":\"a\\\"b\\\\c\\/d\\n\"}"
                             << "k"
                             << "a\"b\\c/d\n"
                             << "";
    QTest::addRow("unicode escape") << R"({"k":"caf\u00e9"})"
                                    << "k" << QString::fromUtf8("café") << "";
    QTest::addRow("surrogate pair") << R"({"k":"\ud83d\ude00"})"
                                    << "k" << QString::fromUtf8("\xF0\x9F\x98\x80") << "";
    QTest::addRow("raw UTF-8") << QString::fromUtf8(R"({"k":"Zürich"})") << "k" << QString::fromUtf8("Zürich") << "";
    QTest::addRow("nested same name skipped")
        << "{\"meta\":{\"device\":\"inner\",\"a\":[1,{\"b\":\"}\"}]},\"device\":\"outer\"}"
        << "device"
        << "outer"
        << "";
    QTest::addRow("brackets in strings") << "{\"s\":\"{[\\\"\",\"device\":\"d\"}"
                                         << "device"
                                         << "d"
                                         << "";
    QTest::addRow("missing") << R"({"a":1})"
                             << "device"
                             << ""
                             << "no field \"device\"";
    QTest::addRow("empty object") << "{}"
                                  << "device"
                                  << ""
                                  << "no field \"device\"";
    QTest::addRow("null") << R"({"device":null})"
                          << "device"
                          << ""
                          << "is null";
    QTest::addRow("object value") << R"({"device":{"id":1}})"
                                  << "device"
                                  << ""
                                  << "object or an array";
    QTest::addRow("array value") << R"({"device":[1]})"
                                 << "device"
                                 << ""
                                 << "object or an array";
    QTest::addRow("empty string") << R"({"device":""})"
                                  << "device"
                                  << ""
                                  << "empty string";
    QTest::addRow("not JSON") << "plain text line"
                              << "device"
                              << ""
                              << "not a JSON object";
    QTest::addRow("JSON array") << R"([{"device":"a"}])"
                                << "device"
                                << ""
                                << "not a JSON object";
    QTest::addRow("cut JSON") << "{\"type\":\"sensor\",\"dev"
                              << "device"
                              << ""
                              << "not valid JSON";
    QTest::addRow("cut in the value") << "{\"device\":\"th-0"
                                      << "device"
                                      << ""
                                      << "not valid JSON";
    QTest::addRow("bad escape") << R"({"device":"a\qb"})"
                                << "device"
                                << ""
                                << "not valid JSON";
    QTest::addRow("lone low surrogate") << R"({"device":"\udc00"})"
                                        << "device"
                                        << ""
                                        << "not valid JSON";
    QTest::addRow("whole line") << "GET /index.html 200"
                                << ""
                                << "GET /index.html 200"
                                << "";
    QTest::addRow("whole JSON line") << R"({"a":1})"
                                     << ""
                                     << R"({"a":1})"
                                     << "";
  }
  void key_of_a_payload() {
    QFETCH(QString, payload);
    QFETCH(QString, field);
    QFETCH(QString, key);
    QFETCH(QString, reason);
    const auto got = shard::extract_key(payload.toStdString(), field.toStdString());
    if (key.isEmpty()) {
      QVERIFY(!got);
      QVERIFY2(QString::fromStdString(got.error()).contains(reason), got.error().c_str());
    } else {
      QVERIFY2(got.has_value(), got ? "" : got.error().c_str());
      QCOMPARE(QString::fromStdString(*got), key);
    }
  }

  void key_fields_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("valid");
    QTest::addRow("plain") << "device" << true;
    QTest::addRow("dotted") << "user.id" << true;
    QTest::addRow("empty") << "" << false;
    QTest::addRow("quote") << "a\"b" << false;
    QTest::addRow("backslash") << "a\\b" << false;
    QTest::addRow("newline") << "a\nb" << false;
    QTest::addRow("non-ASCII") << QString::fromUtf8("gerät") << false;
    QTest::addRow("too long") << QString(129, u'k') << false;
    QTest::addRow("longest") << QString(128, u'k') << true;
  }
  void key_fields() {
    QFETCH(QString, field);
    QFETCH(bool, valid);
    QCOMPARE(shard::valid_key_field(field.toStdString()), valid);
  }

  void sharder_specs_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalized");  // empty = refused
    QTest::addColumn<QString>("error");
    QTest::addRow("fnv") << "fnv"
                         << "fnv"
                         << "";
    QTest::addRow("one key") << "keys:a"
                             << "keys:a"
                             << "";
    QTest::addRow("three keys") << "keys:th-000,th-001,x y"
                                << "keys:th-000,th-001,x y"
                                << "";
    QTest::addRow("unknown name") << "crc32"
                                  << ""
                                  << "not a sharder";
    QTest::addRow("upper case") << "FNV"
                                << ""
                                << "not a sharder";
    QTest::addRow("empty") << ""
                           << ""
                           << "not a sharder";
    QTest::addRow("no keys") << "keys:"
                             << ""
                             << "empty key";
    QTest::addRow("empty key") << "keys:a,,b"
                               << ""
                               << "empty key";
    QTest::addRow("trailing comma") << "keys:a,"
                                    << ""
                                    << "empty key";
    QTest::addRow("duplicate") << "keys:a,b,a"
                               << ""
                               << "'a' twice";
  }
  void sharder_specs() {
    QFETCH(QString, text);
    QFETCH(QString, normalized);
    QFETCH(QString, error);
    const auto spec = shard::parse_sharder_spec(text.toStdString());
    if (normalized.isEmpty()) {
      QVERIFY(!spec);
      QVERIFY2(QString::fromStdString(spec.error()).contains(error), spec.error().c_str());
    } else {
      QVERIFY2(spec.has_value(), spec ? "" : spec.error().c_str());
      QCOMPARE(QString::fromStdString(spec->text()), normalized);
      QVERIFY(spec->make() != nullptr);
    }
  }

  void key_list_must_fit_the_shards() {
    const auto spec = *shard::parse_sharder_spec("keys:a,b,c");
    QVERIFY(shard::check_sharder(spec, 3).has_value());
    const auto refused = shard::check_sharder(spec, 2);
    QVERIFY(!refused);
    QVERIFY(QString::fromStdString(refused.error()).contains(QLatin1String("3 keys for 2 shards")));
    QVERIFY(shard::check_sharder(shard::SharderSpec{}, 2).has_value());
  }

  // Same key, same shard, always — and the shard is the sharded log's own choice.
  void same_key_same_shard() {
    auto log = sharded(8);
    ShardRouter router(log, "device");
    std::map<std::string, std::size_t> seen;
    for (int n = 0; n < 400; ++n) {
      const std::string key = "th-" + std::to_string(n % 24);
      const auto routed = router.write(R"({"device":")" + key + R"(","n":)" + std::to_string(n) + "}");
      QVERIFY(routed.has_value());
      QCOMPARE(routed->shard, *log->shard_of(key));
      const auto [at, fresh] = seen.emplace(key, routed->shard);
      QCOMPARE(at->second, routed->shard);
      const auto record = log->shard(routed->shard).read(routed->offset);
      QVERIFY(record && record->text().find(key) != std::string_view::npos);
    }
    const auto counters = router.counters();
    QCOMPARE(counters.offered, 400u);
    QCOMPARE(counters.routed, 400u);
    QCOMPARE(counters.refused, 0u);
    QCOMPARE(counters.keys, std::size_t{24});
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < counters.per_shard.size(); ++i) {
      sum += counters.per_shard[i];
      QCOMPARE(static_cast<std::uint64_t>(log->shard(i).stats().records_written), counters.per_shard[i]);
    }
    QCOMPARE(sum, 400u);
    std::uint64_t by_key = 0;
    for (const auto& k : router.keys()) {
      QCOMPARE(k.shard, seen.at(k.key));
      by_key += k.records;
    }
    QCOMPARE(by_key, 400u);
  }

  // Refused records: counted, the last kept with which one and why, and on no shard.
  void refused_records_are_counted_never_placed_data() {
    QTest::addColumn<QString>("sharder");
    QTest::addColumn<QString>("payload");
    QTest::addColumn<QString>("reason");
    QTest::addRow("no field") << "fnv"
                              << R"({"sku":"x"})"
                              << "no field \"device\"";
    QTest::addRow("not JSON") << "fnv"
                              << "garbage"
                              << "not a JSON object";
    QTest::addRow("unknown key") << "keys:a,b"
                                 << R"({"device":"zzz"})"
                                 << "no shard for the key 'zzz'";
    QTest::addRow("too large") << "fnv" << QStringLiteral(R"({"device":"a","pad":"%1"})").arg(QString(300, u'x'))
                               << "shard ";
  }
  void refused_records_are_counted_never_placed() {
    QFETCH(QString, sharder);
    QFETCH(QString, payload);
    QFETCH(QString, reason);
    ShardedOptions options;
    options.shards = 4;
    options.log.max_record_bytes = 256;
    options.sharder = shard::parse_sharder_spec(sharder.toStdString())->make();
    auto log = std::move(*ShardedLog::create(options));
    ShardRouter router(log, "device");
    QVERIFY(router.write(R"({"device":"a"})").has_value());
    const auto refused = router.write(payload.toStdString());
    QVERIFY(!refused);
    QVERIFY(router.write(R"({"device":"b"})").has_value());
    const auto counters = router.counters();
    QCOMPARE(counters.offered, 3u);
    QCOMPARE(counters.routed, 2u);
    QCOMPARE(counters.refused, 1u);
    QVERIFY(counters.last_refused.has_value());
    QCOMPARE(counters.last_refused->number, 2u);  // which record: the second offered
    QVERIFY2(QString::fromStdString(counters.last_refused->reason).contains(reason),
             counters.last_refused->reason.c_str());
    QCOMPARE(counters.last_refused->preview, payload.toStdString().substr(0, ShardRouter::kPreviewBytes));
    std::uint64_t stored = 0;
    for (std::size_t i = 0; i < log->shard_count(); ++i) stored += log->shard(i).stats().records_written;
    QCOMPARE(stored, 2u);  // the refused one is on no shard
  }

  void recent_routes_in_order() {
    ShardRouter router(sharded(4), "");
    for (int n = 1; n <= 300; ++n) {
      if (n == 290) {
        QVERIFY(!router.write(""));  // an empty line: refused, a gap in the numbers
        continue;
      }
      QVERIFY(router.write("line " + std::to_string(n)).has_value());
    }
    const auto all = router.recent_since(0);
    QCOMPARE(all.size(), ShardRouter::kRecentRoutes - 1);  // the ring's size, less the gap
    QCOMPARE(all.back().number, 300u);
    QCOMPARE(all.back().key, std::string("line 300"));
    for (std::size_t i = 1; i < all.size(); ++i) QVERIFY(all[i - 1].number < all[i].number);
    const auto tail = router.recent_since(295);
    QCOMPARE(tail.size(), std::size_t{5});
    QCOMPARE(tail.front().number, 296u);
    QVERIFY(router.recent_since(300).empty());
  }

  // Routing from several threads: every record once, on its key's shard, counts adding up.
  void concurrent_writers() {
    auto log = sharded(16, {}, 100'000);
    ShardRouter router(log, "k");
    constexpr int kThreads = 4, kEach = 5000;
    std::vector<std::jthread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&router, t] {
        for (int n = 0; n < kEach; ++n)
          router.write(R"({"k":"key-)" + std::to_string((n * 7 + t) % 97) + R"(","t":)" + std::to_string(t) + "}");
      });
    threads.clear();
    const auto counters = router.counters();
    QCOMPARE(counters.routed, std::uint64_t{kThreads} * kEach);
    std::uint64_t stored = 0;
    for (std::size_t i = 0; i < log->shard_count(); ++i) stored += log->shard(i).stats().records_written;
    QCOMPARE(stored, std::uint64_t{kThreads} * kEach);
    QCOMPARE(counters.keys, std::size_t{97});
  }

  void key_skew_forms_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("normalized");  // empty = refused
    QTest::addRow("uniform") << "uniform"
                             << "uniform";
    QTest::addRow("hot") << "hot"
                         << "hot:0.5";
    QTest::addRow("hot share") << "hot:0.8"
                               << "hot:0.8";
    QTest::addRow("hot all") << "hot:1"
                             << "hot:1";
    QTest::addRow("zipf") << "zipf"
                          << "zipf:1.2";
    QTest::addRow("zipf s") << "zipf:2"
                            << "zipf:2";
    QTest::addRow("hot zero") << "hot:0"
                              << "";
    QTest::addRow("hot over one") << "hot:1.5"
                                  << "";
    QTest::addRow("hot nan") << "hot:nan"
                             << "";
    QTest::addRow("zipf negative") << "zipf:-1"
                                   << "";
    QTest::addRow("zipf huge") << "zipf:11"
                               << "";
    QTest::addRow("zipf junk") << "zipf:1x"
                               << "";
    QTest::addRow("uniform with value") << "uniform:1"
                                        << "";
    QTest::addRow("unknown") << "pareto"
                             << "";
  }
  void key_skew_forms() {
    QFETCH(QString, text);
    QFETCH(QString, normalized);
    const auto skew = sim::parse_key_skew(text.toStdString());
    if (normalized.isEmpty()) {
      QVERIFY(!skew);
      QVERIFY(QString::fromStdString(skew.error()).contains(QLatin1String("not a key skew")));
    } else {
      QVERIFY2(skew.has_value(), skew ? "" : skew.error().c_str());
      QCOMPARE(QString::fromStdString(sim::key_skew_text(*skew)), normalized);
    }
  }

  // The skew changes the key and nothing else; a hot key takes its share; Zipf makes the
  // first key the most frequent by far; uniform leaves the payloads as they were.
  void key_skew_shapes_the_keys_data() {
    QTest::addColumn<sim::SourceKind>("kind");
    QTest::addRow("sensor") << sim::SourceKind::sensor;
    QTest::addRow("inventory") << sim::SourceKind::inventory;
    QTest::addRow("tickets") << sim::SourceKind::tickets;
  }
  void key_skew_shapes_the_keys() {
    QFETCH(sim::SourceKind, kind);
    const std::string field(sim::natural_key_field(kind));
    const auto count_keys = [&](const sim::KeySkew& skew) {
      std::map<std::string, int> counts;
      for (std::uint64_t n = 0; n < 4000; ++n) {
        const std::string payload = sim::make_payload(kind, 3, n, 0, skew);
        if (payload != sim::make_payload(kind, 3, n, 0, skew)) counts["(not a pure function)"] += 100'000;
        ++counts[*shard::extract_key(payload, field)];
      }
      return counts;
    };
    const auto most = [](const std::map<std::string, int>& counts) {
      int top = 0;
      for (const auto& [key, n] : counts) top = std::max(top, n);
      return top;
    };
    QCOMPARE(sim::make_payload(kind, 3, 17, 0, {}), sim::make_payload(kind, 3, 17));
    sim::KeySkew hot{sim::KeySkew::Kind::hot_key, 0.7, 1.2};
    const int hottest = most(count_keys(hot));
    QVERIFY2(hottest > 2600 && hottest < 3000, std::to_string(hottest).c_str());  // ~70% of 4000
    sim::KeySkew zipf{sim::KeySkew::Kind::zipf, 0.5, 1.5};
    const auto zipf_counts = count_keys(zipf);
    QVERIFY(most(zipf_counts) > 4 * most(count_keys({})));
  }

  // The legacy source writing through a router: records of one key on one shard, the sequence
  // going on past records the router refuses (a key list that knows only some keys).
  void legacy_source_writes_through_a_router() {
    ShardedOptions options;
    options.shards = 4;
    options.sharder = shard::parse_sharder_spec("keys:th-000,th-001")->make();
    auto log = std::move(*ShardedLog::create(options));
    auto router = std::make_shared<ShardRouter>(log, "device");
    auto placeholder = std::move(*Log::create());
    sim::LegacySource source(placeholder, {});
    source.attach(router, 0);
    for (int n = 0; n < 48; ++n) QVERIFY(source.step());
    const auto counters = router->counters();
    QCOMPARE(counters.offered, 48u);
    QCOMPARE(counters.routed, 4u);  // sequence % 24: th-000 and th-001, twice each
    QCOMPARE(counters.refused, 44u);
    QCOMPARE(log->shard(0).stats().records_written, 2u);
    QCOMPARE(log->shard(1).stats().records_written, 2u);
    QCOMPARE(placeholder->stats().records_written, 0u);
    QCOMPARE(source.counters().next_sequence, 48u);
    QCOMPARE(source.counters().errors, 0u);
    QVERIFY(!source.counters().paused);
    source.attach(placeholder, 0);  // back to a plain log
    QVERIFY(source.step());
    QCOMPARE(placeholder->stats().records_written, 1u);
  }
};

QTEST_GUILESS_MAIN(TestShardRouter)
#include "tst_shard_router.moc"
