// SPDX-License-Identifier: MIT
// ShardsPanel: the sharded log at a glance — a line saying how it is sharded and how the load
// is spread (busiest, idlest, skew, records that could not be routed), and every shard
// (ShardMapView). The skew over time is a chart of its own (SkewChart).
//
// Threading: GUI thread only.
#pragma once

#include <QWidget>

class QLabel;
class ShardMapView;
class ShardSet;
struct ShardFrame;

class ShardsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit ShardsPanel(ShardSet* shards, QWidget* parent = nullptr);

  ShardMapView* map() const { return m_map; }
  QString summaryText() const;  // the header line as shown (plain text)
  void setFrozen(bool frozen);

 private:
  void showFrame(const ShardFrame& frame);

  ShardSet* m_shards;
  QLabel* m_summary;
  QLabel* m_refused;
  ShardMapView* m_map;
  bool m_frozen = false;
};
