// SPDX-License-Identifier: MIT
#include "charts/charts_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QFontMetricsF>
#include <QGraphicsTextItem>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

#include "adapter/log_adapter.hpp"
#include "charts/axis_ticks.hpp"
#include "charts/chart_style.hpp"
#include "controllers/consumer_controller.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {
constexpr std::size_t kCapacity = ChartsPanel::kWindowSeconds * 1000 / ChartsPanel::kSampleMs + 1;
// The pens: every line 2 px wide (as Qt's chart themes draw them); a series a lesson emphasises
// twice as wide, and the other series of its chart faded to a third, so that it stands out.
constexpr qreal kLineWidth = 2, kEmphasisedWidth = 4;
constexpr float kFaded = 0.3F;
constexpr qreal kPurgeMarker = 10, kEmphasisedPurgeMarker = 14;

QChart* makeChart(const QString& title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->setAnimationOptions(QChart::NoAnimation);  // live data: animations would lag behind it
  auto* x = new QValueAxis(chart);
  x->setLabelFormat(u"%.0f"_s);
  x->setTickType(QValueAxis::TicksDynamic);  // whole seconds from 0 (fit() picks the interval)
  x->setTickAnchor(0);
  x->setTickInterval(AxisTicks::timeInterval(0));
  chart->addAxis(x, Qt::AlignBottom);
  auto* y = new QValueAxis(chart);
  y->setLabelFormat(u"%.0f"_s);
  y->setTickCount(AxisTicks::forLargest(0).count);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

void attach(QChart* chart, QAbstractSeries* series, Qt::Alignment yAxis = Qt::AlignLeft) {
  chart->addSeries(series);
  series->attachAxis(chart->axes(Qt::Horizontal).constFirst());
  series->attachAxis(chart->axes(Qt::Vertical).size() > 1 && yAxis == Qt::AlignRight
                         ? chart->axes(Qt::Vertical).at(1)
                         : chart->axes(Qt::Vertical).constFirst());
}

// Fits a chart's axes to what it shows: the time window, ticks on whole seconds from 0; and
// 0..max(y) with headroom, ticks on whole numbers (AxisTicks: never "0, 1, 1, 1"), as many as
// the plot's height shows without clipping their labels.
void fit(QChart* chart, double now) {
  auto* x = static_cast<QValueAxis*>(chart->axes(Qt::Horizontal).constFirst());
  const double from = std::max(0.0, now - ChartsPanel::kWindowSeconds), to = std::max(10.0, now);
  x->setTickInterval(AxisTicks::timeInterval(to - from));
  x->setRange(from, to);
  const auto verticals = chart->axes(Qt::Vertical);
  for (QAbstractAxis* axis : verticals) {
    double top = 0;
    for (QAbstractSeries* s : chart->series()) {
      if (!s->attachedAxes().contains(axis)) continue;
      for (const QPointF& p : static_cast<QXYSeries*>(s)->points()) top = std::max(top, p.y());
    }
    auto* y = static_cast<QValueAxis*>(axis);
    const int intervals = AxisTicks::intervalsFor(chart->plotArea().height(), QFontMetricsF(y->labelsFont()).height());
    const AxisTicks ticks = AxisTicks::forLargest(top, intervals);
    y->setTickCount(ticks.count);
    y->setRange(0, ticks.max);
  }
}

QList<QPointF> toList(const std::deque<QPointF>& ring) { return {ring.begin(), ring.end()}; }
}  // namespace

