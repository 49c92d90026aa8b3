// SPDX-License-Identifier: MIT
// memlog-monitor's command line: good values parsed, hostile ones refused with a one-line
// message naming the option.
#include <QTest>

#include "command_line.hpp"

class TestCommandLine : public QObject {
  Q_OBJECT

 private slots:
  void defaults() {
    const CommandLine c = parseCommandLine({QStringLiteral("memlog-monitor")});
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.log.segment_size, memlog::Options{}.segment_size);
    QCOMPARE(c.options.consumers, 2);
    QVERIFY(!c.options.hasSegmentSize);
  }

  void goodValues() {
    const CommandLine c = parseCommandLine(
        {QStringLiteral("m"), QStringLiteral("--segment-size"), QStringLiteral("500"),
         QStringLiteral("--max-record-bytes=4096"), QStringLiteral("--start-offset"), QStringLiteral("100"),
         QStringLiteral("--rate"), QStringLiteral("0"), QStringLiteral("--source"), QStringLiteral("tickets"),
         QStringLiteral("--seed"), QStringLiteral("18446744073709551615"), QStringLiteral("--consumers"),
         QStringLiteral("0"), QStringLiteral("--screenshot"), QStringLiteral("/tmp/x.png"),
         QStringLiteral("--quit-after"), QStringLiteral("2.5")});
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.log.segment_size, 500u);
    QCOMPARE(c.options.log.max_record_bytes, 4096u);
    QCOMPARE(c.options.log.start_offset, 100);
    QCOMPARE(c.options.source.rate, 0.0);
    QCOMPARE(c.options.source.kind, memlog::sim::SourceKind::tickets);
    QCOMPARE(c.options.source.seed, 18446744073709551615ull);
    QCOMPARE(c.options.consumers, 0);
    QCOMPARE(c.options.screenshot, QStringLiteral("/tmp/x.png"));
    QCOMPARE(c.options.quitAfter, 2.5);
    QVERIFY(c.options.hasSegmentSize && c.options.hasRate && c.options.hasSource);
  }

  void serve_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addRow("port only: loopback") << QStringLiteral("8080") << QStringLiteral("127.0.0.1") << 8080;
    QTest::addRow("address and port") << QStringLiteral("0.0.0.0:9000") << QStringLiteral("0.0.0.0") << 9000;
    QTest::addRow("IPv6") << QStringLiteral("[::1]:7000") << QStringLiteral("::1") << 7000;
  }
  void serve() {
    QFETCH(QString, value);
    QFETCH(QString, address);
    QFETCH(int, port);
    const CommandLine c =
        parseCommandLine({QStringLiteral("m"), QStringLiteral("--serve"), value, QStringLiteral("--headless")});
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.serveAddress, address);
    QCOMPARE(static_cast<int>(c.options.servePort), port);
    QVERIFY(c.options.headless);
  }

  void realSources_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("feed");
    QTest::addRow("stdin") << QStringLiteral("stdin") << QStringLiteral("stdin");
    QTest::addRow("file") << QStringLiteral("file:/var/log/syslog") << QStringLiteral("file:/var/log/syslog");
    QTest::addRow("http") << QStringLiteral("http:http://127.0.0.1:9000/api?after={cursor:0}")
                          << QStringLiteral("http:http://127.0.0.1:9000/api?after={cursor:0}");
    QTest::addRow("bare URL") << QStringLiteral("http://legacy/items") << QStringLiteral("http:http://legacy/items");
#if MEMLOG_WITH_REDIS
    QTest::addRow("redis") << QStringLiteral("redis:127.0.0.1:6379/events@0")
                           << QStringLiteral("redis:127.0.0.1:6379/events@0");
#endif
  }
  void realSources() {
    QFETCH(QString, value);
    QFETCH(QString, feed);
    const CommandLine c = parseCommandLine({QStringLiteral("m"), QStringLiteral("--source"), value});
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.feed, feed);
    QVERIFY(!c.options.hasSource);  // the simulation's remembered kind is left alone
  }

  void pollAndMirror() {
    const CommandLine c = parseCommandLine({QStringLiteral("m"), QStringLiteral("--poll-ms"), QStringLiteral("250"),
                                            QStringLiteral("--mirror"), QStringLiteral("redis:localhost:6390/copy")});
    QCOMPARE(c.options.pollMs, 250);
#if MEMLOG_WITH_REDIS
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.mirror, QStringLiteral("redis:localhost:6390/copy"));
#else
    QCOMPARE(c.action, CommandLine::Action::error);
