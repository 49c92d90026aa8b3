// SPDX-License-Identifier: MIT
// The mirror panel (builds with Redis only): a malformed address is refused with the reason and
// the switch goes off again; the address comes back in the next run without starting anything.
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "adapter/log_session.hpp"
#include "panels/mirror_panel.hpp"

class TestMirrorPanel : public QObject {
  Q_OBJECT

 private slots:
  void refusesAMalformedAddress_data() {
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("reason");
    QTest::addRow("port not a number") << QStringLiteral("127.0.0.1:notaport/stream")
                                       << QStringLiteral("'notaport' is not a port");
    QTest::addRow("no stream") << QStringLiteral("127.0.0.1:6379") << QStringLiteral("no stream name");
  }
  void refusesAMalformedAddress() {
    QFETCH(QString, address);
    QFETCH(QString, reason);
    LogSession session({.segment_size = 100}, {.rate = 20});
    MirrorPanel panel(session.mirror());
    panel.show();
    panel.target()->setText(address);
    panel.setChecked(true);
    QVERIFY(!session.mirror()->isRunning());
    QVERIFY(!panel.isChecked());  // switched back off, with the reason
    QVERIFY(panel.problem()->isVisible());
    QVERIFY2(panel.problem()->text().contains(reason), qPrintable(panel.problem()->text()));
    QCOMPARE(panel.status()->text(), QStringLiteral("Off"));
  }

  void remembersTheAddress() {
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    {
      LogSession session({.segment_size = 10}, {.rate = 0});
      MirrorPanel panel(session.mirror());
      panel.target()->setText(QStringLiteral("127.0.0.1:6380/copy"));
      panel.save(store);
    }
    LogSession session({.segment_size = 10}, {.rate = 0});
    MirrorPanel panel(session.mirror());
    panel.restore(store);
    QCOMPARE(panel.target()->text(), QStringLiteral("127.0.0.1:6380/copy"));
    QVERIFY(!panel.isChecked());
    QVERIFY(!session.mirror()->isRunning());
  }
};

QTEST_MAIN(TestMirrorPanel)
#include "tst_mirror_panel.moc"
