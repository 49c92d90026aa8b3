// SPDX-License-Identifier: MIT
// The sharded log's widgets, drawn from a real sharded LogSession whose frames the tests drive
// (the frame clock is slowed to a day, so every frame comes from ShardSet::sample(t)):
// - KeyTableModel under QAbstractItemModelTester: keys only appended, counts changed in place,
//   records/s over the time since the last refresh, numbers for sorting, each key on its shard;
// - ShardMapView: lanes for tens of shards, a heat-map for hundreds or thin lanes; every shard
//   found where it is drawn; a click shows that shard; 1024 shards paint in O(shards) calls;
// - RoutingView: at most kNewPerFrame new flights a frame, the others counted (refused records
//   are not routes), flights gone after kFlightMs, frozen = no frames taken;
// - RoutingPanel: which shard any key goes to, the keys filtered by text and by shard, a
//   double-click shows the key's shard;
// - ShardsPanel: the summary line and the refused records shown with their reason;
// - SkewChart: a point per second of frames (the frame's busiest and mean rate), two minutes kept.
#include <QAbstractItemModelTester>
#include <QChartView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QLocale>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <memory>
#include <set>
#include <string>

#include "adapter/log_session.hpp"
#include "shards/key_table_model.hpp"
#include "shards/routing_panel.hpp"
#include "shards/routing_view.hpp"
#include "shards/shard_map_view.hpp"
#include "shards/shards_panel.hpp"
#include "shards/skew_chart.hpp"

using namespace Qt::StringLiterals;

namespace {
// A sharded session whose frames come only from the test: the clock's timer is slowed to a
// day, so an event loop (showing a window, a double-click) never samples at its own time.
std::unique_ptr<LogSession> shardedSession(int shards, const QString& sharder = u"fnv"_s,
                                           std::size_t segmentSize = 100) {
  ShardingOptions options;
  options.shards = shards;
  const QString why = sharding::parseSharder(sharder, &options.sharder);
  Q_ASSERT_X(why.isEmpty(), "shardedSession", qPrintable(why));
  auto session = std::make_unique<LogSession>(memlog::Options{.segment_size = segmentSize},
                                              memlog::sim::SourceOptions{.rate = 0}, options);
  session->frames()->setInterval(24 * 3600 * 1000);
  return session;
}

// A record keyed by `device` (the simulation's key field, the router's default).
std::string deviceRecord(const std::string& device) { return "{\"device\":\"" + device + "\"}"; }

int shardOf(ShardSet* shards, const QString& key) {
  const auto shard = shards->log()->shard_of(key.toStdString());
  return shard ? static_cast<int>(*shard) : -1;
}

// A paint engine that only counts what it is asked to draw: a paint device drawing through it
// shows how many calls a paintEvent makes, whatever the platform's raster engine merges.
class CountingEngine : public QPaintEngine {
 public:
  CountingEngine() : QPaintEngine(QPaintEngine::AllFeatures) {}
  bool begin(QPaintDevice*) override { return true; }
  bool end() override { return true; }
  void updateState(const QPaintEngineState&) override {}
  Type type() const override { return QPaintEngine::User; }
  void drawRects(const QRect*, int count) override { calls += count; }
  void drawRects(const QRectF*, int count) override { calls += count; }
  void drawLines(const QLine*, int count) override { calls += count; }
  void drawLines(const QLineF*, int count) override { calls += count; }
  void drawEllipse(const QRectF&) override { ++calls; }
  void drawEllipse(const QRect&) override { ++calls; }
  void drawPath(const QPainterPath&) override { ++calls; }
  void drawPoints(const QPointF*, int count) override { calls += count; }
  void drawPoints(const QPoint*, int count) override { calls += count; }
  void drawPolygon(const QPointF*, int, PolygonDrawMode) override { ++calls; }
  void drawPolygon(const QPoint*, int, PolygonDrawMode) override { ++calls; }
  void drawPixmap(const QRectF&, const QPixmap&, const QRectF&) override { ++calls; }
  void drawTextItem(const QPointF&, const QTextItem&) override { ++calls; }
  void drawTiledPixmap(const QRectF&, const QPixmap&, const QPointF&) override { ++calls; }
  void drawImage(const QRectF&, const QImage&, const QRectF&, Qt::ImageConversionFlags) override { ++calls; }
  int calls = 0;
};

class CountingDevice : public QPaintDevice {
 public:
  explicit CountingDevice(QSize size) : m_size(size) {}
  ~CountingDevice() override = default;
  QPaintEngine* paintEngine() const override { return &engine; }
  mutable CountingEngine engine;

 protected:
  int metric(PaintDeviceMetric metric) const override {
    switch (metric) {
      case PdmWidth:
        return m_size.width();
      case PdmHeight:
        return m_size.height();
      case PdmWidthMM:
        return m_size.width() * 254 / 960;
      case PdmHeightMM:
        return m_size.height() * 254 / 960;
      case PdmNumColors:
        return 0;
      case PdmDepth:
        return 32;
      case PdmDpiX:
      case PdmDpiY:
      case PdmPhysicalDpiX:
      case PdmPhysicalDpiY:
        return 96;
      case PdmDevicePixelRatio:
        return 1;
      case PdmDevicePixelRatioScaled:
        return static_cast<int>(QPaintDevice::devicePixelRatioFScale());
    }
    return 0;
  }

