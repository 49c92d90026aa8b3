// SPDX-License-Identifier: MIT
// Remembered settings: good values come back, corrupt or out-of-range ones give the defaults
// and a warning, and the command line wins over what was remembered.
#include <QTemporaryDir>
#include <QTest>

#include "settings.hpp"

class TestSettings : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip() {
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    MonitorOptions saved;
    saved.log.segment_size = 321;
    saved.log.max_record_bytes = 999;
    saved.source.rate = 42;
    saved.source.kind = memlog::sim::SourceKind::inventory;
    saved.consumers = 5;
    settings::save(store, saved);
    MonitorOptions loaded;
    QStringList warnings;
    settings::load(store, loaded, warnings);
    QVERIFY(warnings.isEmpty());
    QCOMPARE(loaded.log.segment_size, 321u);
    QCOMPARE(loaded.log.max_record_bytes, 999u);
    QCOMPARE(loaded.source.rate, 42.0);
    QCOMPARE(loaded.source.kind, memlog::sim::SourceKind::inventory);
    QCOMPARE(loaded.consumers, 5);
  }

  // What the command line gave is remembered only if it was changed in the window since: a
  // one-off `--rate 100000` (or a scripted --headless run) is not the next run's default.
  void commandLineValuesAreRememberedOnlyIfChanged() {
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    MonitorOptions before;
    before.log.segment_size = 500;
    before.source.rate = 20;
    before.consumers = 3;
    settings::save(store, before);
    MonitorOptions started = parseCommandLine({QStringLiteral("m"), QStringLiteral("--rate"), QStringLiteral("100000"),
                                               QStringLiteral("--segment-size"), QStringLiteral("64"),
                                               QStringLiteral("--shards"), QStringLiteral("4")})
                                 .options;
    QStringList warnings;
    settings::load(store, started, warnings);
    QVERIFY(warnings.isEmpty());
    QCOMPARE(started.source.rate, 100000.0);
    MonitorOptions atEnd = started;
    atEnd.log.segment_size = 128;  // changed in the window
    atEnd.consumers = 5;           // not given on the command line: remembered as it is
    settings::save(store, atEnd, started);
    MonitorOptions next;
    settings::load(store, next, warnings);
    QCOMPARE(next.source.rate, 20.0);       // --rate: not remembered
    QVERIFY(!next.sharding.sharded());      // --shards: not remembered
    QCOMPARE(next.log.segment_size, 128u);  // given, then changed in the window: remembered
    QCOMPARE(next.consumers, 5);
  }

  void corruptValues_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addRow("segment size text") << QStringLiteral("log/segmentSize") << QStringLiteral("garbage");
    QTest::addRow("segment size zero") << QStringLiteral("log/segmentSize") << QStringLiteral("0");
    QTest::addRow("segment size huge") << QStringLiteral("log/segmentSize") << QStringLiteral("999999999999");
    QTest::addRow("max record bytes negative") << QStringLiteral("log/maxRecordBytes") << QStringLiteral("-7");
    QTest::addRow("rate negative") << QStringLiteral("source/rate") << QStringLiteral("-1");
    QTest::addRow("unknown kind") << QStringLiteral("source/kind") << QStringLiteral("mainframe");
    QTest::addRow("consumers huge") << QStringLiteral("consumers/count") << QStringLiteral("100000");
  }
  void corruptValues() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    store.setValue(key, value);
    MonitorOptions loaded;
    const MonitorOptions defaults;
    QStringList warnings;
    settings::load(store, loaded, warnings);
    QCOMPARE(warnings.size(), 1);
    QVERIFY(warnings.constFirst().contains(key));
    QCOMPARE(loaded.log.segment_size, defaults.log.segment_size);
    QCOMPARE(loaded.log.max_record_bytes, defaults.log.max_record_bytes);
    QCOMPARE(loaded.source.rate, defaults.source.rate);
    QCOMPARE(loaded.source.kind, defaults.source.kind);
    QCOMPARE(loaded.consumers, defaults.consumers);
  }

  void shardingRoundTrip() {
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    MonitorOptions saved;
    saved.sharding.shards = 16;
    saved.sharding.keyField = QStringLiteral("sku");
    sharding::parseSharder(QStringLiteral("keys:a,b"), &saved.sharding.sharder);
    settings::save(store, saved);
    MonitorOptions loaded;
    QStringList warnings;
    settings::load(store, loaded, warnings);
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    QCOMPARE(loaded.sharding, saved.sharding);
    // One log saved: one log loaded.
    settings::save(store, MonitorOptions{});
    MonitorOptions plain;
    settings::load(store, plain, warnings);
    QVERIFY(warnings.isEmpty());
    QVERIFY(!plain.sharding.sharded());
    // The command line wins over what was saved.
    settings::save(store, saved);
    MonitorOptions given =
        parseCommandLine({QStringLiteral("m"), QStringLiteral("--shards"), QStringLiteral("3")}).options;
    settings::load(store, given, warnings);
    QCOMPARE(given.sharding.shards, 3);
    QCOMPARE(given.sharding.sharder.text(), std::string("fnv"));
  }

  void corruptSharding_data() {
    QTest::addColumn<QString>("shards");
    QTest::addColumn<QString>("keyField");
    QTest::addColumn<QString>("sharder");
    QTest::addRow("one shard") << QStringLiteral("1") << QString() << QStringLiteral("fnv");
    QTest::addRow("too many shards") << QStringLiteral("5000") << QString() << QStringLiteral("fnv");
    QTest::addRow("not a number") << QStringLiteral("many") << QString() << QStringLiteral("fnv");
    QTest::addRow("bad sharder") << QStringLiteral("4") << QString() << QStringLiteral("md5");
    QTest::addRow("key list too long") << QStringLiteral("2") << QString() << QStringLiteral("keys:a,b,c");
    QTest::addRow("bad key field") << QStringLiteral("4") << QStringLiteral("a\"b") << QStringLiteral("fnv");
  }
  void corruptSharding() {
    QFETCH(QString, shards);
    QFETCH(QString, keyField);
    QFETCH(QString, sharder);
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    store.setValue(QStringLiteral("log/shards"), shards);
    store.setValue(QStringLiteral("log/shardKey"), keyField);
    store.setValue(QStringLiteral("log/sharder"), sharder);
    MonitorOptions loaded;
    QStringList warnings;
    settings::load(store, loaded, warnings);
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.constFirst().contains(QStringLiteral("log/shards")), qPrintable(warnings.constFirst()));
    QVERIFY(!loaded.sharding.sharded());
  }

  void commandLineWins() {
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    store.setValue(QStringLiteral("log/segmentSize"), 77);
    const CommandLine c =
        parseCommandLine({QStringLiteral("m"), QStringLiteral("--segment-size"), QStringLiteral("55")});
    MonitorOptions options = c.options;
    QStringList warnings;
    settings::load(store, options, warnings);
    QCOMPARE(options.log.segment_size, 55u);
  }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