#endif
  }

#if MEMLOG_WITH_REDIS
  // A sharded log is mirrored too, a stream per shard (s:0 … s:3).
  void shardedMirror() {
    const CommandLine c = parseCommandLine({QStringLiteral("m"), QStringLiteral("--shards"), QStringLiteral("4"),
                                            QStringLiteral("--mirror"), QStringLiteral("redis:127.0.0.1:6379/s")});
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.sharding.shards, 4);
    QCOMPARE(c.options.mirror, QStringLiteral("redis:127.0.0.1:6379/s"));
  }
#endif

  void theme_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<Theme::Scheme>("scheme");
    QTest::addRow("default: follow the desktop") << QStringList{} << Theme::Scheme::system;
    QTest::addRow("dark") << QStringList{QStringLiteral("--theme"), QStringLiteral("dark")} << Theme::Scheme::dark;
    QTest::addRow("light") << QStringList{QStringLiteral("--theme=light")} << Theme::Scheme::light;
    QTest::addRow("system") << QStringList{QStringLiteral("--theme"), QStringLiteral("system")}
                            << Theme::Scheme::system;
    QTest::addRow("any case") << QStringList{QStringLiteral("--theme"), QStringLiteral("Dark")} << Theme::Scheme::dark;
  }
  void theme() {
    QFETCH(QStringList, arguments);
    QFETCH(Theme::Scheme, scheme);
    const CommandLine c = parseCommandLine(QStringList{QStringLiteral("m")} + arguments);
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.theme, scheme);
  }

  void helpAndVersion() {
    QCOMPARE(parseCommandLine({QStringLiteral("m"), QStringLiteral("--help")}).action, CommandLine::Action::help);
    const CommandLine v = parseCommandLine({QStringLiteral("m"), QStringLiteral("--version")});
    QCOMPARE(v.action, CommandLine::Action::version);
    QVERIFY(v.text.contains(QStringLiteral("memlog-monitor")));
  }

  // The usage line names the program, not the path it was started by, nor QCommandLineParser's
  // "<executable_name>" (main() parses before a QCoreApplication exists; here one does, named
  // after this test).
  void helpNamesTheProgram_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addRow("--help") << QStringList{QStringLiteral("memlog-monitor"), QStringLiteral("--help")};
    QTest::addRow("-h") << QStringList{QStringLiteral("memlog-monitor"), QStringLiteral("-h")};
    QTest::addRow("started by an absolute path")
        << QStringList{QStringLiteral("/usr/local/bin/memlog-monitor"), QStringLiteral("--help")};
    QTest::addRow("started by a relative path")
        << QStringList{QStringLiteral("./build/release/app/memlog-monitor"), QStringLiteral("--help")};
    QTest::addRow("with other options") << QStringList{QStringLiteral("m"), QStringLiteral("--rate"),
                                                       QStringLiteral("5"), QStringLiteral("--help")};
  }
  void helpNamesTheProgram() {
    QFETCH(QStringList, arguments);
    const CommandLine c = parseCommandLine(arguments);
    QCOMPARE(c.action, CommandLine::Action::help);
    QCOMPARE(c.text.section(u'\n', 0, 0), QStringLiteral("Usage: memlog-monitor [options]"));
    QVERIFY2(!c.text.contains(QStringLiteral("executable_name")), qPrintable(c.text));
    QVERIFY2(c.text.contains(QStringLiteral("--segment-size <N>")), qPrintable(c.text));  // the rest is intact
  }

  void hostileValues_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    auto row = [](const char* name, QStringList args, const char* mentions) {
      args.prepend(QStringLiteral("memlog-monitor"));
      QTest::addRow("%s", name) << args << QString::fromLatin1(mentions);
    };
    row("segment size zero", {QStringLiteral("--segment-size"), QStringLiteral("0")}, "segment-size");
    row("segment size negative", {QStringLiteral("--segment-size"), QStringLiteral("-5")}, "segment-size");
    row("segment size huge", {QStringLiteral("--segment-size"), QStringLiteral("10000001")}, "segment-size");
    row("segment size overflowing", {QStringLiteral("--segment-size"), QStringLiteral("99999999999999999999999")},
        "segment-size");
    row("segment size not a number", {QStringLiteral("--segment-size"), QStringLiteral("lots")}, "segment-size");
    row("segment size fractional", {QStringLiteral("--segment-size"), QStringLiteral("1.5")}, "segment-size");
    row("max record bytes zero", {QStringLiteral("--max-record-bytes"), QStringLiteral("0")}, "max-record-bytes");
    row("max record bytes over 64 MiB", {QStringLiteral("--max-record-bytes"), QStringLiteral("67108865")},
        "max-record-bytes");
    row("start offset negative", {QStringLiteral("--start-offset"), QStringLiteral("-1")}, "start-offset");
    row("rate negative", {QStringLiteral("--rate"), QStringLiteral("-3")}, "rate");
    row("rate not a number", {QStringLiteral("--rate"), QStringLiteral("fast")}, "rate");
    row("rate NaN", {QStringLiteral("--rate"), QStringLiteral("nan")}, "rate");
    row("rate infinite", {QStringLiteral("--rate"), QStringLiteral("inf")}, "rate");
    row("unknown source kind", {QStringLiteral("--source"), QStringLiteral("mainframe")}, "source");
    row("seed negative", {QStringLiteral("--seed"), QStringLiteral("-1")}, "seed");
    row("consumers too many", {QStringLiteral("--consumers"), QStringLiteral("65")}, "consumers");
    row("quit-after zero", {QStringLiteral("--quit-after"), QStringLiteral("0")}, "quit-after");
    row("quit-after not a number", {QStringLiteral("--quit-after"), QStringLiteral("soon")}, "quit-after");
    row("missing value", {QStringLiteral("--segment-size")}, "segment-size");
    row("unknown option", {QStringLiteral("--segments"), QStringLiteral("5")}, "segments");
    row("stray argument", {QStringLiteral("extra")}, "extra");
    row("serve port zero", {QStringLiteral("--serve"), QStringLiteral("0")}, "serve");
    row("serve port too high", {QStringLiteral("--serve"), QStringLiteral("65535")}, "serve");
    row("serve port not a number", {QStringLiteral("--serve"), QStringLiteral("localhost:http")}, "serve");
    row("serve bad address", {QStringLiteral("--serve"), QStringLiteral("example.org:8080")}, "serve");
    row("source empty file", {QStringLiteral("--source"), QStringLiteral("file:")}, "needs a path");
    row("source ftp URL", {QStringLiteral("--source"), QStringLiteral("http:ftp://x/y")}, "source");
    row("source redis without stream", {QStringLiteral("--source"), QStringLiteral("redis:127.0.0.1:6379")},
        "no stream name");
    row("source redis bad port", {QStringLiteral("--source"), QStringLiteral("redis:h:0/s")}, "not a port");
    row("poll too fast", {QStringLiteral("--poll-ms"), QStringLiteral("10")}, "poll-ms");
    row("poll not a number", {QStringLiteral("--poll-ms"), QStringLiteral("often")}, "poll-ms");
    row("mirror without stream", {QStringLiteral("--mirror"), QStringLiteral("redis:127.0.0.1:6379")}, "mirror");
