// SPDX-License-Identifier: MIT
// The source panel: switching between the simulation and a real source (and explaining a
// malformed one), the Redis choices only in a build with Redis, and each kind's last target
// and the mirror's address remembered.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "adapter/log_session.hpp"
#include "panels/mirror_panel.hpp"
#include "panels/source_panel.hpp"

using memlog::sim::ConsumerState;

class TestSourcePanel : public QObject {
  Q_OBJECT

 private slots:
  // Picking a real source in the panel: the simulation pauses, the file's lines become records,
  // the state shows; back to the simulation closes the file source and starts the simulation.
  void sourcePanelSwitchesToARealSource() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("legacy.log"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("first\nsecond\n");
    file.close();
    LogSession session({.segment_size = 100}, {.rate = 20});
    SourcePanel panel(&session);
    session.source()->start();
    panel.sourceChoice()->setCurrentIndex(SourcePanel::file);
    emit panel.sourceChoice()->activated(SourcePanel::file);
    QCOMPARE(panel.feedStatus()->text(), QStringLiteral("Not connected"));
    panel.sourceTarget()->setText(path);
    panel.connectButton()->click();
    QVERIFY(session.feed()->isOpen());
    QVERIFY(!session.source()->isRunning());  // one writer: the file
    QCOMPARE(panel.connectButton()->text(), QStringLiteral("Disconnect"));
    QTRY_COMPARE_WITH_TIMEOUT(session.feed()->status().records, 2u, 10000);
    // The simulation paused before the file was opened: its lines are the newest records.
    const auto log = session.adapter()->log();
    const qint64 next = log->stats().next_offset;
    QCOMPARE(log->read(next - 2)->text(), std::string_view("first"));
    QCOMPARE(log->read(next - 1)->text(), std::string_view("second"));
    // The label follows the feed on the controller's refresh tick.
    QTRY_VERIFY_WITH_TIMEOUT(panel.feedStatus()->text().contains(QStringLiteral("running")) &&
                                 panel.feedStatus()->text().contains(QStringLiteral("2 records")),
                             10000);

    panel.sourceChoice()->setCurrentIndex(SourcePanel::simulation);
    emit panel.sourceChoice()->activated(SourcePanel::simulation);
    QVERIFY(!session.feed()->isOpen());
    QVERIFY(session.source()->isRunning());
  }

  // The Redis choices (a Redis source, the mirror) exist exactly when the build has Redis.
  void redisChoicesOnlyWithRedis() {
    LogSession session({.segment_size = 100}, {.rate = 20});
    SourcePanel panel(&session);
#if MEMLOG_WITH_REDIS
    QCOMPARE(panel.sourceChoice()->count(), int(SourcePanel::kChoices));
    QVERIFY(panel.mirrorPanel() != nullptr);
#else
    QCOMPARE(panel.sourceChoice()->count(), int(SourcePanel::redis));
    QVERIFY(panel.mirrorPanel() == nullptr);
#endif
  }

#if MEMLOG_WITH_REDIS
  void sourcePanelExplainsAMalformedSource() {
    LogSession session({.segment_size = 100}, {.rate = 20});
    SourcePanel panel(&session);
    panel.show();
    panel.sourceChoice()->setCurrentIndex(SourcePanel::redis);
    emit panel.sourceChoice()->activated(SourcePanel::redis);
    panel.sourceTarget()->setText(QStringLiteral("127.0.0.1:6379"));  // no stream name
    panel.connectButton()->click();
    QVERIFY(!session.feed()->isOpen());
    QVERIFY(panel.feedProblem()->isVisible());
    QVERIFY2(panel.feedProblem()->text().contains(QStringLiteral("no stream name")),
             qPrintable(panel.feedProblem()->text()));
  }
#endif

  // Each kind of source keeps its own target while another is shown, and the last ones come
  // back in the next run (saveSources/restoreSources) without connecting anything.
  void sourcePanelRemembersTheLastSources() {
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    auto choose = [](SourcePanel& panel, int choice) {
      panel.sourceChoice()->setCurrentIndex(choice);
      emit panel.sourceChoice()->activated(choice);
    };
    {
      LogSession session({.segment_size = 10}, {.rate = 0});
      SourcePanel panel(&session);
      choose(panel, SourcePanel::file);
      panel.sourceTarget()->setText(QStringLiteral("/var/log/app.log"));
      choose(panel, SourcePanel::http);
      QVERIFY(panel.sourceTarget()->text().isEmpty());
      panel.sourceTarget()->setText(QStringLiteral("http://127.0.0.1:9/api?after={cursor:0}"));
      choose(panel, SourcePanel::file);
      QCOMPARE(panel.sourceTarget()->text(), QStringLiteral("/var/log/app.log"));  // kept while HTTP was shown
#if MEMLOG_WITH_REDIS
      choose(panel, SourcePanel::redis);
      panel.sourceTarget()->setText(QStringLiteral("127.0.0.1:6379/orders"));
      panel.mirrorPanel()->target()->setText(QStringLiteral("127.0.0.1:6380/copy"));
#endif
      panel.saveSources(store);
      QVERIFY(!session.feed()->isOpen());  // nothing was connected
    }
    LogSession session({.segment_size = 10}, {.rate = 0});
    SourcePanel panel(&session);
    panel.restoreSources(store);
    QCOMPARE(panel.sourceChoice()->currentIndex(), int(SourcePanel::simulation));  // the simulation runs on
    QVERIFY(!session.feed()->isOpen());
    choose(panel, SourcePanel::file);
    QCOMPARE(panel.sourceTarget()->text(), QStringLiteral("/var/log/app.log"));
    choose(panel, SourcePanel::http);
    QCOMPARE(panel.sourceTarget()->text(), QStringLiteral("http://127.0.0.1:9/api?after={cursor:0}"));
#if MEMLOG_WITH_REDIS
    choose(panel, SourcePanel::redis);
    QCOMPARE(panel.sourceTarget()->text(), QStringLiteral("127.0.0.1:6379/orders"));
    QCOMPARE(panel.mirrorPanel()->target()->text(), QStringLiteral("127.0.0.1:6380/copy"));
#endif
  }
};

QTEST_MAIN(TestSourcePanel)
#include "tst_source_panel.moc"
