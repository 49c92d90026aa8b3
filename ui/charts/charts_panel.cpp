// SPDX-License-Identifier: MIT
#include "charts/charts_panel.hpp"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLineSeries>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

#include "adapter/log_session.hpp"

using namespace Qt::StringLiterals;

namespace {
constexpr std::size_t kCapacity = ChartsPanel::kWindowSeconds * 1000 / ChartsPanel::kSampleMs + 1;

QChart* makeChart(const QString& title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->setAnimationOptions(QChart::NoAnimation);  // live data: animations would lag behind it
  auto* x = new QValueAxis(chart);
  x->setLabelFormat(u"%.0f"_s);
  x->setTickCount(5);
  chart->addAxis(x, Qt::AlignBottom);
  auto* y = new QValueAxis(chart);
  y->setLabelFormat(u"%.0f"_s);
  y->setTickCount(4);
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

// Fits a chart's axes to what it shows: the time window, and 0..max(y) with headroom.
void fit(QChart* chart, double now) {
  auto* x = static_cast<QValueAxis*>(chart->axes(Qt::Horizontal).constFirst());
  x->setRange(std::max(0.0, now - ChartsPanel::kWindowSeconds), std::max(10.0, now));
  const auto verticals = chart->axes(Qt::Vertical);
  for (int axis = 0; axis < verticals.size(); ++axis) {
    double top = 1;
    for (QAbstractSeries* s : chart->series()) {
      if (!s->attachedAxes().contains(verticals.at(axis))) continue;
      for (const QPointF& p : static_cast<QXYSeries*>(s)->points()) top = std::max(top, p.y());
    }
    static_cast<QValueAxis*>(verticals.at(axis))->setRange(0, top * 1.1);
  }
}

QList<QPointF> toList(const std::deque<QPointF>& ring) { return QList<QPointF>(ring.begin(), ring.end()); }
}  // namespace

ChartsPanel::ChartsPanel(LogSession* session, QWidget* parent) : QWidget(parent), m_session(session) {
  m_throughput = makeChart(u"Writes and reads per second"_s);
  m_writesSeries = new QLineSeries(this);
  m_writesSeries->setName(u"writes/s"_s);
  attach(m_throughput, m_writesSeries);
  m_purgeSeries = new QScatterSeries(this);
  m_purgeSeries->setName(u"purges"_s);
  m_purgeSeries->setMarkerSize(9);
  m_purgeSeries->setColor(QColor(0xd3, 0x2f, 0x2f));
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

  auto* pause = new QCheckBox(u"Pause charts"_s, this);
  pause->setToolTip(u"Freeze the charts to inspect them; the log and the sampling go on, and resuming catches up."_s);
  connect(pause, &QCheckBox::toggled, this, &ChartsPanel::setPaused);
  auto* charts = new QHBoxLayout;
  for (QChart* chart : {m_throughput, m_lagChart, m_retainedChart}) {
    auto* view = new QChartView(chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setRubberBand(QChartView::RectangleRubberBand);  // drag to zoom (pause first), right-click to zoom out
    view->setToolTip(u"Pause the charts, then drag a rectangle to zoom in; right-click zooms out."_s);
    m_views.push_back(view);
    view->setMinimumHeight(170);  // the least that keeps title, axes and legend readable
    charts->addWidget(view);
  }
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(pause);
  layout->addLayout(charts);

  connect(session->adapter(), &LogAdapter::logReplaced, this, [this] { m_lastNext = -1; });
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
  const double now = m_clock.elapsed() / 1000.0;
  const double seconds = kSampleMs / 1000.0;
  const memlog::Stats s = m_session->adapter()->stats();
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

  const auto& snapshots = m_session->consumers()->snapshots();
  for (const auto& c : snapshots) {
    auto [it, inserted] = m_consumers.try_emplace(c.id);
    ConsumerSeries& series = it->second;
    if (inserted) {
      series.readsSeries = new QLineSeries(this);
      series.readsSeries->setName(QString::fromStdString(c.name) + u" reads/s"_s);
      attach(m_throughput, series.readsSeries);
      series.lagSeries = new QLineSeries(this);
      series.lagSeries->setName(QString::fromStdString(c.name));
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
}

void ChartsPanel::setPaused(bool paused) {
  m_paused = paused;
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
