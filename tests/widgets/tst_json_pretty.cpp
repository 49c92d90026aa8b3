// SPDX-License-Identifier: MIT
// json_pretty::format: re-indents JSON in its own key order, strings and numbers untouched;
// refuses what is not JSON with the parser's reason.
#include <QJsonDocument>
#include <QTest>

#include "table/json_pretty.hpp"

class TestJsonPretty : public QObject {
  Q_OBJECT

 private slots:
  void formats_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::addRow("keys keep their order")
        << QByteArray(R"({"b":1,"a":2})") << QStringLiteral("{\n  \"b\": 1,\n  \"a\": 2\n}");
    QTest::addRow("numbers as written") << QByteArray(R"([1.50,1e3,-0])")
                                        << QStringLiteral("[\n  1.50,\n  1e3,\n  -0\n]");
    QTest::addRow("empty containers stay inline")
        << QByteArray(R"({"a":{},"b":[ ]})") << QStringLiteral("{\n  \"a\": {},\n  \"b\": []\n}");
    QTest::addRow("structure characters inside strings")
        << QByteArray(R"({"k":"a,b:{c}[d]"})") << QStringLiteral("{\n  \"k\": \"a,b:{c}[d]\"\n}");
    QTest::addRow("escaped quote and backslash")
        << QByteArray("{\"q\":\"say \\\"hi\\\" \\\\\",\"n\":null}")
        << QStringLiteral("{\n  \"q\": \"say \\\"hi\\\" \\\\\",\n  \"n\": null\n}");
    QTest::addRow("white space and newlines replaced") << QByteArray("{\n\t\"a\" :  [ true ,false ]\r\n}")
                                                       << QStringLiteral("{\n  \"a\": [\n    true,\n    false\n  ]\n}");
    QTest::addRow("UTF-8 kept") << QByteArray(R"({"t":"21 °C — ok"})")
                                << QStringLiteral("{\n  \"t\": \"21 °C — ok\"\n}");
  }
  void formats() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const QString pretty = json_pretty::format(json, 2);
    QCOMPARE(pretty, expected);
    // The result is the same JSON value.
    QCOMPARE(QJsonDocument::fromJson(pretty.toUtf8()), QJsonDocument::fromJson(json));
  }

  void refusesWhatIsNotJson_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addRow("plain text") << QByteArray("hello");
    QTest::addRow("truncated") << QByteArray(R"({"a":1)");
    QTest::addRow("trailing comma") << QByteArray(R"({"a":1,})");
    QTest::addRow("empty") << QByteArray();
  }
  void refusesWhatIsNotJson() {
    QFETCH(QByteArray, text);
    QString error;
    QVERIFY(json_pretty::format(text, 4, &error).isNull());
    QVERIFY(!error.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestJsonPretty)
#include "tst_json_pretty.moc"
