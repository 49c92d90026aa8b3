// SPDX-License-Identifier: MIT
// RoutingView: "same key → same shard, always", seen. The records just routed appear on the
// left as their key and travel along a line to their shard on the right; a key seen again takes
// the same line to the same shard. At high rates only the newest few per frame are drawn (the
// rest is counted in the corner): the picture stays readable at any rate.
//
// Driven by the ShardSet's frames (no timer of its own).
//
// Threading: GUI thread only.
#pragma once

#include <QString>
#include <QWidget>

#include <deque>

class ShardSet;
struct ShardFrame;

class RoutingView : public QWidget {
  Q_OBJECT

 public:
  static constexpr qint64 kFlightMs = 1200;  // how long a key takes to reach its shard
  static constexpr int kNewPerFrame = 1;     // routes started per frame, at most (~30 a second)
  static constexpr int kMaxFlights = 48;

  explicit RoutingView(ShardSet* shards, QWidget* parent = nullptr);

  struct Flight {
    QString key;
    int shard = 0;
    qint64 startMs = 0;
    int lane = 0;  // the row it starts from on the left
  };
  const std::deque<Flight>& flights() const { return m_flights; }
  quint64 routesNotDrawn() const { return m_notDrawn; }
  void setFrozen(bool frozen) { m_frozen = frozen; }

  QSize sizeHint() const override { return {420, 220}; }
  QSize minimumSizeHint() const override { return {240, 70}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void takeFrame(const ShardFrame& frame);
  qreal shardY(int shard, const QRectF& area) const;

  ShardSet* m_shards;
  std::deque<Flight> m_flights;
  // The router's records offered and refused at the last frame taken: the routes since are
  // the offered since minus the refused since (the router keeps only the newest routes).
  std::uint64_t m_lastOffered = 0;
  std::uint64_t m_lastRefused = 0;
  quint64 m_notDrawn = 0;
  qint64 m_nowMs = 0;
  int m_nextLane = 0;
  bool m_frozen = false;
};