 private:
  QSize m_size;
};

QLabel* visibleLabelStartingWith(QWidget* parent, const QString& start) {
  const QList<QLabel*> labels = parent->findChildren<QLabel*>();
  for (QLabel* label : labels)
    if (label->isVisibleTo(parent) && label->text().startsWith(start)) return label;
  return nullptr;
}
}  // namespace

class TestShardViews : public QObject {
  Q_OBJECT

 private slots:
  // ---- KeyTableModel ----------------------------------------------------------------------

  // Keys arriving over several refreshes: rows only appended (one insert per refresh, no
  // reset), changed counts one dataChanged over the changed rows, each key on its shard.
  void keyTableAppendsKeysAndUpdatesCounts() {
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    KeyTableModel model(shards);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    QHash<QString, quint64> expected;  // key → records routed
    qint64 t = 0;
    for (int refresh = 0; refresh < 5; ++refresh) {
      // Three new keys a refresh, and more records for some old ones.
      for (int k = 0; k < 3; ++k) {
        const QString key = u"dev-%1-%2"_s.arg(refresh).arg(k);
        for (int n = 0; n <= k; ++n) QVERIFY(shards->router()->write(deviceRecord(key.toStdString())));
        expected[key] += static_cast<quint64>(k + 1);
      }
      if (refresh > 0) {
        for (int n = 0; n < refresh; ++n) QVERIFY(shards->router()->write(deviceRecord("dev-0-0")));
        expected[u"dev-0-0"_s] += static_cast<quint64>(refresh);
      }
      const int before = model.rowCount();
      inserted.clear();
      changed.clear();
      model.refresh(t);
      t += KeyTableModel::kRefreshMs;
      QCOMPARE(model.rowCount(), before + 3);
      QCOMPARE(inserted.count(), 1);
      QCOMPARE(inserted.at(0).at(1).toInt(), before);
      QCOMPARE(inserted.at(0).at(2).toInt(), before + 2);
      if (refresh > 0) {
        QVERIFY(!changed.isEmpty());
        const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
        const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
        QVERIFY(topLeft.column() <= KeyTableModel::RecordsColumn);
        QVERIFY(bottomRight.column() >= KeyTableModel::RecordsColumn);
        QVERIFY(bottomRight.row() < before);  // only rows that were there before change
      } else {
        QCOMPARE(changed.count(), 0);
      }
    }
    QCOMPARE(reset.count(), 0);
    QCOMPARE(layout.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(model.rowCount(), 15);
    QCOMPARE(model.columnCount(), int{KeyTableModel::ColumnCount});

    std::set<QString> seen;
    for (int r = 0; r < model.rowCount(); ++r) {
      const QString key = model.index(r, KeyTableModel::KeyColumn).data().toString();
      QVERIFY2(seen.insert(key).second, qPrintable(key));  // each key once
      QVERIFY2(expected.contains(key), qPrintable(key));
      const int shard = shardOf(shards, key);
      QVERIFY(shard >= 0);
      QCOMPARE(model.index(r, KeyTableModel::ShardColumn).data(KeyTableModel::SortRole).toInt(), shard);
      QCOMPARE(model.index(r, KeyTableModel::ShardColumn).data().toString(), u"#%1"_s.arg(shard));
      QCOMPARE(model.shardOfRow(r), shard);
      QCOMPARE(model.index(r, KeyTableModel::RecordsColumn).data(KeyTableModel::SortRole).toULongLong(),
               expected.value(key));
      QCOMPARE(model.index(r, KeyTableModel::RecordsColumn).data().toString(), QLocale().toString(expected.value(key)));
    }
    // Appended: the keys of each refresh are the rows after those of the refresh before.
    for (int r = 0; r < model.rowCount(); ++r)
      QVERIFY(model.index(r, KeyTableModel::KeyColumn).data().toString().startsWith(u"dev-%1-"_s.arg(r / 3)));
  }

  // records/s = the key's records since the last refresh / the seconds since it.
  void keyTableRate_data() {
    QTest::addColumn<int>("before");    // the key's records at the first refresh (0: new later)
    QTest::addColumn<int>("added");     // records between the two refreshes
    QTest::addColumn<int>("interval");  // ms between them
    QTest::addColumn<double>("rate");
    QTest::addRow("10 in half a second") << 4 << 10 << 500 << 20.0;
    QTest::addRow("3 in 1.5 s") << 1 << 3 << 1500 << 2.0;
    QTest::addRow("none in a second") << 7 << 0 << 1000 << 0.0;
    QTest::addRow("1 in 4 s") << 2 << 1 << 4000 << 0.25;
    QTest::addRow("a new key, 4 in half a second") << 0 << 4 << 500 << 8.0;
  }
  void keyTableRate() {
    QFETCH(int, before);
    QFETCH(int, added);
    QFETCH(int, interval);
    QFETCH(double, rate);
    auto session = shardedSession(4);
    ShardSet* shards = session->shards();
    KeyTableModel model(shards);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(shards->router()->write(deviceRecord("other")));  // the table is not empty at first
    for (int n = 0; n < before; ++n) QVERIFY(shards->router()->write(deviceRecord("key")));
    model.refresh(1000);
    for (int n = 0; n < added; ++n) QVERIFY(shards->router()->write(deviceRecord("key")));
    model.refresh(1000 + interval);
    int row = -1;
    for (int r = 0; r < model.rowCount(); ++r)
      if (model.index(r, KeyTableModel::KeyColumn).data().toString() == u"key"_s) row = r;
    QVERIFY(row >= 0);
    const QVariant shown = model.index(row, KeyTableModel::RateColumn).data(KeyTableModel::SortRole);
    QCOMPARE(shown.typeId(), int{QMetaType::Double});
    QCOMPARE(shown.toDouble(), rate);
    QCOMPARE(model.index(row, KeyTableModel::RecordsColumn).data(KeyTableModel::SortRole).toULongLong(),
             static_cast<qulonglong>(before + added));
    // The display shows the rate with a decimal below 10/s.
    QCOMPARE(model.index(row, KeyTableModel::RateColumn).data().toString(),
             QLocale().toString(rate, 'f', rate < 10 ? 1 : 0));
    // A later refresh with nothing new: the rate falls to 0, with a dataChanged for the row.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refresh(1000 + interval + 500);
    QCOMPARE(model.index(row, KeyTableModel::RateColumn).data(KeyTableModel::SortRole).toDouble(), 0.0);
    QCOMPARE(changed.count(), rate > 0 ? 1 : 0);
    if (rate > 0) {
      QVERIFY(changed.at(0).at(0).value<QModelIndex>().row() <= row);
      QVERIFY(changed.at(0).at(1).value<QModelIndex>().row() >= row);
      QCOMPARE(changed.at(0).at(1).value<QModelIndex>().column(), int{KeyTableModel::RateColumn});
    }
  }

  // Frames refresh the table every kRefreshMs, not on every frame.
  void keyTableRefreshesFromFrames() {
    auto session = shardedSession(4);
    ShardSet* shards = session->shards();
    KeyTableModel model(shards);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(shards->router()->write(deviceRecord("a")));
    shards->sample(1000);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(shards->router()->write(deviceRecord("b")));
    shards->sample(1000 + KeyTableModel::kRefreshMs / 2);
    QCOMPARE(model.rowCount(), 1);  // too soon
    shards->sample(1000 + KeyTableModel::kRefreshMs);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(reset.count(), 0);
  }

  // Sorting by numbers: SortRole gives the shard, records and rate as numbers; the alignment
  // and headers (with a tooltip each) are there.
  void keyTableRolesAndHeaders() {
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    KeyTableModel model(shards);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int n = 0; n < 12; ++n) QVERIFY(shards->router()->write(deviceRecord("th-00" + std::to_string(n % 3))));
    model.refresh(0);
    QCOMPARE(model.rowCount(), 3);
    const auto isNumber = [](const QVariant& v) {
      const int id = v.typeId();
      return id == QMetaType::Int || id == QMetaType::UInt || id == QMetaType::LongLong || id == QMetaType::ULongLong ||
             id == QMetaType::Double;
    };
    for (int r = 0; r < model.rowCount(); ++r) {
      for (int c : {KeyTableModel::ShardColumn, KeyTableModel::RecordsColumn, KeyTableModel::RateColumn}) {
        const QVariant v = model.index(r, c).data(KeyTableModel::SortRole);
        QVERIFY2(isNumber(v), v.typeName());
        QVERIFY(model.index(r, c).data(Qt::TextAlignmentRole).value<Qt::Alignment>() & Qt::AlignRight);
      }
      QCOMPARE(model.index(r, KeyTableModel::RecordsColumn).data(KeyTableModel::SortRole).toInt(), 4);
      QCOMPARE(model.index(r, KeyTableModel::KeyColumn).data(KeyTableModel::SortRole).typeId(),
               int{QMetaType::QString});
    }
    const QStringList names{u"Key"_s, u"Shard"_s, u"Records"_s, u"Records/s"_s};
    for (int c = 0; c < KeyTableModel::ColumnCount; ++c) {
      QCOMPARE(model.headerData(c, Qt::Horizontal).toString(), names.at(c));
      QVERIFY(!model.headerData(c, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    }
    QVERIFY(!model.headerData(KeyTableModel::ColumnCount, Qt::Horizontal).isValid());
    QVERIFY(!model.headerData(0, Qt::Vertical).isValid());
  }

  // ---- ShardMapView -----------------------------------------------------------------------

  void mapLanesOrHeatMap_data() {
    QTest::addColumn<int>("shards");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("lanes");
    QTest::addRow("8 shards, 500x300: lanes") << 8 << QSize(500, 300) << true;
    QTest::addRow("2 shards, 300x150: lanes") << 2 << QSize(300, 150) << true;
    QTest::addRow("64 shards, tall: lanes") << 64 << QSize(500, 700) << true;
    QTest::addRow("64 shards, short: heat-map") << 64 << QSize(500, 200) << false;
    QTest::addRow("65 shards, tall: heat-map") << 65 << QSize(500, 2000) << false;
    QTest::addRow("256 shards: heat-map") << 256 << QSize(500, 300) << false;
  }
  void mapLanesOrHeatMap() {
    QFETCH(int, shards);
    QFETCH(QSize, size);
    QFETCH(bool, lanes);
    auto session = shardedSession(shards);
    ShardMapView view(session->shards());
    view.resize(size);
    QCOMPARE(view.showsLanes(), lanes);
    if (lanes) {
      // Lanes: full width, one above the other, at least kMinLaneHeight tall.
      for (int i = 0; i < shards; ++i) {
        const QRectF r = view.shardRect(i);
        QVERIFY(r.height() >= ShardMapView::kMinLaneHeight);
        QVERIFY(r.width() > size.width() - 20);
        if (i > 0) QCOMPARE(r.top(), view.shardRect(i - 1).bottom());
      }
    } else {
      // Cells: several to a row.
      QCOMPARE(view.shardRect(1).top(), view.shardRect(0).top());
      QVERIFY(view.shardRect(1).left() > view.shardRect(0).left());
      QVERIFY(view.shardRect(0).width() < size.width() / 4.0);
    }
    // Whatever the layout, every shard is drawn inside the widget.
    for (int i = 0; i < shards; ++i) QVERIFY(QRectF(view.rect()).contains(view.shardRect(i)));
  }

  void mapShardAtFindsEveryShard_data() {
    QTest::addColumn<int>("shards");
    QTest::addColumn<QSize>("size");
    for (const int n : {2, 8, 64, 256, 1024})
      for (const QSize size : {QSize(300, 150), QSize(900, 500)})
        QTest::addRow("%d shards, %dx%d", n, size.width(), size.height()) << n << size;
  }
  void mapShardAtFindsEveryShard() {
    QFETCH(int, shards);
    QFETCH(QSize, size);
    auto session = shardedSession(shards);
    ShardMapView view(session->shards());
    view.resize(size);
    for (int i = 0; i < shards; ++i) {
      const QRectF r = view.shardRect(i);
      QVERIFY2(!r.isEmpty(), qPrintable(u"shard %1"_s.arg(i)));
      QCOMPARE(view.shardAt(r.center()), i);
      // ... and just inside its corners, too.
      QCOMPARE(view.shardAt(r.topLeft() + QPointF(0.25, 0.25)), i);
      QCOMPARE(view.shardAt(r.bottomRight() - QPointF(0.25, 0.25)), i);
    }
    // Outside the shards' area: nothing.
    QCOMPARE(view.shardAt(QPointF(-1, -1)), -1);
    QCOMPARE(view.shardAt(QPointF(size.width() / 2.0, 5)), -1);  // the legend line
    QCOMPARE(view.shardAt(QPointF(size.width() + 10, size.height() / 2.0)), -1);
    QCOMPARE(view.shardAt(QPointF(size.width() / 2.0, size.height() - 1)), -1);  // the margin
    QCOMPARE(view.shardAt(QPointF(1, size.height() / 2.0)), -1);
    // A heat-map's last row, after the last shard: no shard there.
    const QRectF last = view.shardRect(shards - 1);
    const QPointF after = last.center() + QPointF(last.width(), 0);
    if (!view.showsLanes() && after.x() < size.width() - 4) QCOMPARE(view.shardAt(after), -1);
  }

  // A left click on a shard shows it in the single-log views; another button does nothing.
  void mapClickShowsTheShard_data() {
    QTest::addColumn<int>("shards");
    QTest::addColumn<int>("shard");
    QTest::addRow("lanes: shard 5 of 8") << 8 << 5;
    QTest::addRow("heat-map: shard 200 of 256") << 256 << 200;
  }
  void mapClickShowsTheShard() {
    QFETCH(int, shards);
    QFETCH(int, shard);
    auto session = shardedSession(shards);
    ShardSet* set = session->shards();
    ShardMapView view(set);
    view.resize(500, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy requested(set, &ShardSet::focusRequested);
    QTest::mouseClick(&view, Qt::RightButton, {}, view.shardRect(3).center().toPoint());
    QCOMPARE(requested.count(), 0);
    QCOMPARE(set->focused(), 0);
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(view.width() / 2, 4));  // the legend
    QCOMPARE(requested.count(), 0);
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.shardRect(shard).center().toPoint());
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).toInt(), shard);
    QCOMPARE(set->focused(), shard);
    QCOMPARE(session->adapter()->log().get(), set->log()->shard_ptr(static_cast<std::size_t>(shard)).get());
  }

  // 1024 shards: painted (a cell each, the full ones coloured apart from the empty ones) in a
  // number of paint calls that grows with the shards, never with their square.
  void mapPaints1024Shards() {
    auto session = shardedSession(1024, u"fnv"_s, 4);
    ShardSet* shards = session->shards();
    for (int k = 0; k < 300; ++k)
      for (int n = 0; n < 1 + k % 9; ++n)  // up to 9 records: seals and purges too
        QVERIFY(shards->router()->write(deviceRecord("key-" + std::to_string(k))));
    shards->sample(1000);
    shards->sample(1100);
    const ShardFrame& frame = shards->current();
    int full = -1, empty = -1;
    for (int i = 0; i < 1024; ++i) {
      if (frame.shards[static_cast<std::size_t>(i)].retained() >= 4 && full < 0 && i != shards->focused()) full = i;
      if (frame.shards[static_cast<std::size_t>(i)].retained() == 0 && empty < 0 && i != shards->focused()) empty = i;
    }
    QVERIFY(full >= 0 && empty >= 0);

    ShardMapView view(shards);
    view.resize(900, 500);
    QVERIFY(!view.showsLanes());
    CountingDevice device(view.size());
    view.render(&device);
    const int calls = device.engine.calls;
    QVERIFY2(calls >= 1024, qPrintable(QString::number(calls)));  // every shard drawn
    QVERIFY2(calls <= 3 * 1024 + 32, qPrintable(QString::number(calls)));

    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta);
    view.render(&image);
    const QColor fullColour = image.pixelColor(view.shardRect(full).center().toPoint());
    const QColor emptyColour = image.pixelColor(view.shardRect(empty).center().toPoint());
    QVERIFY(fullColour != emptyColour);
    QVERIFY(fullColour != QColor(Qt::magenta));
    QVERIFY(emptyColour != QColor(Qt::magenta));
    for (const int i : {0, 511, 1023})
      QVERIFY(image.pixelColor(view.shardRect(i).center().toPoint()) != QColor(Qt::magenta));
  }

  // ---- RoutingView ------------------------------------------------------------------------

  void routingFlightsPerFrame_data() {
    QTest::addColumn<int>("first");     // records routed before the first frame
    QTest::addColumn<int>("second");    // ... and before the second
    QTest::addColumn<int>("refusals");  // records refused after each one routed
    QTest::addRow("one a frame") << 1 << 1 << 0;
    QTest::addRow("five a frame") << 5 << 5 << 0;
    QTest::addRow("none, then three") << 0 << 3 << 0;
    QTest::addRow("refusals between the routes") << 3 << 4 << 2;
    QTest::addRow("more than the router keeps") << 300 << 300 << 0;
  }
  void routingFlightsPerFrame() {
    QFETCH(int, first);
    QFETCH(int, second);
    QFETCH(int, refusals);
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    RoutingView view(shards);
    quint64 notDrawn = 0;
    std::size_t flights = 0;
    const int counts[] = {first, second};
    for (int frame = 0; frame < 2; ++frame) {
      std::string last;
      for (int n = 0; n < counts[frame]; ++n) {
        last = "f" + std::to_string(frame) + "-" + std::to_string(n);
        QVERIFY(shards->router()->write(deviceRecord(last)));
        for (int r = 0; r < refusals; ++r) QVERIFY(!shards->router()->write("not json"));
      }
      const qint64 t = 1000 + 33 * frame;
      shards->sample(t);
      const std::size_t drawn =
          std::min<std::size_t>(static_cast<std::size_t>(counts[frame]), std::size_t{RoutingView::kNewPerFrame});
      flights += drawn;
      notDrawn += static_cast<quint64>(counts[frame]) - drawn;
      QCOMPARE(view.flights().size(), flights);
      QCOMPARE(view.routesNotDrawn(), notDrawn);
      if (drawn > 0) {
        // The newest route is drawn, from the frame's time, to its key's shard.
        const RoutingView::Flight& newest = view.flights().back();
        QCOMPARE(newest.key, QString::fromStdString(last));
        QCOMPARE(newest.shard, shardOf(shards, newest.key));
        QCOMPARE(newest.startMs, t);
      }
    }
    for (const RoutingView::Flight& f : view.flights()) QCOMPARE(f.shard, shardOf(shards, f.key));
  }

  // A flight lasts kFlightMs: older ones are dropped, newer ones stay; never more than kMaxFlights.
  void routingFlightsExpire() {
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    RoutingView view(shards);
    QVERIFY(shards->router()->write(deviceRecord("early")));
    shards->sample(1000);
    QCOMPARE(view.flights().size(), std::size_t{1});
    QVERIFY(shards->router()->write(deviceRecord("late")));
    shards->sample(1600);
    QCOMPARE(view.flights().size(), std::size_t{2});
    shards->sample(1000 + RoutingView::kFlightMs - 1);
    QCOMPARE(view.flights().size(), std::size_t{2});
    shards->sample(1000 + RoutingView::kFlightMs + 1);
    QCOMPARE(view.flights().size(), std::size_t{1});
    QCOMPARE(view.flights().front().key, u"late"_s);
    shards->sample(1600 + RoutingView::kFlightMs + 1);
    QVERIFY(view.flights().empty());

    // A route every 5 ms: more would fly than kMaxFlights within kFlightMs.
    qint64 t = 10'000;
    for (int n = 0; n < 2 * RoutingView::kMaxFlights; ++n, t += 5) {
      QVERIFY(shards->router()->write(deviceRecord("burst-" + std::to_string(n))));
      shards->sample(t);
      QVERIFY(view.flights().size() <= std::size_t{RoutingView::kMaxFlights});
    }
    QCOMPARE(view.flights().size(), std::size_t{RoutingView::kMaxFlights});
    QCOMPARE(view.flights().back().key, u"burst-%1"_s.arg(2 * RoutingView::kMaxFlights - 1));
  }

  void routingFrozenTakesNoFrames() {
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    RoutingView view(shards);
    view.setFrozen(true);
    for (int n = 0; n < 3; ++n) QVERIFY(shards->router()->write(deviceRecord("k" + std::to_string(n))));
    shards->sample(1000);
    QVERIFY(view.flights().empty());
    QCOMPARE(view.routesNotDrawn(), 0u);
    view.setFrozen(false);
    shards->sample(1033);
    QCOMPARE(view.flights().size(), std::size_t{1});
    QCOMPARE(view.flights().back().key, u"k2"_s);
    QCOMPARE(view.routesNotDrawn(), 2u);
    // Painting the flights works (and is not a test of pixels).
    view.resize(420, 220);
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::magenta);
    view.render(&image);
    QVERIFY(image.pixelColor(2, 2) != QColor(Qt::magenta));
  }

  // ---- RoutingPanel -----------------------------------------------------------------------

  void panelLookup_data() {
    QTest::addColumn<QString>("sharder");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("shard");  // -1: refused; -2: whatever fnv says
    QTest::addRow("fnv: a device") << u"fnv"_s << u"th-002"_s << -2;
    QTest::addRow("fnv: any text") << u"fnv"_s << u"what ever 123"_s << -2;
    QTest::addRow("key list: the first") << u"keys:a,b"_s << u"a"_s << 0;
    QTest::addRow("key list: the second") << u"keys:a,b"_s << u"b"_s << 1;
    QTest::addRow("key list: unknown") << u"keys:a,b"_s << u"c"_s << -1;
  }
  void panelLookup() {
    QFETCH(QString, sharder);
    QFETCH(QString, key);
    QFETCH(int, shard);
    auto session = shardedSession(4, sharder);
    ShardSet* shards = session->shards();
    RoutingPanel panel(shards);
    QVERIFY(panel.lookupResult()->text().isEmpty());
    QTest::keyClicks(panel.lookup(), key);
    if (shard == -2) shard = shardOf(shards, key);
    if (shard >= 0) {
      QCOMPARE(shardOf(shards, key), shard);
      QCOMPARE(panel.lookupResult()->text(), u"→ shard #%1"_s.arg(shard));
    } else {
      QCOMPARE(shardOf(shards, key), -1);
      QCOMPARE(panel.lookupResult()->text(), u"refused: no shard for it"_s);
    }
    panel.lookup()->clear();
    QVERIFY(panel.lookupResult()->text().isEmpty());
  }

  void panelKeyFilter() {
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    RoutingPanel panel(shards);
    QAbstractItemModelTester tester(panel.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (const char* key : {"alpha-1", "Alpha-2", "beta-1", "gamma-alpha", "delta"})
      QVERIFY(shards->router()->write(deviceRecord(key)));
    panel.model()->refresh(0);
    QCOMPARE(panel.proxy()->rowCount(), 5);
    QTest::keyClicks(panel.keyFilter(), u"ALPHA"_s);
    QCOMPARE(panel.proxy()->rowCount(), 3);  // case-insensitive, anywhere in the key
    for (int r = 0; r < panel.proxy()->rowCount(); ++r)
      QVERIFY(panel.proxy()
                  ->index(r, KeyTableModel::KeyColumn)
                  .data()
                  .toString()
                  .contains(u"alpha"_s, Qt::CaseInsensitive));
    // A new matching key arriving while filtered shows up; a new other key does not.
    QVERIFY(shards->router()->write(deviceRecord("alpha-3")));
    QVERIFY(shards->router()->write(deviceRecord("epsilon")));
    panel.model()->refresh(500);
    QCOMPARE(panel.proxy()->rowCount(), 4);
    panel.keyFilter()->clear();
    QCOMPARE(panel.proxy()->rowCount(), 7);
  }

  void panelShardFilter_data() {
    QTest::addColumn<int>("shard");
    QTest::addRow("shard 0") << 0;
    QTest::addRow("shard 3") << 3;
    QTest::addRow("shard 7") << 7;
  }
  void panelShardFilter() {
    QFETCH(int, shard);
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    RoutingPanel panel(shards);
    QAbstractItemModelTester tester(panel.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(panel.shardFilter()->minimum(), -1);
    QCOMPARE(panel.shardFilter()->maximum(), 7);
    int ofShard = 0;
    for (int n = 0; n < 80; ++n) {
      const QString key = u"device-%1"_s.arg(n);
      QVERIFY(shards->router()->write(deviceRecord(key.toStdString())));
      if (shardOf(shards, key) == shard) ++ofShard;
    }
    QVERIFY(ofShard > 0);
    panel.model()->refresh(0);
    QCOMPARE(panel.proxy()->rowCount(), 80);
    panel.shardFilter()->setValue(shard);
    QCOMPARE(panel.proxy()->rowCount(), ofShard);
    for (int r = 0; r < panel.proxy()->rowCount(); ++r) {
      const QString key = panel.proxy()->index(r, KeyTableModel::KeyColumn).data().toString();
      QCOMPARE(shardOf(shards, key), shard);
      QCOMPARE(panel.proxy()->index(r, KeyTableModel::ShardColumn).data().toString(), u"#%1"_s.arg(shard));
    }
    // Text and shard together: both must match.
    panel.keyFilter()->setText(u"device-1"_s);
    for (int r = 0; r < panel.proxy()->rowCount(); ++r) {
      const QString key = panel.proxy()->index(r, KeyTableModel::KeyColumn).data().toString();
      QVERIFY(key.contains(u"device-1"_s));
      QCOMPARE(shardOf(shards, key), shard);
    }
    panel.keyFilter()->clear();
    panel.shardFilter()->setValue(-1);  // "all shards"
    QCOMPARE(panel.shardFilter()->text(), u"all shards"_s);
    QCOMPARE(panel.proxy()->rowCount(), 80);
  }

  // Double-clicking a key shows its shard in the single-log views.
  void panelDoubleClickShowsTheKeysShard() {
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    RoutingPanel panel(shards);
    panel.resize(700, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    for (int n = 0; n < 20; ++n) QVERIFY(shards->router()->write(deviceRecord("dev-" + std::to_string(n))));
    panel.model()->refresh(0);
    QCoreApplication::processEvents();  // the table lays out the new rows
    auto* table = panel.findChild<QTableView*>();
    QVERIFY(table != nullptr);
    QCOMPARE(table->model(), panel.proxy());
    // A row whose key is not on the shard shown now.
    int row = -1;
    for (int r = 0; r < panel.proxy()->rowCount() && row < 0; ++r)
      if (panel.proxy()->index(r, KeyTableModel::ShardColumn).data(KeyTableModel::SortRole).toInt() != 0) row = r;
    QVERIFY(row >= 0);
    const QModelIndex index = panel.proxy()->index(row, KeyTableModel::KeyColumn);
    const int shard = shardOf(shards, index.data().toString());
    QVERIFY(shard > 0);
    QSignalSpy focused(shards, &ShardSet::focusChanged);
    const QRect cell = table->visualRect(index);
    QVERIFY(cell.isValid());
    // A double-click as the platform delivers it: press, release, then the double-click.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(focused.count(), 0);  // a single click selects, it does not show the shard
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(focused.count(), 1);
    QCOMPARE(shards->focused(), shard);
    QCOMPARE(session->adapter()->log().get(), shards->log()->shard_ptr(static_cast<std::size_t>(shard)).get());
  }

  // ---- ShardsPanel ------------------------------------------------------------------------

  void shardsPanelSummary_data() {
    QTest::addColumn<QString>("sharder");
    QTest::addColumn<QString>("named");  // how the summary names the sharder
    QTest::addRow("fnv") << u"fnv"_s << u"fnv"_s;
    QTest::addRow("key list") << u"keys:th-000,th-001,th-002"_s << u"key list"_s;
  }
  void shardsPanelSummary() {
    QFETCH(QString, sharder);
    QFETCH(QString, named);
    auto session = shardedSession(8, sharder);
    ShardSet* shards = session->shards();
    ShardsPanel panel(shards);
    QVERIFY(panel.map() != nullptr);
    shards->sample(10'000);  // a rate window ends here; the next one is a second long
    for (int n = 0; n < 6; ++n) QVERIFY(shards->router()->write(deviceRecord("th-001")));
    QVERIFY(shards->router()->write(deviceRecord("th-000")));
    shards->sample(11'000);
    const int busiest = shards->current().busiest;
    QCOMPARE(busiest, shardOf(shards, u"th-001"_s));
    const int rate = shardOf(shards, u"th-000"_s) == busiest ? 7 : 6;
    const QString text = panel.summaryText();
    QVERIFY2(text.contains(u"8 shards"_s), qPrintable(text));
    QVERIFY2(text.contains(u"(%1 by \"device\")"_s.arg(named)), qPrintable(text));
    QVERIFY2(text.contains(u"busiest #%1 %2/s"_s.arg(busiest).arg(rate)), qPrintable(text));
    QVERIFY2(text.contains(u"shown: #0"_s), qPrintable(text));
    shards->requestFocus(5);
    shards->sample(11'033);
    QVERIFY2(panel.summaryText().contains(u"shown: #5"_s), qPrintable(panel.summaryText()));
    // Frozen: the line stands still while frames go on.
    panel.setFrozen(true);
    shards->requestFocus(6);
    shards->sample(11'066);
    QVERIFY(panel.summaryText().contains(u"shown: #5"_s));
  }

  // A record with no key is refused: the panel says so, with the reason, once it happens.
  void shardsPanelShowsRefused() {
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    ShardsPanel panel(shards);
    QVERIFY(shards->router()->write(deviceRecord("th-001")));
    shards->sample(1000);
    QVERIFY(visibleLabelStartingWith(&panel, u"refused"_s) == nullptr);
    QVERIFY(!shards->router()->write("not json"));
    QVERIFY(!shards->router()->write("{\"other\":1}"));
    shards->sample(1033);
    QLabel* refused = visibleLabelStartingWith(&panel, u"refused"_s);
    QVERIFY(refused != nullptr);
    QVERIFY(refused->isVisibleTo(&panel));
    const auto counters = shards->router()->counters();
    QCOMPARE(counters.refused, 2u);
    QVERIFY(counters.last_refused.has_value());
    const QString reason = QString::fromStdString(counters.last_refused->reason);
    QVERIFY(!reason.isEmpty());
    QVERIFY2(refused->text().startsWith(u"refused 2 "_s), qPrintable(refused->text()));
    QVERIFY2(refused->text().contains(reason), qPrintable(refused->text()));
    QVERIFY2(refused->text().contains(u"record 3"_s), qPrintable(refused->text()));
  }

  // ---- SkewChart --------------------------------------------------------------------------

  // A point a second of frames, however often frames come: each the frame's busiest and mean.
  void skewOnePointPerSecond_data() {
    QTest::addColumn<int>("interval");  // ms between frames
    QTest::addColumn<int>("duration");  // ms of frames, from 0
    QTest::addColumn<int>("points");
    QTest::addRow("30 frames a second") << 33 << 4000 << 4;  // 0, 1023 (31 frames), 2046, 3069
    QTest::addRow("25 frames a second") << 40 << 3000 << 4;
    QTest::addRow("4 frames a second") << 250 << 5000 << 6;
    QTest::addRow("a frame a second") << 1000 << 4000 << 5;
    QTest::addRow("a frame every 300 ms") << 300 << 3000 << 3;  // 0, 1200, 2400
  }
  void skewOnePointPerSecond() {
    QFETCH(int, interval);
    QFETCH(int, duration);
    QFETCH(int, points);
    auto session = shardedSession(8);
    ShardSet* shards = session->shards();
    SkewChart chart(shards);
    QList<QPointF> max, mean;
    qint64 lastPoint = -1;
    int frame = 0;
    for (qint64 t = 0; t <= duration; t += interval, ++frame) {
      // A hot key and a few others: the busiest is well above the mean.
      for (int n = 0; n < 3; ++n) QVERIFY(shards->router()->write(deviceRecord("hot")));
      QVERIFY(shards->router()->write(deviceRecord("cold-" + std::to_string(frame % 5))));
      shards->sample(t);
      if (lastPoint < 0 || t - lastPoint >= 1000) {
        lastPoint = t;
        max.append({static_cast<double>(t) / 1000.0, shards->current().maxRate});
        mean.append({static_cast<double>(t) / 1000.0, shards->current().meanRate});
      }
    }
    QCOMPARE(max.size(), points);
    QCOMPARE(chart.maxPoints(), max);
    QCOMPARE(chart.meanPoints(), mean);
    QVERIFY(chart.maxPoints().last().y() > chart.meanPoints().last().y());  // the skew shows
    QVERIFY(chart.meanPoints().last().y() > 0);
    // The series show the same points (replaced whole each second).
    auto* view = chart.findChild<QChartView*>();
    QVERIFY(view != nullptr);
    const QList<QAbstractSeries*> series = view->chart()->series();
    QCOMPARE(series.size(), 2);
    for (QAbstractSeries* s : series) {
      auto* line = qobject_cast<QLineSeries*>(s);
      QVERIFY(line != nullptr);
      QCOMPARE(line->points(), line->name() == u"busiest shard"_s ? chart.maxPoints() : chart.meanPoints());
    }
  }

  // Two minutes kept: points older than kSeconds before the newest are dropped.
  void skewDropsOldPoints() {
    auto session = shardedSession(4);
    ShardSet* shards = session->shards();
    SkewChart chart(shards);
    const int seconds = SkewChart::kSeconds + 30;
    for (int s = 0; s <= seconds; ++s) {
      for (int n = 0; n <= s % 7; ++n) QVERIFY(shards->router()->write(deviceRecord("k" + std::to_string(n))));
      shards->sample(s * 1000LL);
      QVERIFY(chart.maxPoints().size() <= SkewChart::kSeconds + 1);
    }
    QCOMPARE(chart.maxPoints().size(), SkewChart::kSeconds + 1);
    QCOMPARE(chart.meanPoints().size(), SkewChart::kSeconds + 1);
    QCOMPARE(chart.maxPoints().first().x(), static_cast<double>(seconds - SkewChart::kSeconds));
    QCOMPARE(chart.maxPoints().last().x(), static_cast<double>(seconds));
    QCOMPARE(chart.meanPoints().first().x(), chart.maxPoints().first().x());
    QCOMPARE(chart.maxPoints().last().y(), shards->current().maxRate);
    // Frozen: no points taken.
    chart.setFrozen(true);
    const QList<QPointF> before = chart.maxPoints();
    shards->sample((seconds + 2) * 1000LL);
    QCOMPARE(chart.maxPoints(), before);
  }
};

QTEST_MAIN(TestShardViews)
#include "tst_shard_views.moc"
