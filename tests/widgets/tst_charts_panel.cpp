// SPDX-License-Identifier: MIT
// The charts panel: pausing freezes the charts while sampling goes on, axes tick on whole
// numbers without repeats in as many steps as fit, and each chart describes its latest values.
#include <QChartView>
#include <QLocale>
#include <QTest>
#include <QValueAxis>

#include <cmath>

#include "adapter/log_session.hpp"
#include "charts/axis_ticks.hpp"
#include "charts/charts_panel.hpp"

using memlog::sim::ConsumerState;

class TestChartsPanel : public QObject {
  Q_OBJECT

 private slots:
  void chartsPauseFreezesWhileSamplingGoesOn() {
    LogSession session({.segment_size = 50}, {.rate = 0});
    ChartsPanel charts(session.adapter(), session.consumers());
    for (int i = 0; i < 3; ++i) {
      for (int k = 0; k < 40; ++k) session.source()->step();
      charts.sample();
    }
    QCOMPARE(charts.shown(QStringLiteral("writes")).size(), charts.samples());
    charts.setPaused(true);
    const auto frozen = charts.shown(QStringLiteral("retained"));
    for (int i = 0; i < 3; ++i) {
      for (int k = 0; k < 40; ++k) session.source()->step();
      charts.sample();
    }
    QCOMPARE(charts.shown(QStringLiteral("retained")), frozen);  // the picture stands still
    QVERIFY(charts.samples() > frozen.size());                   // sampling went on
    charts.setPaused(false);
    QCOMPARE(charts.shown(QStringLiteral("retained")).size(), charts.samples());  // caught up
    QVERIFY(!charts.shown(QStringLiteral("purges")).isEmpty());                   // purges are marked
  }

