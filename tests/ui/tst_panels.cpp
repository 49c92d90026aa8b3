// SPDX-License-Identifier: MIT
// The panels around the table: consumers (model and actions), source (rate mapping and
// controls), configuration (refuses bad values, the old log running on), the event timeline
// and purge list, and the charts' pause.
#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QWebSocket>

#include <cmath>

#include "adapter/log_session.hpp"
#include "charts/axis_ticks.hpp"
#include "charts/charts_panel.hpp"
#include "panels/configuration_panel.hpp"
#include "panels/consumer_table_model.hpp"
#include "panels/consumers_panel.hpp"
#include "panels/source_panel.hpp"
#include "server/log_server.hpp"
#include "timeline/event_timeline_model.hpp"
#include "timeline/purge_event_model.hpp"
#include "timeline/timeline_panel.hpp"

using memlog::sim::ConsumerState;

class TestPanels : public QObject {
  Q_OBJECT

 private slots:
  void consumersPanelTracksConsumers() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    session.consumers()->setRefreshInterval(20);
    ConsumersPanel panel(&session);
    QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    session.consumers()->add({.name = "fast", .pace = 0, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    const int slow = session.consumers()->add(
        {.name = "slow", .pace = 5, .start = memlog::sim::ConsumerStart::earliest, .offset = 0});
    QCOMPARE(panel.model()->rowCount(), 2);
    session.source()->start();
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->data(panel.model()->index(1, ConsumerTableModel::StateColumn)).toString() ==
                                 QStringLiteral("fell behind"),
                             10000);
    QCOMPARE(panel.model()
                 ->data(panel.model()->index(1, ConsumerTableModel::StateColumn), Qt::ForegroundRole)
                 .value<QColor>(),
             ConsumerTableModel::stateColor(ConsumerState::fell_behind));
    session.source()->pause();
    panel.table()->setCurrentIndex(panel.model()->index(1, 0));
    panel.resumeSelected(false);
    session.consumers()->refresh();
    QVERIFY(panel.model()->data(panel.model()->index(1, ConsumerTableModel::StateColumn)).toString() !=
            QStringLiteral("fell behind"));
    QCOMPARE(panel.model()->idAt(1), slow);
    panel.removeSelected();
    QCOMPARE(panel.model()->rowCount(), 1);
    QVERIFY(panel.totalLagText().startsWith(QStringLiteral("Total lag:")));
  }

