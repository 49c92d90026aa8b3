// SPDX-License-Identifier: MIT
// The simulation panel: the rate scale, its controls driving the simulated source, and the
// counters of the frame every other view draws.
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QTest>

#include "adapter/log_session.hpp"
#include "panels/simulation_panel.hpp"

class TestSimulationPanel : public QObject {
  Q_OBJECT

 private slots:
  void rateScale_data() {
    QTest::addColumn<double>("rate");
    QTest::addRow("1/s") << 1.0;
    QTest::addRow("200/s") << 200.0;
    QTest::addRow("10k/s") << 10000.0;
    QTest::addRow("1M/s") << 1000000.0;
  }
  void rateScale() {
    QFETCH(double, rate);
    const int slider = SimulationPanel::sliderFor(rate);
    QVERIFY(slider >= 0 && slider <= SimulationPanel::kSliderMax);
    QVERIFY(qAbs(SimulationPanel::rateFor(slider) - rate) <= rate * 0.05);  // the slider lands close
  }

  void drivesTheSource() {
    LogSession session({.segment_size = 100}, {.rate = 50});
    SimulationPanel panel(session.source(), session.frames());
    panel.unthrottled()->setChecked(true);
    QCOMPARE(session.source()->options().rate, 0.0);
    panel.unthrottled()->setChecked(false);
    QVERIFY(session.source()->options().rate > 0);
    panel.rateField()->setValue(1234);
    emit panel.rateField()->editingFinished();
    QCOMPARE(session.source()->options().rate, 1234.0);
  }

  // The counters say what the frame clock sampled: three records stepped, three written.
  void countersFollowTheFrames() {
    LogSession session({.segment_size = 100}, {.rate = 1});
    SimulationPanel panel(session.source(), session.frames());
    for (int i = 0; i < 3; ++i) session.source()->step();
    QTRY_VERIFY2_WITH_TIMEOUT(panel.counters()->text().startsWith(QStringLiteral("3 records")),
                              qPrintable(panel.counters()->text()), 5000);
  }
};

QTEST_MAIN(TestSimulationPanel)
#include "tst_simulation_panel.moc"
