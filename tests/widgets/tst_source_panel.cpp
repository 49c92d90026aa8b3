// SPDX-License-Identifier: MIT
// The source panel: the rate scale, the simulation's controls, switching to a real source (and
// explaining a malformed one), the mirror switch, and each kind's last target remembered.
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
#include "panels/source_panel.hpp"

using memlog::sim::ConsumerState;

class TestSourcePanel : public QObject {
  Q_OBJECT

 private slots:
  void sourcePanelRateScale_data() {
    QTest::addColumn<double>("rate");
    QTest::addRow("1/s") << 1.0;
    QTest::addRow("200/s") << 200.0;
    QTest::addRow("10k/s") << 10000.0;
    QTest::addRow("1M/s") << 1000000.0;
  }
  void sourcePanelRateScale() {
    QFETCH(double, rate);
    const int slider = SourcePanel::sliderFor(rate);
    QVERIFY(slider >= 0 && slider <= SourcePanel::kSliderMax);
    QVERIFY(qAbs(SourcePanel::rateFor(slider) - rate) <= rate * 0.05);  // the slider lands close
  }

  void sourcePanelDrivesTheSource() {
    LogSession session({.segment_size = 100}, {.rate = 50});
    SourcePanel panel(&session);
    panel.unthrottled()->setChecked(true);
    QCOMPARE(session.source()->options().rate, 0.0);
    panel.unthrottled()->setChecked(false);
    QVERIFY(session.source()->options().rate > 0);
    panel.rateField()->setValue(1234);
    emit panel.rateField()->editingFinished();
    QCOMPARE(session.source()->options().rate, 1234.0);
  }

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

  void mirrorSwitchRefusesAMalformedTarget() {
    LogSession session({.segment_size = 100}, {.rate = 20});
    SourcePanel panel(&session);
    panel.show();
    panel.mirrorTarget()->setText(QStringLiteral("127.0.0.1:notaport/stream"));
    panel.mirrorSwitch()->setChecked(true);
    QVERIFY(!session.mirror()->isRunning());
    QVERIFY(!panel.mirrorSwitch()->isChecked());  // switched back off, with the reason
    QVERIFY(panel.mirrorProblem()->isVisible());
    QVERIFY2(panel.mirrorProblem()->text().contains(QStringLiteral("'notaport' is not a port")),
             qPrintable(panel.mirrorProblem()->text()));
  }

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
      choose(panel, SourcePanel::redis);
      panel.sourceTarget()->setText(QStringLiteral("127.0.0.1:6379/orders"));
      panel.mirrorTarget()->setText(QStringLiteral("127.0.0.1:6380/copy"));
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
    choose(panel, SourcePanel::redis);
    QCOMPARE(panel.sourceTarget()->text(), QStringLiteral("127.0.0.1:6379/orders"));
    QCOMPARE(panel.mirrorTarget()->text(), QStringLiteral("127.0.0.1:6380/copy"));
  }
};

QTEST_MAIN(TestSourcePanel)
#include "tst_source_panel.moc"
