// SPDX-License-Identifier: MIT
// ShardMapView: every shard of a sharded log at once, from the ShardSet's frames. Tens of
// shards are compact lanes — each shard's history and active segment with their fill, the seal
// glow and the purge fading, its write rate — and hundreds a heat-map: a cell per shard,
// coloured by how full it is (retained / the two segments' capacity), ringed when it seals or
// purges. 1024 shards are 1024 filled rectangles per frame: cheap, and readable by hovering
// (a tooltip per shard). Clicking a shard shows it in the segments picture and the table.
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

#include <memlog/source/consumer.hpp>

class ConsumerController;
class ShardSet;
struct ShardFrame;

class ShardMapView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxLanes = 64;      // more shards: the heat-map
  static constexpr int kMinLaneHeight = 9;  // ... or lanes thinner than this
  static constexpr qint64 kGlowMs = 700;    // how long a seal glows and a purge fades

  explicit ShardMapView(ShardSet* shards, QWidget* parent = nullptr);

  bool showsLanes() const;  // lanes (else the heat-map), for the current size
  // The shard drawn at `point` (widget coordinates), or -1.
  int shardAt(QPointF point) const;
  // Where shard `index` is drawn (its lane or cell).
  QRectF shardRect(int index) const;
  void setFrozen(bool frozen) { m_frozen = frozen; }
  // Marks the shards where a consumer lags or fell behind (with its state's marker and colour).
  void showConsumers(ConsumerController* consumers) { m_consumers = consumers; }
  // The worst state of any consumer on `shard` (live when none lags; stopped when none reads it).
  memlog::sim::ConsumerState consumerStateOn(int shard) const;

  QSize sizeHint() const override { return {520, 260}; }
  QSize minimumSizeHint() const override { return {240, 120}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;  // tooltips per shard

 private:
  QRectF area() const;  // where shards are drawn (below the legend)
  int columns() const;  // heat-map columns for the current size
  void paintLanes(QPainter& painter, const ShardFrame& frame);
  void paintHeatMap(QPainter& painter, const ShardFrame& frame);
  QString tooltip(int index) const;

  void paintConsumerTrouble(QPainter& painter);

  ShardSet* m_shards;
  ConsumerController* m_consumers = nullptr;
  bool m_frozen = false;
};