ChartsPanel::ChartsPanel(LogAdapter* adapter, ConsumerController* consumers, QWidget* parent)
    : QWidget(parent), m_adapter(adapter), m_consumerController(consumers) {
  m_throughput = makeChart(u"Writes and reads per second"_s);
  m_writesSeries = new QLineSeries(this);
  m_writesSeries->setName(u"writes/s"_s);
  attach(m_throughput, m_writesSeries);
  m_purgeSeries = new QScatterSeries(this);
  m_purgeSeries->setName(u"purges"_s);
  m_purgeSeries->setMarkerSize(kPurgeMarker);
  m_purgeSeries->setMarkerShape(QScatterSeries::MarkerShapeTriangle);  // a shape, not only a colour
  attach(m_throughput, m_purgeSeries);

  m_lagChart = makeChart(u"Consumer lag (records not read yet)"_s);

  m_retainedChart = makeChart(u"Retained records and bytes"_s);
  auto* bytesAxis = new QValueAxis(m_retainedChart);
  bytesAxis->setLabelFormat(u"%.0f"_s);
  bytesAxis->setTitleText(u"KiB"_s);
  m_retainedChart->addAxis(bytesAxis, Qt::AlignRight);
  m_retainedSeries = new QLineSeries(this);
  m_retainedSeries->setName(u"records"_s);
  attach(m_retainedChart, m_retainedSeries);
  m_bytesSeries = new QLineSeries(this);
  m_bytesSeries->setName(u"payload KiB"_s);
  attach(m_retainedChart, m_bytesSeries, Qt::AlignRight);

  auto* pause = m_pauseBox = new QCheckBox(u"Pause charts"_s, this);
  pause->setToolTip(u"Freeze the charts to inspect them; the log and the sampling go on, and resuming catches up."_s);
  connect(pause, &QCheckBox::toggled, this, &ChartsPanel::setPaused);
  auto* charts = new QHBoxLayout;
  for (QChart* chart : {m_throughput, m_lagChart, m_retainedChart}) {
    auto* view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setRubberBand(QChartView::RectangleRubberBand);  // drag to zoom (pause first), right-click to zoom out
    view->setToolTip(
        u"Pause the charts, then drag a rectangle to zoom in; right-click zooms out. With the keyboard: Tab to a "
        "chart, + and - zoom, the arrow keys scroll, 0 shows it all again."_s);
    view->setFocusPolicy(Qt::StrongFocus);
    view->setAccessibleName(chart->title() + u" chart"_s);
    view->installEventFilter(this);
    m_views.push_back(view);
    view->setMinimumHeight(170);  // the least that keeps title, axes and legend readable
    charts->addWidget(view);
  }
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(pause);
  layout->addLayout(charts);

  applyTheme();

  connect(adapter, &LogAdapter::logReplaced, this, [this] { m_lastNext = -1; });
  m_clock.start();
  m_timer.setInterval(kSampleMs);
  connect(&m_timer, &QTimer::timeout, this, &ChartsPanel::sample);
  m_timer.start();
}

void ChartsPanel::push(Ring& ring, QPointF point) {
  if (ring.size() == kCapacity) ring.pop_front();
  ring.push_back(point);
}

