// SPDX-License-Identifier: MIT
// SkewChart: the load on the busiest shard next to the mean load over the last two minutes —
// the gap between the two lines is the skew (a hot key makes it wide; uniform keys keep it
// narrow). One point a second, each series replaced whole (never point by point).
//
// Threading: GUI thread only.
#pragma once

#include <QList>
#include <QPointF>
#include <QWidget>

class QChartView;
class QLineSeries;
class QValueAxis;
class ShardSet;
struct ShardFrame;

class SkewChart : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kSeconds = 120;

  explicit SkewChart(ShardSet* shards, QWidget* parent = nullptr);

  const QList<QPointF>& maxPoints() const { return m_max; }
  const QList<QPointF>& meanPoints() const { return m_mean; }
  void setFrozen(bool frozen) { m_frozen = frozen; }

 protected:
  void changeEvent(QEvent* event) override;  // follows palette changes

 private:
  void takeFrame(const ShardFrame& frame);

  QChartView* m_view;
  QLineSeries* m_maxSeries;
  QLineSeries* m_meanSeries;
  QValueAxis* m_x;
  QValueAxis* m_y;
  QList<QPointF> m_max, m_mean;
  qint64 m_lastPointMs = -1;
  bool m_frozen = false;
};