  void consumersPanelListsRemoteClients() {
    LogSession session({.segment_size = 100}, {.rate = 0});
    for (int i = 0; i < 10; ++i) session.source()->step();
    LogServer server(session.adapter());
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, 0, &error), qPrintable(error));
    ConsumersPanel panel(&session);
    panel.showRemoteConsumers(&server);
    QCOMPARE(panel.remoteTable()->rowCount(), 0);
    QWebSocket client;
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/stream?from=earliest").arg(server.webSocketPort())));
    QTRY_COMPARE_WITH_TIMEOUT(panel.remoteTable()->rowCount(), 1, 10000);
    QVERIFY(panel.remoteTable()->item(0, 0)->text().startsWith(QStringLiteral("127.0.0.1:")));
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(panel.remoteTable()->rowCount(), 0, 10000);
  }

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

  void configurationRefusesBadValues_data() {
    QTest::addColumn<QString>("segment");
    QTest::addColumn<QString>("maxBytes");
    QTest::addColumn<QString>("start");
    QTest::addRow("zero segment size") << QStringLiteral("0") << QStringLiteral("100") << QStringLiteral("0");
    QTest::addRow("text segment size") << QStringLiteral("big") << QStringLiteral("100") << QStringLiteral("0");
    QTest::addRow("absurd segment size") << QStringLiteral("50000000") << QStringLiteral("100") << QStringLiteral("0");
    QTest::addRow("negative max bytes") << QStringLiteral("10") << QStringLiteral("-4") << QStringLiteral("0");
    QTest::addRow("negative start") << QStringLiteral("10") << QStringLiteral("100") << QStringLiteral("-1");
  }
  void configurationRefusesBadValues() {
    QFETCH(QString, segment);
    QFETCH(QString, maxBytes);
    QFETCH(QString, start);
    LogSession session({.segment_size = 33}, {.rate = 0});
    ConfigurationPanel panel(&session);
    panel.setConfirmationEnabled(false);
    auto old = session.adapter()->log();
    QSignalSpy replaced(session.adapter(), &LogAdapter::logReplaced);
    QVERIFY(!panel.apply(segment, maxBytes, start).isEmpty());
    QCOMPARE(replaced.count(), 0);
    QCOMPARE(session.adapter()->log(), old);
    session.source()->step();  // the old log runs on
    QCOMPARE(old->stats().next_offset, 1);
  }

  void configurationApplies() {
    LogSession session({.segment_size = 33}, {.rate = 0});
    ConfigurationPanel panel(&session);
    panel.setConfirmationEnabled(false);
    QVERIFY(panel.apply(QStringLiteral("64"), QStringLiteral("2048"), QStringLiteral("1000")).isEmpty());
    const memlog::Options& o = session.adapter()->log()->options();
    QCOMPARE(o.segment_size, 64u);
    QCOMPARE(o.max_record_bytes, 2048u);
    QCOMPARE(o.start_offset, 1000);
    QVERIFY(panel.message().contains(QStringLiteral("Applied")));
  }

  // An empty start offset continues where the log ends: consumers' checkpoints keep naming the
  // same records, and the source writes on at the next offset.
  void configurationContinuesTheOffsets() {
    LogSession session({.segment_size = 100}, {.rate = 0});
    ConfigurationPanel panel(&session);
    panel.setConfirmationEnabled(false);
    const int id = session.consumers()->add({.name = "c", .pace = 0, .start = memlog::sim::ConsumerStart::earliest});
    for (int i = 0; i < 37; ++i) session.source()->step();
    QTRY_COMPARE_WITH_TIMEOUT(session.consumers()->lowestCheckpoint(), 37, 5000);
    memlog::Options continuing = session.adapter()->log()->options();
    continuing.start_offset = 37;
    QVERIFY(panel.confirmation(continuing).contains(QStringLiteral("continue at 37")));
    continuing.start_offset = 0;
    QVERIFY(panel.confirmation(continuing).contains(QStringLiteral("restart at 0: offsets 0 to 36 will name other")));
    QVERIFY(panel.apply(QStringLiteral("20"), QStringLiteral("4096"), QString()).isEmpty());
    QCOMPARE(session.adapter()->log()->options().start_offset, 37);
    QVERIFY2(panel.message().contains(QStringLiteral("starting at offset 37")), qPrintable(panel.message()));
    session.source()->step();
    QCOMPARE(session.adapter()->log()->read(37).value().offset(), 37);  // the source writes on at 37
    session.consumers()->refresh();
    QCOMPARE(session.consumers()->snapshots().at(0).id, id);
    QVERIFY(session.consumers()->snapshots().at(0).position >= 37);  // not back at 0
  }

  // A refused value's message goes when the value is fixed, and changes while still wrong.
  void configurationMessageFollowsTheFix() {
    LogSession session({.segment_size = 10}, {.rate = 0});
    ConfigurationPanel panel(&session);
    panel.setConfirmationEnabled(false);
    QVERIFY(!panel.apply(QStringLiteral("0"), QStringLiteral("100"), QString()).isEmpty());
    auto* segment = panel.findChildren<QLineEdit*>().at(0);
    segment->setFocus();
    segment->selectAll();
    QTest::keyClicks(segment, QStringLiteral("x"));
    QVERIFY(panel.message().contains(QStringLiteral("Segment size")));
    segment->selectAll();
    QTest::keyClicks(segment, QStringLiteral("25"));
    QVERIFY2(panel.message().isEmpty(), qPrintable(panel.message()));
  }

  void timelineTellsTheStory() {
    LogSession session({.segment_size = 3}, {.rate = 0});
    TimelinePanel panel(&session);
    QAbstractItemModelTester events(panel.events(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester purges(panel.purges(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < 10; ++i) session.source()->step();  // seals at 3, 6, 9; purges at 6, 9
    QTRY_VERIFY_WITH_TIMEOUT(panel.purges()->rowCount() >= 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(panel.events()->rowCount() >= 2, 5000);  // contiguous seals and purges arrive merged
    bool sealed = false, purged = false;
    for (int row = 0; row < panel.events()->rowCount(); ++row) {
      const QString text = panel.events()->index(row).data().toString();
      sealed |= text.contains(QStringLiteral("sealed"));
      purged |= text.contains(QStringLiteral("purged"));
    }
    QVERIFY(sealed && purged);
    QCOMPARE(panel.purges()->totalRecords() % 3, 0);
    session.crashAndReplay();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          for (int row = 0; row < panel.events()->rowCount(); ++row)
            if (panel.events()->index(row).data().toString().contains(QStringLiteral("replay"))) return true;
          return false;
        }(),
        5000);
  }

  void chartsPauseFreezesWhileSamplingGoesOn() {
    LogSession session({.segment_size = 50}, {.rate = 0});
    ChartsPanel charts(&session);
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
    ChartsPanel charts(&session);
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
    ChartsPanel charts(&session);
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
  void timelineWrapsLongSentences() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    TimelinePanel panel(&session);
    panel.resize(260, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QString sentence = QStringLiteral(
        "The log refused a record (record_too_large: 70,000 bytes is over the limit of 65,536): the source paused.");
    panel.events()->add(EventTimelineModel::Kind::source, sentence);
    panel.events()->flush();
    auto* list = panel.findChild<QListView*>();
    QVERIFY(list != nullptr);
    QCOMPARE(list->textElideMode(), Qt::ElideNone);
    QVERIFY(list->wordWrap());
    const QModelIndex row = panel.events()->index(0);
    const QString shown = row.data().toString();
    QTRY_VERIFY_WITH_TIMEOUT(list->visualRect(row).height() >= 3 * list->fontMetrics().height(), 5000);
    QVERIFY(list->visualRect(row).right() <= list->viewport()->width());  // within the dock, no scrolling sideways
    // Tall enough for the whole sentence wrapped at the row's width.
    const QRect needed = list->fontMetrics().boundingRect(QRect(0, 0, list->visualRect(row).width() - 8, 100000),
                                                          Qt::TextWordWrap, shown);
    QVERIFY2(list->visualRect(row).height() >= needed.height(),
             qPrintable(QStringLiteral("%1 < %2").arg(list->visualRect(row).height()).arg(needed.height())));
    const int narrow = list->visualRect(row).height();
    panel.resize(1600, 400);
    QTRY_VERIFY_WITH_TIMEOUT(list->visualRect(row).height() < narrow, 5000);
  }

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

QTEST_MAIN(TestPanels)
#include "tst_panels.moc"