void ChartsPanel::sample() {
  const double now = static_cast<double>(m_clock.elapsed()) / 1000.0;
  const double seconds = kSampleMs / 1000.0;
  const memlog::Stats s = m_adapter->stats();
  // Across a replaced log the counters restart: count from the new log's first sample.
  const bool fresh = m_lastNext < 0 || s.records_written < m_lastWritten;
  push(m_writes, {now, fresh ? 0.0 : static_cast<double>(s.records_written - m_lastWritten) / seconds});
  if (!fresh && s.purges > m_lastPurges) push(m_purges, {now, m_writes.back().y()});
  m_lastWritten = s.records_written;
  m_lastPurges = s.purges;
  m_lastNext = s.next_offset;
  push(m_retained, {now, static_cast<double>(s.active_records + s.history_records)});
  push(m_bytes, {now, static_cast<double>(s.active_bytes + s.history_bytes) / 1024.0});
  while (!m_purges.empty() && m_purges.front().x() < now - kWindowSeconds) m_purges.pop_front();

  const auto& snapshots = m_consumerController->snapshots();
  for (const auto& c : snapshots) {
    auto [it, inserted] = m_consumers.try_emplace(c.id);
    ConsumerSeries& series = it->second;
    if (inserted) {
      series.readsSeries = new QLineSeries(this);
      series.readsSeries->setName(QString::fromStdString(c.name) + u" reads/s"_s);
      attach(m_throughput, series.readsSeries);
      series.lagSeries = new QLineSeries(this);
      series.name = QString::fromStdString(c.name);
      series.lagSeries->setName(series.name);
      attach(m_lagChart, series.lagSeries);
      series.lastConsumed = c.consumed;
    }
    push(series.reads, {now, static_cast<double>(c.consumed - std::min(series.lastConsumed, c.consumed)) / seconds});
    series.lastConsumed = c.consumed;
    push(series.lag, {now, static_cast<double>(c.lag)});
  }
  for (auto it = m_consumers.begin(); it != m_consumers.end();) {  // consumers removed: their series go
    if (std::none_of(snapshots.begin(), snapshots.end(), [&](const auto& c) { return c.id == it->first; })) {
      m_throughput->removeSeries(it->second.readsSeries);
      m_lagChart->removeSeries(it->second.lagSeries);
      delete it->second.readsSeries;
      delete it->second.lagSeries;
      it = m_consumers.erase(it);
    } else {
      ++it;
    }
  }
  if (!m_paused) publish();
}

void ChartsPanel::publish() {
  m_writesSeries->replace(toList(m_writes));
  m_purgeSeries->replace(toList(m_purges));
  m_retainedSeries->replace(toList(m_retained));
  m_bytesSeries->replace(toList(m_bytes));
  for (auto& [id, series] : m_consumers) {
    series.readsSeries->replace(toList(series.reads));
    series.lagSeries->replace(toList(series.lag));
  }
  const double now = m_writes.empty() ? 0 : m_writes.back().x();
  for (QChart* chart : {m_throughput, m_lagChart, m_retainedChart}) fit(chart, now);
  colourSeries();  // consumers' series may be new
  describe();
}

void ChartsPanel::setPaused(bool paused) {
  m_paused = paused;
  // Paused from elsewhere (View → Pause views): the box says so too.
  if (m_pauseBox->isChecked() != paused) {
    const QSignalBlocker quiet(m_pauseBox);
    m_pauseBox->setChecked(paused);
  }
  if (!paused)
    for (QChartView* view : m_views) view->chart()->zoomReset();  // live again: the whole window
  if (!paused) publish();                                         // catch up with what was sampled meanwhile
}

QList<QPointF> ChartsPanel::shown(const QString& series) const {
  if (series == u"writes"_s) return m_writesSeries->points();
  if (series == u"retained"_s) return m_retainedSeries->points();
  if (series == u"purges"_s) return m_purgeSeries->points();
  for (const auto& [id, s] : m_consumers)
    if (u"lag:"_s + s.lagSeries->name() == series) return s.lagSeries->points();
  return {};
}

void ChartsPanel::applyTheme() {
  const Theme theme = Theme::of(palette());
  for (QChartView* view : m_views) styleChart(view, theme);
  colourSeries();
}

void ChartsPanel::colourSeries() {
  // The same colour for a consumer in both charts. The pens are set whole each time (and only
  // when they differ: setPen repaints), so that the end of an emphasis restores them.
  const Theme theme = Theme::of(palette());
  QXYSeries* emphasised = series(m_emphasisChart, m_emphasisSeries);
  const auto faded = [&](QXYSeries* s, QColor color) {
    if (emphasised && s != emphasised && s->chart() == emphasised->chart()) color.setAlphaF(kFaded);
    return color;
  };
  const auto draw = [&](QXYSeries* s, const QColor& color, Qt::PenStyle style = Qt::SolidLine) {
    const QPen pen(faded(s, color), s == emphasised ? kEmphasisedWidth : kLineWidth, style);
    if (s->pen() != pen) s->setPen(pen);
  };
  draw(m_writesSeries, theme.seriesColor(0));
  const QColor purge = faded(m_purgeSeries, theme.purgeMarker);  // markers: emphasised larger
  m_purgeSeries->setColor(purge);
  m_purgeSeries->setBorderColor(purge);
  const qreal marker = m_purgeSeries == emphasised ? kEmphasisedPurgeMarker : kPurgeMarker;
  if (m_purgeSeries->markerSize() != marker) m_purgeSeries->setMarkerSize(marker);
  draw(m_retainedSeries, theme.seriesColor(0));
  draw(m_bytesSeries, theme.seriesColor(1), Qt::DashLine);  // two lines, two axes: told apart by the dash too
  for (auto& [id, series] : m_consumers) {
    draw(series.readsSeries, theme.seriesColor(1 + id % 5));
    draw(series.lagSeries, theme.seriesColor(1 + id % 5));
  }
}

