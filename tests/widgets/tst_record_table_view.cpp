// SPDX-License-Identifier: MIT
// RecordTableView: follow the tail, stop following when scrolled up or when a record is
// selected, go to offset (with clear reasons when it cannot), the detail pane (stays on its
// offset, keeps a purged record under a banner, the payload's own key order), and the export
// formats.
#include <QBuffer>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "adapter/log_adapter.hpp"
#include "encoding/record_export.hpp"
#include "table/record_table_model.hpp"
#include "table/record_table_view.hpp"

class TestRecordTableView : public QObject {
  Q_OBJECT

 private slots:
  void followsTailUntilScrolledUp() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 1000}));
    RecordTableView view(&adapter);
    view.resize(800, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (int i = 0; i < 300; ++i) QVERIFY(adapter.log()->write("row").has_value());
    QScrollBar* bar = view.table()->verticalScrollBar();
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->rowCount() == 300 && bar->maximum() > 0 && bar->value() == bar->maximum(),
                             5000);
    QVERIFY(view.isFollowing());
    bar->setValue(0);  // the user scrolls up
    QVERIFY(!view.isFollowing());
    for (int i = 0; i < 50; ++i) QVERIFY(adapter.log()->write("more").has_value());
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 350, 5000);
    QCOMPARE(bar->value(), 0);  // stays where the user is
    view.jumpToNewest();
    QVERIFY(view.isFollowing());
    QCOMPARE(bar->value(), bar->maximum());
  }

  void goToOffset() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 10}));
    RecordTableView view(&adapter);
    for (int i = 0; i < 35; ++i) QVERIFY(adapter.log()->write(R"({"n":)" + std::to_string(i) + "}").has_value());
    QString why;
    QVERIFY(!view.goToOffset(3, &why));
    QVERIFY(why.contains(QStringLiteral("purged")));
    QVERIFY(!view.goToOffset(99, &why));
    QVERIFY(why.contains(QStringLiteral("not written")));
    QVERIFY(view.goToOffset(25, &why));
    QCOMPARE(view.table()->currentIndex().data().toLongLong(), 25);
    QVERIFY(!view.isFollowing());
    QVERIFY(view.detailText(0).contains(QStringLiteral("\"n\": 25")));       // pretty JSON
    QVERIFY(view.detailText(2).startsWith(QStringLiteral("00000000  7b")));  // hex of '{'
  }

  void selectingARecordStopsFollowing() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 1000}));
    RecordTableView view(&adapter);
    view.resize(800, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (int i = 0; i < 100; ++i) QVERIFY(adapter.log()->write(R"({"n":)" + std::to_string(i) + "}").has_value());
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 100, 5000);
    QVERIFY(view.isFollowing());
    QVERIFY(view.detailText(0).isEmpty());  // nothing selected: the placeholder explains how
    view.table()->selectRow(97);            // as a click does
    QVERIFY(!view.isFollowing());
    QCOMPARE(view.shownOffset(), 97);
    QVERIFY(view.detailText(0).contains(QStringLiteral("\"n\": 97")));
    view.jumpToNewest();
    QVERIFY(view.isFollowing());
    QCOMPARE(view.shownOffset(), 97);  // following again does not change what is shown
  }

  void detailStaysOnItsOffsetUntilPurgedThenSaysSo() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 10}));
    RecordTableView view(&adapter);
    view.resize(800, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto write = [&](int n) {
      for (int i = 0; i < n; ++i) {
        const auto offset = adapter.log()->stats().next_offset;
        QVERIFY(adapter.log()->write(R"({"seq":)" + std::to_string(offset) + "}").has_value());
      }
    };
    write(15);  // history 0-9, active 10-14
    view.model()->sync();
    QVERIFY(view.goToOffset(12));
    QVERIFY(view.detailText(0).contains(QStringLiteral("\"seq\": 12")));
    write(10);  // seals 10-19, purges 0-9: row 12 moves up, the pane stays on it
    view.model()->sync();
    QCOMPARE(view.model()->firstOffset(), 10);
    QCOMPARE(view.shownOffset(), 12);
    QCOMPARE(view.table()->currentIndex().data(RecordTableModel::OffsetRole).toLongLong(), 12);
    QVERIFY(view.purgedNotice().isEmpty());
    write(10);  // seals 20-29, purges 10-19: offset 12 is gone
    view.model()->sync();
    QCOMPARE(view.model()->firstOffset(), 20);
    QCOMPARE(view.shownOffset(), 12);  // not switched to another record
    QVERIFY(view.detailText(0).contains(QStringLiteral("\"seq\": 12")));
    QVERIFY2(view.purgedNotice().contains(QStringLiteral("Offset 12 was purged at")), qPrintable(view.purgedNotice()));
    QVERIFY(!view.table()->selectionModel()->hasSelection());  // no other row looks chosen
    QVERIFY(view.goToOffset(25));                              // choosing another record drops the banner
    QVERIFY(view.purgedNotice().isEmpty());
    QVERIFY(view.detailText(0).contains(QStringLiteral("\"seq\": 25")));
  }

  void jsonTabKeepsTheKeyOrder() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 10}));
    RecordTableView view(&adapter);
    QVERIFY(adapter.log()->write(R"({"zone":"b","device":7,"at":1.50,"tags":["x","y"],"empty":{}})").has_value());
    QVERIFY(view.goToOffset(0));
    QCOMPARE(view.detailText(0),
             QStringLiteral("{\n    \"zone\": \"b\",\n    \"device\": 7,\n    \"at\": 1.50,\n"
                            "    \"tags\": [\n        \"x\",\n        \"y\"\n    ],\n    \"empty\": {}\n}"));
  }

  void filterHidesOthers() {
    LogAdapter adapter(*memlog::Log::create({.segment_size = 100}));
    RecordTableView view(&adapter);
    for (int i = 0; i < 20; ++i) QVERIFY(adapter.log()->write(i % 5 ? "plain" : "needle").has_value());
    view.model()->sync();
    view.setFilter(QStringLiteral("NEEDLE"));
    QCOMPARE(view.table()->model()->rowCount(), 4);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shown.jsonl"));
    QVERIFY(view.exportShown(path, false));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 4);
  }

  void exportFormats() {
    auto log = *memlog::Log::create({.segment_size = 10});
    QVERIFY(log->write(std::string_view("say \"hi\", then\nbye")).has_value());
    QVERIFY(log->write(std::string("\xff\xfe", 2)).has_value());
    std::vector<memlog::Record> records{*log->read(0), *log->read(1)};
    QBuffer json;
    QVERIFY(json.open(QIODevice::WriteOnly));
    QVERIFY(record_export::writeJsonLines(json, records));
    const QList<QByteArray> lines = json.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].contains(R"("payload":"say \"hi\", then\nbye")"));
    QVERIFY(lines[1].contains(R"("encoding":"base64")"));
    QVERIFY(lines[1].contains(R"("payload":"//4=")"));
    QBuffer csv;
    QVERIFY(csv.open(QIODevice::WriteOnly));
    QVERIFY(record_export::writeCsv(csv, records));
    QVERIFY(csv.data().startsWith("offset,created,size,payload\r\n0,"));
    QVERIFY(csv.data().contains(R"("say ""hi"", then)"));  // RFC 4180 quoting
    QVERIFY(csv.data().contains("base64://4="));
  }
};

QTEST_MAIN(TestRecordTableView)
#include "tst_record_table_view.moc"
