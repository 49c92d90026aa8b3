// SPDX-License-Identifier: MIT
// BatchCache alone, on a real log: a batch is encoded once and shared, a message is at most
// kStreamBatch records and stops growing past kMessageBytes, it holds consecutive records from
// its first offset, a purged or a caught-up position gives no message (and says why), and the
// cache stays within kCacheBytes, the oldest going first.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

#include "server/batch_cache.hpp"

using namespace Qt::StringLiterals;

namespace {

std::shared_ptr<memlog::Log> makeLog(std::size_t segmentSize, int records, qsizetype payloadSize) {
  auto log = *memlog::Log::create({.segment_size = segmentSize});
  const std::string payload(static_cast<std::size_t>(payloadSize), 'x');
  for (int i = 0; i < records; ++i) {
    if (!log->write(payload)) return nullptr;
  }
  return log;
}

// The offsets a message holds, in its order.
QList<qint64> offsetsOf(const QString& message) {
  QList<qint64> out;
  for (const auto& value : QJsonDocument::fromJson(message.toUtf8()).array())
    out.append(value.toObject().value(u"offset"_s).toInteger());
  return out;
}

}  // namespace

class TestBatchCache : public QObject {
  Q_OBJECT

 private slots:
  void encodesOnceAndShares() {
    const auto log = makeLog(1024, 100, 10);
    QVERIFY(log);
    BatchCache cache;
    std::error_code error;
    const BatchCache::Batch* first = cache.at(*log, 0, &error);
    QVERIFY(first);
    const QString message = first->message;
    const BatchCache::Batch* again = cache.at(*log, 0, &error);
    QVERIFY(again);
    QCOMPARE(cache.encodings(), quint64(1));
    QVERIFY(again->message.isSharedWith(message));
    QCOMPARE(cache.bytes(), again->bytes);
  }

  void messageLimits_data() {
    QTest::addColumn<int>("records");
    QTest::addColumn<int>("payloadSize");
    QTest::addColumn<qint64>("position");
    QTest::addColumn<int>("expectedCount");
    // -1: stopped by the byte limit (a count that depends on the JSON's width) before kStreamBatch.
    QTest::addRow("small records stop past kMessageBytes") << 2000 << 8 << qint64(0) << -1;
    QTest::addRow("stops past kMessageBytes") << 100 << 10'000 << qint64(0) << 4;
    QTest::addRow("one record past kMessageBytes alone") << 3 << 50'000 << qint64(1) << 1;
    QTest::addRow("up to the log's end") << 30 << 8 << qint64(10) << 20;
  }
  void messageLimits() {
    QFETCH(int, records);
    QFETCH(int, payloadSize);
    QFETCH(qint64, position);
    QFETCH(int, expectedCount);
    const auto log = makeLog(4096, records, payloadSize);
    QVERIFY(log);
    BatchCache cache;
    std::error_code error;
    const BatchCache::Batch* batch = cache.at(*log, position, &error);
    QVERIFY(batch);
    QCOMPARE(batch->first, memlog::Offset(position));
    if (expectedCount < 0) {
      QVERIFY(batch->count < BatchCache::kStreamBatch);
      QVERIFY(batch->message.toUtf8().size() >= BatchCache::kMessageBytes);
      expectedCount = static_cast<int>(batch->count);
    }
    QCOMPARE(batch->count, static_cast<std::size_t>(expectedCount));
    QCOMPARE(batch->bytes, batch->message.size() * qint64(sizeof(QChar)));
    const QList<qint64> offsets = offsetsOf(batch->message);
    QCOMPARE(offsets.size(), expectedCount);
    for (qsizetype i = 0; i < offsets.size(); ++i) QCOMPARE(offsets[i], qint64(position + i));
  }

  void nothingToSend_data() {
    QTest::addColumn<int>("records");
    QTest::addColumn<qint64>("position");
    QTest::addColumn<int>("error");
    // Ten records per segment: thirty written purge the first segment.
    QTest::addRow("an empty log") << 0 << qint64(0) << int(memlog::Errc::future_offset);
    QTest::addRow("caught up") << 30 << qint64(30) << int(memlog::Errc::future_offset);
    QTest::addRow("purged") << 30 << qint64(0) << int(memlog::Errc::out_of_range);
  }
  void nothingToSend() {
    QFETCH(int, records);
    QFETCH(qint64, position);
    QFETCH(int, error);
    const auto log = makeLog(10, records, 8);
    QVERIFY(log);
    BatchCache cache;
    std::error_code ec;
    QVERIFY(cache.at(*log, position, &ec) == nullptr);
    QCOMPARE(ec, memlog::make_error_code(static_cast<memlog::Errc>(error)));
    QCOMPARE(cache.encodings(), quint64(0));
  }

  // A purged position is refused even when its message is still in the cache.
  void purgedNotServedFromCache() {
    const auto log = makeLog(10, 5, 8);
    QVERIFY(log);
    BatchCache cache;
    std::error_code ec;
    QVERIFY(cache.at(*log, 0, &ec));
    for (int i = 0; i < 30; ++i) QVERIFY(log->write("later").has_value());
    QVERIFY(log->range().earliest > 0);
    QVERIFY(cache.at(*log, 0, &ec) == nullptr);
    QCOMPARE(ec, memlog::make_error_code(memlog::Errc::out_of_range));
  }

  // Messages of about 80 KB (UTF-16) each: the cache holds about a hundred, drops the oldest
  // first, and encodes a dropped one again when it is asked for.
  void staysWithinItsBytes() {
    constexpr int kMessages = 200;
    const auto log = makeLog(4096, kMessages * 4, 10'000);
    QVERIFY(log);
    BatchCache cache;
    std::error_code ec;
    memlog::Offset position = 0;
    for (int i = 0; i < kMessages; ++i) {
      const BatchCache::Batch* batch = cache.at(*log, position, &ec);
      QVERIFY(batch);
      position += static_cast<qint64>(batch->count);
      QVERIFY(cache.bytes() <= BatchCache::kCacheBytes);
    }
    QCOMPARE(cache.encodings(), quint64(kMessages));
    QVERIFY(cache.bytes() > BatchCache::kCacheBytes / 2);
    QVERIFY(cache.at(*log, position - 4, &ec));  // the newest is kept
    QCOMPARE(cache.encodings(), quint64(kMessages));
    QVERIFY(cache.at(*log, 0, &ec));  // the oldest was dropped
    QCOMPARE(cache.encodings(), quint64(kMessages + 1));
  }

  void clearForgetsAll() {
    const auto log = makeLog(1024, 10, 8);
    QVERIFY(log);
    BatchCache cache;
    std::error_code ec;
    QVERIFY(cache.at(*log, 0, &ec));
    cache.clear();
    QCOMPARE(cache.bytes(), qint64(0));
    QVERIFY(cache.at(*log, 0, &ec));
    QCOMPARE(cache.encodings(), quint64(2));
  }
};

QTEST_GUILESS_MAIN(TestBatchCache)
#include "tst_batch_cache.moc"