#if MEMLOG_WITH_REDIS
    row("mirror with an ID", {QStringLiteral("--mirror"), QStringLiteral("redis:127.0.0.1:6379/s@0")}, "'@ID'");
    row("mirror bad port", {QStringLiteral("--mirror"), QStringLiteral("redis:h:70000/s")}, "not a port");
#else
    // A build without Redis says so for a well-formed Redis source or mirror.
    row("source redis without Redis", {QStringLiteral("--source"), QStringLiteral("redis:127.0.0.1:6379/events")},
        "--source: this build of memlog-monitor has no Redis support");
    row("mirror without Redis", {QStringLiteral("--mirror"), QStringLiteral("redis:127.0.0.1:6379/copy")},
        "--mirror: this build of memlog-monitor has no Redis support");
#endif
    row("theme unknown", {QStringLiteral("--theme"), QStringLiteral("purple")}, "--theme: 'purple'");
    row("theme empty", {QStringLiteral("--theme=")}, "theme");
    row("theme missing value", {QStringLiteral("--theme")}, "theme");
    row("headless screenshot", {QStringLiteral("--headless"), QStringLiteral("--screenshot"), QStringLiteral("x.png")},
        "headless");
    const auto args = [](std::initializer_list<const char*> list) {
      QStringList out;
      for (const char* a : list) out << QString::fromUtf8(a);
      return out;
    };
    row("shards one", args({"--shards", "1"}), "--shards: '1' is not a shard count");
    row("shards zero", args({"--shards", "0"}), "from 2 to 1024");
    row("shards 1025", args({"--shards", "1025"}), "from 2 to 1024");
    row("shards negative", args({"--shards", "-8"}), "--shards");
    row("shards overflowing", args({"--shards", "184467440737095516160"}), "--shards");
    row("shards not a number", args({"--shards", "several"}), "--shards");
    row("shards fractional", args({"--shards", "2.5"}), "--shards");
    row("shards empty", args({"--shards="}), "--shards");
    row("shard key without shards", args({"--shard-key", "device"}), "--shard-key: only for a sharded log");
    row("sharder without shards", args({"--sharder", "fnv"}), "--sharder: only for a sharded log");
    row("shard key empty", args({"--shards", "4", "--shard-key="}), "--shard-key: '' is not a key field");
    row("shard key with a quote", args({"--shards", "4", "--shard-key", "a\"b"}), "not a key field");
    row("shard key non-ASCII", args({"--shards", "4", "--shard-key", "gerät"}), "not a key field");
    row("sharder unknown", args({"--shards", "4", "--sharder", "crc32"}), "--sharder: 'crc32' is not a sharder");
    row("sharder no keys", args({"--shards", "4", "--sharder", "keys:"}), "empty key");
    row("sharder duplicate key", args({"--shards", "4", "--sharder", "keys:a,a"}), "twice");
    row("sharder more keys than shards", args({"--shards", "2", "--sharder", "keys:a,b,c"}), "3 keys for 2 shards");
    row("key skew unknown", args({"--key-skew", "pareto"}), "--key-skew: 'pareto' is not a key skew");
    row("key skew share zero", args({"--key-skew", "hot:0"}), "--key-skew");
    row("key skew share over one", args({"--key-skew", "hot:1.01"}), "--key-skew");
    row("key skew exponent junk", args({"--key-skew", "zipf:x"}), "--key-skew");
  }

  void sharding() {
    const CommandLine plain = parseCommandLine({QStringLiteral("memlog-monitor")});
    QVERIFY(!plain.options.sharding.sharded());
    const CommandLine c = parseCommandLine({QStringLiteral("memlog-monitor"), QStringLiteral("--shards"),
                                            QStringLiteral("256"), QStringLiteral("--shard-key"), QStringLiteral("sku"),
                                            QStringLiteral("--sharder"), QStringLiteral("keys:SKU-00001,SKU-00002"),
                                            QStringLiteral("--key-skew"), QStringLiteral("zipf:1.5")});
    QCOMPARE(c.action, CommandLine::Action::run);
    QCOMPARE(c.options.sharding.shards, 256);
    QCOMPARE(c.options.sharding.keyField, QStringLiteral("sku"));
    QCOMPARE(c.options.sharding.sharder.text(), std::string("keys:SKU-00001,SKU-00002"));
    QCOMPARE(c.options.source.skew.kind, memlog::sim::KeySkew::Kind::zipf);
    QCOMPARE(c.options.source.skew.zipf_exponent, 1.5);
    const CommandLine fnv =
        parseCommandLine({QStringLiteral("memlog-monitor"), QStringLiteral("--shards"), QStringLiteral("2")});
    QCOMPARE(fnv.options.sharding.sharder.kind, memlog::shard::SharderSpec::Kind::fnv);
    QVERIFY(fnv.options.sharding.keyField.isEmpty());  // the simulation's natural key
  }
  void hostileValues() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    const CommandLine c = parseCommandLine(arguments);
    QCOMPARE(c.action, CommandLine::Action::error);
    QVERIFY2(c.text.contains(mentions), qPrintable(c.text));
    QVERIFY2(!c.text.contains(u'\n'), "one line");
  }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_command_line.moc"
