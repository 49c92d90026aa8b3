// SPDX-License-Identifier: MIT
#include "charts/chart_style.hpp"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QLegend>

#include "theme/theme.hpp"

void styleChart(QChartView* view, const Theme& theme) {
  QChart* chart = view->chart();
  view->setBackgroundBrush(theme.background);
  chart->setBackgroundBrush(theme.background);
  chart->setBackgroundPen(Qt::NoPen);
  chart->setBackgroundRoundness(0);
  chart->setPlotAreaBackgroundVisible(false);
  chart->setTitleBrush(theme.text);
  chart->legend()->setLabelColor(theme.text);
  chart->legend()->setBrush(Qt::NoBrush);
  chart->legend()->setPen(Qt::NoPen);
  const auto axes = chart->axes();
  for (QAbstractAxis* axis : axes) {
    axis->setLabelsColor(theme.text);
    axis->setTitleBrush(theme.text);
    axis->setLinePenColor(theme.frame);
    axis->setGridLineColor(theme.grid);
    axis->setMinorGridLineColor(theme.grid);
    axis->setShadesVisible(false);
  }
}
