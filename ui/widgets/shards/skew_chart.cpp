// SPDX-License-Identifier: MIT
#include "shards/skew_chart.hpp"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

#include "charts/chart_style.hpp"
#include "shards/shard_set.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

SkewChart::SkewChart(ShardSet* shards, QWidget* parent) : QWidget(parent) {
  auto* chart = new QChart;
  chart->setTitle(u"Load: busiest shard vs mean (records/s)"_s);
  chart->setMargins(QMargins(2, 2, 2, 2));
  m_maxSeries = new QLineSeries(this);
  m_maxSeries->setName(u"busiest shard"_s);
  m_meanSeries = new QLineSeries(this);
  m_meanSeries->setName(u"mean of all shards"_s);
  chart->addSeries(m_maxSeries);
  chart->addSeries(m_meanSeries);
  m_x = new QValueAxis(this);
  m_x->setTitleText(u"seconds"_s);
  m_x->setLabelFormat(u"%d"_s);
  m_y = new QValueAxis(this);
  m_y->setLabelFormat(u"%d"_s);
  chart->addAxis(m_x, Qt::AlignBottom);
  chart->addAxis(m_y, Qt::AlignLeft);
  for (QLineSeries* series : {m_maxSeries, m_meanSeries}) {
    series->attachAxis(m_x);
    series->attachAxis(m_y);
  }
  m_view = new QChartView(chart, this);
  m_view->setRenderHint(QPainter::Antialiasing);
  m_view->setToolTip(
      u"Skew over time: the busiest shard's write rate and the mean over all shards. A hot key "
      u"keeps the lines apart; uniform keys bring them together."_s);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_view);
  changeEvent(nullptr);
  connect(shards, &ShardSet::sampled, this, &SkewChart::takeFrame);
}

void SkewChart::changeEvent(QEvent* event) {
  if (event != nullptr && event->type() != QEvent::PaletteChange) return QWidget::changeEvent(event);
  const Theme theme = Theme::of(palette());
  styleChart(m_view, theme);
  m_maxSeries->setPen(QPen(theme.accent(Theme::Accent::vermillion), 2));
  m_meanSeries->setPen(QPen(theme.accent(Theme::Accent::blue), 2, Qt::DashLine));
  if (event != nullptr) QWidget::changeEvent(event);
}

void SkewChart::takeFrame(const ShardFrame& frame) {
  if (m_frozen || (m_lastPointMs >= 0 && frame.elapsedMs - m_lastPointMs < 1000)) return;
  m_lastPointMs = frame.elapsedMs;
  const qreal t = static_cast<qreal>(frame.elapsedMs) / 1000.0;
  m_max.append({t, frame.maxRate});
  m_mean.append({t, frame.meanRate});
  while (!m_max.isEmpty() && m_max.constFirst().x() < t - kSeconds) {
    m_max.removeFirst();
    m_mean.removeFirst();
  }
  m_maxSeries->replace(m_max);
  m_meanSeries->replace(m_mean);
  m_x->setRange(std::max<qreal>(0, t - kSeconds), std::max<qreal>(10, t));
  qreal top = 1;
  for (const QPointF& p : m_max) top = std::max(top, p.y());
  m_y->setRange(0, top * 1.1);
}
