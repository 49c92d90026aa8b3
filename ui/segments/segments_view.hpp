// SPDX-License-Identifier: MIT
// SegmentsView: the log as a picture — the history and the active segment side by side, each
// with its offset range and fill level, the consumers' positions marked on them, and the seal
// (the full active segment slides into the history's place) and the purge (the old history
// fades away) animated as they happen. Refreshed from a timer, so bursts cost one repaint.
//
// Threading: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include "segments/segment_geometry.hpp"

class LogSession;

class SegmentsView : public QWidget {
  Q_OBJECT

 public:
  explicit SegmentsView(LogSession* session, QWidget* parent = nullptr);

  const SegmentGeometry& geometry() const { return m_geometry; }
  int sealsSeen() const { return m_seals; }
  int purgesSeen() const { return m_purges; }
  void setFrozen(bool frozen) { m_frozen = frozen; }

  QSize sizeHint() const override { return {640, 220}; }
  QSize minimumSizeHint() const override { return {360, 160}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;  // tooltips that depend on where the mouse is

 private:
  void refresh();

  LogSession* m_session;
  QTimer m_timer;
  SegmentGeometry m_geometry;
  std::size_t m_segmentSize = 0;
  bool m_frozen = false;
  int m_seals = 0;
  int m_purges = 0;
  QElapsedTimer m_sinceSeal;   // drives the seal animation
  QElapsedTimer m_sincePurge;  // drives the purge fade-out
  memlog::Offset m_purgedFirst = -1, m_purgedLast = -1;
};
