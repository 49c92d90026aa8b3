// SPDX-License-Identifier: MIT
// record_json: the wire form of a record. Whatever the payload's bytes, the result is strict
// JSON: well-formed UTF-8 goes as a string (control characters, quotes and backslashes
// escaped), anything else — overlong forms, surrogates, code points beyond U+10FFFF, truncated
// sequences, stray continuation bytes — goes as base64 with "encoding":"base64", and decodes
// back to the very bytes.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>
#include <QTest>

#include "encoding/record_json.hpp"

class TestRecordJson : public QObject {
  Q_OBJECT

 private slots:
  void payloads_data() {
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("text");  // sent as a JSON string (else base64)
    QTest::addRow("ASCII") << QByteArray("plain text") << true;
    QTest::addRow("JSON payload") << QByteArray(R"({"k":[1,2]})") << true;
    QTest::addRow("2-, 3- and 4-byte UTF-8") << QByteArray("\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") << true;
    QTest::addRow("U+10FFFF, the last code point") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::addRow("control characters") << QByteArray("a\tb\nc\rd\x01\x1f\x7f", 10) << true;
    QTest::addRow("NUL inside") << QByteArray("a\0b", 3) << true;
    QTest::addRow("quotes and backslashes") << QByteArray(R"(say "hi" \ bye \\)") << true;
    QTest::addRow("overlong slash, 2 bytes") << QByteArray("\xc0\xaf") << false;
    QTest::addRow("overlong NUL, 2 bytes") << QByteArray("\xc0\x80") << false;
    QTest::addRow("overlong, 3 bytes") << QByteArray("\xe0\x80\xaf") << false;
    QTest::addRow("overlong, 4 bytes") << QByteArray("\xf0\x80\x80\xaf") << false;
    QTest::addRow("UTF-16 surrogate D800") << QByteArray("\xed\xa0\x80") << false;
    QTest::addRow("UTF-16 surrogate DFFF") << QByteArray("\xed\xbf\xbf") << false;
    QTest::addRow("beyond U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::addRow("F5 lead byte") << QByteArray("\xf5\x80\x80\x80") << false;
    QTest::addRow("truncated 2-byte sequence at the end") << QByteArray("ok\xc3") << false;
    QTest::addRow("truncated 3-byte sequence at the end") << QByteArray("ok\xe2\x82") << false;
    QTest::addRow("truncated 4-byte sequence inside") << QByteArray("\xf0\x9f\x98 ok") << false;
    QTest::addRow("stray continuation byte") << QByteArray("a\x80z") << false;
    QTest::addRow("Latin-1 byte") << QByteArray("caf\xe9") << false;
    QTest::addRow("binary") << QByteArray("\x00\x01\xff\xfe", 4) << false;
  }
  void payloads() {
    QFETCH(QByteArray, payload);
    QFETCH(bool, text);
    auto log = *memlog::Log::create({.segment_size = 4});
    QVERIFY(log->write(std::string_view(payload.constData(), static_cast<std::size_t>(payload.size()))).has_value());
    const QByteArray json = record_json::record(*log->read(0));

    // Strict: valid UTF-8 throughout, and JSON that parses.
    QStringDecoder strict(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = strict.decode(json);
    QVERIFY2(!strict.hasError(), json.constData());
    QJsonParseError error{};
    const QJsonObject object = QJsonDocument::fromJson(json, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + u' ' + decoded));

    QCOMPARE(object.value(u"offset").toInteger(), 0);
    QCOMPARE(object.value(u"size").toInteger(), payload.size());
    QCOMPARE(record_json::isValidUtf8(std::string_view(payload.constData(), static_cast<std::size_t>(payload.size()))),
             text);
    if (text) {
      QVERIFY(!object.contains(u"encoding"));
      QCOMPARE(object.value(u"payload").toString().toUtf8(), payload);  // every byte, escapes undone
    } else {
      QCOMPARE(object.value(u"encoding").toString(), QStringLiteral("base64"));
      QCOMPARE(QByteArray::fromBase64(object.value(u"payload").toString().toLatin1()), payload);
    }
  }

  void recordsAreAnArrayInOrder() {
    auto log = *memlog::Log::create({.segment_size = 8});
    for (const char* p : {"a", "\xff", "c"}) QVERIFY(log->write(std::string_view(p)).has_value());
    std::vector<memlog::Record> records{*log->read(0), *log->read(1), *log->read(2)};
    const QJsonArray array = QJsonDocument::fromJson(record_json::records(records)).array();
    QCOMPARE(array.size(), 3);
    for (int i = 0; i < 3; ++i) QCOMPARE(array.at(i).toObject().value(u"offset").toInteger(), i);
    QCOMPARE(array.at(1).toObject().value(u"encoding").toString(), QStringLiteral("base64"));
    QCOMPARE(record_json::records({}), QByteArray("[]"));
  }
};

QTEST_GUILESS_MAIN(TestRecordJson)
#include "tst_record_json.moc"