QXYSeries* ChartsPanel::series(const QString& chart, const QString& name) const {
  const auto consumer = [this](const QString& consumerName, bool lag) -> QXYSeries* {
    for (const auto& [id, s] : m_consumers)
      if (s.name == consumerName) return lag ? s.lagSeries : s.readsSeries;
    return nullptr;
  };
  if (chart == u"writes"_s) {
    if (name == u"writes"_s) return m_writesSeries;
    if (name == u"purges"_s) return m_purgeSeries;
    if (name.startsWith(u"reads:"_s)) return consumer(name.mid(6), false);
  } else if (chart == u"lag"_s) {
    return consumer(name, true);
  } else if (chart == u"retained"_s) {
    if (name == u"records"_s) return m_retainedSeries;
    if (name == u"payload"_s) return m_bytesSeries;
  }
  return nullptr;
}

void ChartsPanel::emphasise(const QString& chart, const QString& name) {
  m_emphasisChart = chart;
  m_emphasisSeries = chart.isEmpty() ? QString() : name;
  colourSeries();  // now; a series that comes later gets it when it is first published
}

QRectF ChartsPanel::legendRect(const QString& chart, const QString& name) const {
  QChartView* chartView = view(chart);
  QXYSeries* s = series(chart, name);
  if (!chartView || !s || !chartView->chart()->legend()->isVisible()) return {};
  QLegend* legend = chartView->chart()->legend();
  const QList<QLegendMarker*> mine = legend->markers(s);
  if (mine.isEmpty() || !mine.first()->isVisible()) return {};
  // Qt Charts keeps a marker's geometry private: its item is the legend's descendant that holds
  // the label's text item. Found by that label (the legend may shorten it: then by the markers'
  // order, which is the items').
  QList<QGraphicsItem*> items;
  QList<QGraphicsItem*> pending = legend->childItems();
  while (!pending.isEmpty()) {
    QGraphicsItem* item = pending.takeFirst();
    const QList<QGraphicsItem*> children = item->childItems();
    if (std::any_of(children.begin(), children.end(),
                    [](QGraphicsItem* c) { return c->type() == QGraphicsTextItem::Type; }))
      items.append(item);
    else
      pending.append(children);
  }
  const auto labelOf = [](QGraphicsItem* item) {
    for (QGraphicsItem* c : item->childItems())
      if (c->type() == QGraphicsTextItem::Type) return static_cast<QGraphicsTextItem*>(c)->toPlainText();
    return QString();
  };
  QList<QGraphicsItem*> labelled;
  for (QGraphicsItem* item : items)
    if (labelOf(item) == mine.first()->label()) labelled.append(item);
  QGraphicsItem* found = labelled.size() == 1 ? labelled.first() : nullptr;  // two of one label: by the order
  const qsizetype index = legend->markers().indexOf(mine.first());
  if (!found && items.size() == legend->markers().size() && index >= 0) found = items.at(index);
  if (!found || !found->isVisible()) return {};
  const QRect inViewport = chartView->mapFromScene(found->sceneBoundingRect()).boundingRect();
  return {inViewport.translated(chartView->viewport()->pos())};
}

