// SPDX-License-Identifier: MIT
// The simulation panel: the rate scale, its controls driving the simulated source, and the
// counters of the frame every other view draws.
#include <QCheckBox>
#include <QComboBox>
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

  // The key skew: chosen in the panel, taken by the source, its value shown for the kind.
  void setsTheKeySkew() {
    LogSession session({.segment_size = 100}, {.rate = 50});
    SimulationPanel panel(session.source(), session.frames());
    using Kind = memlog::sim::KeySkew::Kind;
    QVERIFY(panel.skewValue()->isHidden());  // uniform: nothing to set
    panel.skew()->setCurrentIndex(panel.skew()->findData(static_cast<int>(Kind::hot_key)));
    QCOMPARE(session.source()->options().skew.kind, Kind::hot_key);
    QVERIFY(!panel.skewValue()->isHidden());
    panel.skewValue()->setValue(0.8);
    emit panel.skewValue()->editingFinished();
    QCOMPARE(session.source()->options().skew.hot_share, 0.8);
    panel.skewValue()->setValue(5);  // over a share's range: clamped to 1 by the field
    emit panel.skewValue()->editingFinished();
    QCOMPARE(session.source()->options().skew.hot_share, 1.0);
    panel.skew()->setCurrentIndex(panel.skew()->findData(static_cast<int>(Kind::zipf)));
    QCOMPARE(session.source()->options().skew.kind, Kind::zipf);
    QCOMPARE(panel.skewValue()->value(), 1.2);  // the exponent's default
    panel.skew()->setCurrentIndex(panel.skew()->findData(static_cast<int>(Kind::uniform)));
    QCOMPARE(session.source()->options().skew, memlog::sim::KeySkew{});
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
