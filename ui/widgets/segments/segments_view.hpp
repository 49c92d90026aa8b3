// SPDX-License-Identifier: MIT
// SegmentsView: the log as a picture — the history and the active segment side by side, each
// with its offset range and fill level, the consumers' positions marked on them, and the seal
// (the full active segment slides into the history's place) and the purge (the old history
// fades away) animated as they happen. Drawn from the session's frames (FrameClock): the
// segments and the consumer markers from one sample, and bursts cost one repaint per frame.
//
// Threading: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include <vector>

#include <memlog/source/consumer.hpp>

#include "segments/segment_geometry.hpp"

class FrameClock;
class LogAdapter;
struct Frame;

class SegmentsView : public QWidget {
  Q_OBJECT

 public:
  // Seals and purges come from the adapter; the picture is redrawn from each frame of `frames`.
  SegmentsView(LogAdapter* adapter, FrameClock* frames, QWidget* parent = nullptr);

  const SegmentGeometry& geometry() const { return m_geometry; }
  int sealsSeen() const { return m_seals; }
  int purgesSeen() const { return m_purges; }
  void setFrozen(bool frozen) { m_frozen = frozen; }
  // Consumer markers this many times their size (presenter mode: seen from the back of a room).
  void setMarkerScale(double scale) {
    m_markerScale = scale;
    update();
  }
  // Where a part is drawn (for a lesson's highlight): "history", "active", "purged", or
  // "consumer:NAME" (its marker and label); empty when there is no such part now.
  QRectF partRect(const QString& part) const;

  QSize sizeHint() const override { return {640, 220}; }
  QSize minimumSizeHint() const override { return {360, 120}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;  // tooltips that depend on where the mouse is

 private:
  struct Layout {
    double margin, purgedZone, segmentWidth, top, barHeight, x0;
    double xAt(double segments) const;  // the left edge of history (0) and active (1)
  };
  Layout layout() const;
  // A consumer's marker and its words, where paintEvent draws them and partRect points.
  struct ConsumerMark {
    std::string name;
    memlog::sim::ConsumerState state;
    QPointF center;   // the marker's
    double size = 0;  // the marker's
    QString text;
    QPointF textAt;  // the baseline's left end: right of the marker, or left of it at the right edge
    QRectF bounds;   // marker and words
  };
  std::vector<ConsumerMark> consumerMarks(const Layout& l) const;
  void showFrame(const Frame& frame);

  SegmentGeometry m_geometry;
  std::vector<memlog::sim::ConsumerSnapshot> m_consumers;  // of the frame shown
  std::size_t m_segmentSize = 0;
  bool m_frozen = false;
  double m_markerScale = 1.0;
  int m_seals = 0;
  int m_purges = 0;
  QElapsedTimer m_sinceSeal;   // drives the seal animation
  QElapsedTimer m_sincePurge;  // drives the purge fade-out
  memlog::Offset m_purgedFirst = -1, m_purgedLast = -1;
};