void ChartsPanel::describe() {
  // What a screen reader says for each chart: its latest values. Set only when they change.
  const QLocale locale;
  auto latest = [&](const Ring& ring) {
    return ring.empty() ? u"none yet"_s : locale.toString(qRound64(ring.back().y()));
  };
  QString throughput = u"Latest writes per second: %1."_s.arg(latest(m_writes));
  QString lag = u"Latest lag in records:"_s;
  if (!m_consumers.empty()) throughput += u" Reads per second:"_s;
  for (const auto& [id, series] : m_consumers) {
    const bool first = id == m_consumers.begin()->first;
    throughput += (first ? u" "_s : u", "_s) + series.lagSeries->name() + u" "_s + latest(series.reads);
    lag += (first ? u" "_s : u", "_s) + series.lagSeries->name() + u" "_s + latest(series.lag);
  }
  if (m_consumers.empty()) lag += u" no consumers"_s;
  throughput += u". Purges in the last %1 seconds: %2."_s.arg(kWindowSeconds).arg(m_purges.size());
  const QString retained = u"Latest retained records: %1; payload %2 KiB."_s.arg(latest(m_retained), latest(m_bytes));
  const QString texts[] = {throughput, lag + u"."_s, retained};
  for (std::size_t i = 0; i < m_views.size() && i < std::size(texts); ++i)
    if (m_views[i]->accessibleDescription() != texts[i]) m_views[i]->setAccessibleDescription(texts[i]);
}

void ChartsPanel::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange) applyTheme();  // light <-> dark, also at run time
  QWidget::changeEvent(event);
}

bool ChartsPanel::eventFilter(QObject* watched, QEvent* event) {
  auto* view = qobject_cast<QChartView*>(watched);
  if (!view) return QWidget::eventFilter(watched, event);
  if (event->type() == QEvent::FocusIn || event->type() == QEvent::FocusOut) {
    // A focused chart says so: a frame in the highlight colour.
    view->chart()->setBackgroundPen(event->type() == QEvent::FocusIn ? QPen(palette().color(QPalette::Highlight), 2)
                                                                     : QPen(Qt::NoPen));
  } else if (event->type() == QEvent::KeyPress) {
    // The keyboard's rubber band: zoom, scroll, back to the whole window (pause first, or the
    // next sample fits the chart again).
    QChart* chart = view->chart();
    const QRectF area = chart->plotArea();
    switch (static_cast<QKeyEvent*>(event)->key()) {
      case Qt::Key_Plus:
      case Qt::Key_Equal:
        chart->zoomIn();
        return true;
      case Qt::Key_Minus:
        chart->zoomOut();
        return true;
      case Qt::Key_0:
      case Qt::Key_Home:
        chart->zoomReset();
        return true;
      case Qt::Key_Left:
        chart->scroll(-area.width() / 10, 0);
        return true;
      case Qt::Key_Right:
        chart->scroll(area.width() / 10, 0);
        return true;
      case Qt::Key_Up:
        chart->scroll(0, area.height() / 10);
        return true;
      case Qt::Key_Down:
        chart->scroll(0, -area.height() / 10);
        return true;
      default:
        break;
    }
  }
  return QWidget::eventFilter(watched, event);
}

QWidget* ChartsPanel::chart(const QString& which) const { return view(which); }

QChartView* ChartsPanel::view(const QString& chart) const {
  // In the order they are laid out: throughput (writes and reads), lag, retained.
  const int index = chart == u"writes"_s ? 0 : chart == u"lag"_s ? 1 : chart == u"retained"_s ? 2 : -1;
  return index >= 0 && static_cast<std::size_t>(index) < m_views.size() ? m_views[static_cast<std::size_t>(index)]
                                                                        : nullptr;
}

void ChartsPanel::showOnly(const QString& which) {
  QWidget* only = chart(which);
  for (QChartView* view : m_views) view->setVisible(!only || view == only);
}
