// SPDX-License-Identifier: MIT
// status_text: a feed's and the mirror's health in the words the source panel (rich text) and
// --headless (plain) show — the mirror "mirroring" while it runs, the next try while retrying,
// the lost records in the colour given, the position escaped.
#include <QLocale>
#include <QTest>

#include "controllers/status_text.hpp"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using memlog::WorkerState;
using memlog::feed::FeedStatus;
#if MEMLOG_WITH_REDIS
using memlog::redis::MirrorStatus;
#endif

Q_DECLARE_METATYPE(memlog::WorkerState)

class TestStatusText : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void stateWords_data() {
    QTest::addColumn<WorkerState>("state");
    QTest::addColumn<QString>("feed");
    QTest::addColumn<QString>("mirror");
    QTest::addRow("stopped") << WorkerState::stopped << u"stopped"_s << u"stopped"_s;
    QTest::addRow("connecting") << WorkerState::connecting << u"connecting"_s << u"connecting"_s;
    QTest::addRow("running") << WorkerState::running << u"running"_s << u"mirroring"_s;
    QTest::addRow("retrying") << WorkerState::retrying << u"retrying"_s << u"retrying"_s;
    QTest::addRow("finished") << WorkerState::finished << u"finished"_s << u"finished"_s;
  }
  void stateWords() {
    QFETCH(WorkerState, state);
    QFETCH(QString, feed);
    QFETCH(QString, mirror);
    QCOMPARE(feedStateText(state), feed);
#if MEMLOG_WITH_REDIS
    QCOMPARE(mirrorStateText(state), mirror);
#else
    Q_UNUSED(mirror);  // no mirror in a build without Redis
#endif
  }

  void feedText() {
    FeedStatus s;
    s.state = WorkerState::running;
    s.records = 1204;
    s.bytes = 2048;
    s.position = "line 97 <of> & more";
    const QString size = QLocale().formattedDataSize(2048, 1, QLocale::DataSizeTraditionalFormat);  // "2.0 kB"
    QCOMPARE(feedStatusText(s), u"<b>running</b> · 1,204 records · "_s + size + u"<br>line 97 &lt;of&gt; &amp; more"_s);
    s.state = WorkerState::retrying;
    s.retry_in = 2500ms;
    s.rejected = 3;
    s.failures = 2;
    s.position.clear();
    QCOMPARE(feedStatusText(s), u"<b>retrying</b> · 1,204 records · "_s + size +
                                    u" · 3 skipped · 2 failed attempts · next try in 2.5 s"_s);
    QCOMPARE(feedStatusLine(u"stdin"_s, s), u"source stdin retrying records 1204 skipped 3"_s);
    s.position = "end of input after 3 lines, 12 bytes";
    QCOMPARE(feedSummary(u"stdin"_s, s), u"source stdin retrying (end of input after 3 lines, 12 bytes) skipped 3"_s);
  }

#if MEMLOG_WITH_REDIS
  void mirrorText() {
    MirrorStatus s;
    s.state = WorkerState::running;
    s.lag = 12;
    s.sent = 1204;
    QCOMPARE(mirrorStatusText(s, u"#c62828"_s), u"<b>mirroring</b> · lag 12 · 1,204 sent"_s);
    s.confirmed = 1203;
    s.duplicates = 4;
    s.lost = 7;
    s.lost_ranges = "10-16";
    QCOMPARE(mirrorStatusText(s, u"#c62828"_s),
             u"<b>mirroring</b> · lag 12 · 1,204 sent · confirmed to offset 1,203 · 4 already there"
             "<br><span style='color:#c62828'>7 never delivered (purged first): 10-16</span>"_s);
    s.state = WorkerState::retrying;
    s.retry_in = 500ms;
    QVERIFY(mirrorStatusText(s, u"red"_s).endsWith(u"</span> · next try in 0.5 s"_s));
    const QString target = u"redis:127.0.0.1:6379/copy"_s;
    QCOMPARE(mirrorStatusLine(target, s), u"mirror redis:127.0.0.1:6379/copy retrying lag 12 sent 1204 lost 7"_s);
    QCOMPARE(mirrorSummary(target, s), u"mirror redis:127.0.0.1:6379/copy sent 1204 lag 12 lost 7"_s);
  }
#endif
};

QTEST_GUILESS_MAIN(TestStatusText)
#include "tst_status_text.moc"