  // Value axes tick on whole numbers, none repeated (at zero lag the lag chart read "0, 1, 1, 1"),
  // in as many steps as the chart's height has room for.
  void chartAxisTicksAreWholeNumbers_data() {
    QTest::addColumn<double>("largest");
    QTest::addColumn<int>("intervals");
    for (int intervals : {4, 3, 2}) {
      QTest::addRow("0, a consumer keeping up; %d steps", intervals) << 0.0 << intervals;
      QTest::addRow("1; %d steps", intervals) << 1.0 << intervals;
      QTest::addRow("3; %d steps", intervals) << 3.0 << intervals;
      QTest::addRow("3.9; %d steps", intervals) << 3.9 << intervals;
      QTest::addRow("4; %d steps", intervals) << 4.0 << intervals;
      QTest::addRow("7; %d steps", intervals) << 7.0 << intervals;
      QTest::addRow("12.7 KiB; %d steps", intervals) << 12.7 << intervals;
      QTest::addRow("120; %d steps", intervals) << 120.0 << intervals;
      QTest::addRow("999; %d steps", intervals) << 999.0 << intervals;
      QTest::addRow("1.2 million writes/s; %d steps", intervals) << 1.2e6 << intervals;
    }
  }
  void chartAxisTicksAreWholeNumbers() {
    QFETCH(double, largest);
    QFETCH(int, intervals);
    const AxisTicks ticks = AxisTicks::forLargest(largest, intervals);
    QVERIFY(ticks.max >= largest && ticks.max >= 4);
    QVERIFY2(ticks.max <= std::max(4.0, largest) * 2.5, qPrintable(QString::number(ticks.max)));  // not too loose
    QCOMPARE(ticks.count, intervals + 1);
    QCOMPARE(ticks.interval(), std::round(ticks.interval()));
    QStringList labels = axisLabels(0, ticks.max, ticks.count, QStringLiteral("%.0f"));
    QVERIFY2(labels.removeDuplicates() == 0, qPrintable(labels.join(u", ")));
    if (largest < 4 && intervals == 4)
      QCOMPARE(labels, (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                    QStringLiteral("4")}));
  }

  // Fewer steps in a short chart: labels closer than their height would show as "...".
  void chartAxisStepsFitTheHeight_data() {
    QTest::addColumn<double>("plotHeight");
    QTest::addColumn<int>("intervals");
    QTest::addRow("not laid out yet") << 0.0 << 4;
    QTest::addRow("58 px, 1280x720") << 58.0 << 2;
    QTest::addRow("80 px") << 80.0 << 3;
    QTest::addRow("120 px and more") << 120.0 << 4;
    QTest::addRow("tiny") << 10.0 << 1;
  }
  void chartAxisStepsFitTheHeight() {
    QFETCH(double, plotHeight);
    QFETCH(int, intervals);
    QCOMPARE(AxisTicks::intervalsFor(plotHeight, 16), intervals);
  }

  // The charts as drawn: at zero lag the lag chart's axis reads 0 to 4; the time axis ticks on
  // whole seconds.
  void chartsTickOnWholeNumbers() {
    LogSession session({.segment_size = 50}, {.rate = 0});
    session.consumers()->add({.name = "reader", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    session.consumers()->refresh();
    ChartsPanel charts(session.adapter(), session.consumers());
    charts.sample();
    charts.sample();
    for (QChartView* view : charts.findChildren<QChartView*>()) {
      for (QAbstractAxis* axis : view->chart()->axes(Qt::Vertical)) {
        auto* y = static_cast<QValueAxis*>(axis);
        QStringList labels = axisLabels(y->min(), y->max(), y->tickCount(), y->labelFormat());
        QVERIFY2(labels.removeDuplicates() == 0,
                 qPrintable(view->chart()->title() + QStringLiteral(": ") + labels.join(u", ")));
      }
      auto* x = static_cast<QValueAxis*>(view->chart()->axes(Qt::Horizontal).constFirst());
      QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
      QCOMPARE(x->tickInterval(), std::round(x->tickInterval()));
    }
    QChartView* lag = chartView(charts, QStringLiteral("lag"));
    QVERIFY(lag != nullptr);
    auto* y = static_cast<QValueAxis*>(lag->chart()->axes(Qt::Vertical).constFirst());
    QCOMPARE(axisLabels(y->min(), y->max(), y->tickCount(), y->labelFormat()),
             (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                          QStringLiteral("4")}));
  }

  // For screen readers: each chart has a name, and a description with its latest values.
  void chartsDescribeTheirLatestValues() {
    LogSession session({.segment_size = 50}, {.rate = 0});
    session.consumers()->add({.name = "reader", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    session.consumers()->refresh();
    ChartsPanel charts(session.adapter(), session.consumers());
    for (int k = 0; k < 30; ++k) session.source()->step();
    charts.sample();
    const auto views = charts.findChildren<QChartView*>();
    QCOMPARE(views.size(), 3);
    for (QChartView* view : views) {
      QVERIFY(view->accessibleName().endsWith(QStringLiteral(" chart")));
      QVERIFY(view->focusPolicy() & Qt::TabFocus);  // reachable, and its keys zoom and scroll
    }
    const QString lag = chartView(charts, QStringLiteral("lag"))->accessibleDescription();
    const auto shownLag = charts.shown(QStringLiteral("lag:reader"));
    QVERIFY(!shownLag.isEmpty());
    QVERIFY2(lag.contains(QStringLiteral("reader %1").arg(QLocale().toString(qRound64(shownLag.last().y())))),
             qPrintable(lag));
    const QString retained = chartView(charts, QStringLiteral("Retained"))->accessibleDescription();
    QVERIFY2(retained.contains(QStringLiteral("retained records: 30")), qPrintable(retained));
    const QString throughput = chartView(charts, QStringLiteral("Writes"))->accessibleDescription();
    QVERIFY2(throughput.contains(QStringLiteral("writes per second")) && throughput.contains(QStringLiteral("reader")),
             qPrintable(throughput));
  }

  // A long sentence in a narrow timeline wraps: its row grows, all of the text shown; wider,
  // the row shrinks again.

 private:
  static QStringList axisLabels(double min, double max, int count, const QString& format) {
    QStringList labels;
    for (int i = 0; i < count; ++i)
      labels << QString::asprintf(qPrintable(format), min + i * (max - min) / (count - 1));
    return labels;
  }
  static QChartView* chartView(const ChartsPanel& charts, const QString& titlePart) {
    for (QChartView* view : charts.findChildren<QChartView*>())
      if (view->chart()->title().contains(titlePart, Qt::CaseInsensitive)) return view;
    return nullptr;
  }
};

QTEST_MAIN(TestChartsPanel)
#include "tst_charts_panel.moc"
