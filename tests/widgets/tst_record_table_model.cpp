// SPDX-License-Identifier: MIT
// RecordTableModel: consistent through appends and purges (QAbstractItemModelTester), rows
// equal to the retained range once settled, never a purged record shown as if present.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>

#include "adapter/log_adapter.hpp"
#include "adapter/log_session.hpp"
#include "table/record_table_model.hpp"

class TestRecordTableModel : public QObject {
  Q_OBJECT

 private slots:
  void followsAppendsAndPurges_data() {
    QTest::addColumn<int>("segmentSize");
    QTest::addRow("segment size 1") << 1;
    QTest::addRow("segment size 7") << 7;
    QTest::addRow("segment size 1000") << 1000;
  }
  void followsAppendsAndPurges() {
    QFETCH(int, segmentSize);
    LogAdapter adapter(*memlog::Log::create({.segment_size = static_cast<std::size_t>(segmentSize)}));
    RecordTableModel model(&adapter);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    auto log = adapter.log();
    std::atomic<bool> done{false};
    std::jthread writer([&] {
      for (int i = 0; i < 20000; ++i) (void)log->write("record " + std::to_string(i));
      done = true;
    });
    // While it runs, every shown row is either its record or "(purged)", never another one.
    while (!done) {
      QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
      for (int row = 0; row < model.rowCount(); row += std::max(1, model.rowCount() / 7)) {
        const QString payload = model.data(model.index(row, RecordTableModel::PayloadColumn)).toString();
        const qint64 offset = model.data(model.index(row, RecordTableModel::OffsetColumn)).toLongLong();
        QVERIFY2(payload == QStringLiteral("(purged)") || payload == QStringLiteral("record %1").arg(offset),
                 qPrintable(payload));
      }
    }
    writer.join();
    const memlog::Range range = log->range();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), static_cast<int>(range.latest - range.earliest + 1), 5000);
    QCOMPARE(model.firstOffset(), range.earliest);
    QCOMPARE(model.data(model.index(model.rowCount() - 1, RecordTableModel::PayloadColumn)).toString(),
             QStringLiteral("record 19999"));
    QCOMPARE(resets.count(), 0);  // live updates are inserts and removes, never resets
  }

  void purgedRowSaysSo() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 2}));
    RecordTableModel model(&adapter);
    auto log = adapter.log();
    for (int i = 0; i < 4; ++i) QVERIFY(log->write("r").has_value());
    model.sync();
    QCOMPARE(model.rowCount(), 4);
    model.setFrozen(true);  // the rows stay while the log purges 0..1
    for (int i = 0; i < 2; ++i) QVERIFY(log->write("r").has_value());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.data(model.index(0, RecordTableModel::PayloadColumn)).toString(), QStringLiteral("(purged)"));
    QVERIFY(!model.record(0).has_value());
    model.setFrozen(false);  // catches up at once
    QCOMPARE(model.firstOffset(), 2);
    QCOMPARE(model.rowCount(), 4);
  }

  void binaryAndLargePayloads() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 10, .max_record_bytes = 2 << 20}));
    RecordTableModel model(&adapter);
    const std::string binary("a\0b\xff\xfe\x01z", 7);
    QVERIFY(adapter.log()->write(binary).has_value());
    QVERIFY(adapter.log()->write(std::string(1 << 20, 'M')).has_value());
    model.sync();
    const QString preview = model.data(model.index(0, RecordTableModel::PayloadColumn)).toString();
    QVERIFY(!preview.contains(QChar(0)));  // control bytes are shown as dots, not passed through
    QCOMPARE(model.data(model.index(0, RecordTableModel::SizeColumn)).toULongLong(), 7u);
    QVERIFY(model.data(model.index(1, RecordTableModel::PayloadColumn)).toString().size() < 200);  // a preview
    QCOMPARE(
        model.data(model.index(1, RecordTableModel::PayloadColumn), RecordTableModel::PayloadRole).toByteArray().size(),
        1 << 20);
  }

  void resetOnReconfigure() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 10}));
    RecordTableModel model(&adapter);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 5; ++i) QVERIFY(adapter.log()->write("old").has_value());
    model.sync();
    QCOMPARE(model.rowCount(), 5);
    QVERIFY(
        adapter.reconfigure({.start_offset = 50, .segment_size = 4, .max_record_bytes = 100, .clock = {}}).isEmpty());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(adapter.log()->write("new").has_value());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
    QCOMPARE(model.firstOffset(), 50);
  }

  // A sharded log: the shard and key columns are inserted (not a reset), name the shard shown
  // and each record's key, and follow the shard shown; appends stay consistent throughout.
  void shardAndKeyColumns() {
    ShardingOptions sharding;
    sharding.shards = 4;
    sharding::parseSharder(QStringLiteral("keys:th-000,th-001,th-002,th-003"), &sharding.sharder);
    LogSession session({.segment_size = 100}, {.rate = 0}, sharding);
    RecordTableModel model(session.adapter());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QCOMPARE(model.columnCount(), static_cast<int>(RecordTableModel::kPlainColumns));
    model.showShards(session.shards());
    QCOMPARE(model.columnCount(), static_cast<int>(RecordTableModel::ColumnCount));
    for (int n = 0; n < 48; ++n) session.source()->step();  // th-000 .. th-003 twice each
    model.sync();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, RecordTableModel::ShardColumn).data().toString(), QStringLiteral("#0"));
    QCOMPARE(model.index(0, RecordTableModel::KeyColumn).data().toString(), QStringLiteral("th-000"));
    QCOMPARE(model.keyAt(1), QStringLiteral("th-000"));
    QCOMPARE(model.headerData(RecordTableModel::KeyColumn, Qt::Horizontal).toString(), QStringLiteral("Key"));
    session.shards()->requestFocus(3);
    model.sync();
    QCOMPARE(model.index(0, RecordTableModel::ShardColumn).data().toString(), QStringLiteral("#3"));
    QCOMPARE(model.index(1, RecordTableModel::KeyColumn).data().toString(), QStringLiteral("th-003"));
    QCOMPARE(reset.count(), 1);  // the shard shown replaced the rows once; appends never reset
  }
};

QTEST_MAIN(TestRecordTableModel)
#include "tst_record_table_model.moc"
