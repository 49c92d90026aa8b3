// SPDX-License-Identifier: MIT
// The consumers panel: its model (under QAbstractItemModelTester) follows the consumers,
// states and actions, and it lists the server's remote WebSocket clients.
#include <QAbstractItemModelTester>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QWebSocket>

#include <cmath>

#include "adapter/log_session.hpp"
#include "panels/consumer_table_model.hpp"
#include "panels/consumers_panel.hpp"
#include "server/log_server.hpp"

using memlog::sim::ConsumerState;

class TestConsumersPanel : public QObject {
  Q_OBJECT

 private slots:
  void consumersPanelTracksConsumers() {
    LogSession session({.segment_size = 20}, {.rate = 0});
    session.consumers()->setRefreshInterval(20);
    ConsumersPanel panel(session.consumers());
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
    ConsumersPanel panel(session.consumers());
    panel.showRemoteConsumers(&server);
    QCOMPARE(panel.remoteTable()->rowCount(), 0);
    QWebSocket client;
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/stream?from=earliest").arg(server.webSocketPort())));
    QTRY_COMPARE_WITH_TIMEOUT(panel.remoteTable()->rowCount(), 1, 10000);
    QVERIFY(panel.remoteTable()->item(0, 0)->text().startsWith(QStringLiteral("127.0.0.1:")));
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(panel.remoteTable()->rowCount(), 0, 10000);
  }
};

QTEST_MAIN(TestConsumersPanel)
#include "tst_consumers_panel.moc"
