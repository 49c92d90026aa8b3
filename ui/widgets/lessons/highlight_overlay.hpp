// SPDX-License-Identifier: MIT
// HighlightOverlay: a lesson points at what it talks about — a pulsing ring drawn over the
// window around a widget, or a part of one (a segment, a consumer's marker). It lets every
// mouse event through, follows the target as the layout moves, and hides when the target is
// hidden (a dock tabbed away) or gone.
//
// Threading: GUI thread only.
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

class HighlightOverlay : public QWidget {
  Q_OBJECT

 public:
  // Covers `window` (it follows its size).
  explicit HighlightOverlay(QWidget* window);

  // Rings `target` — the part `part()` returns in its coordinates, or all of it when `part` is
  // empty or returns an empty rect. nullptr: no highlight.
  void show(QWidget* target, std::function<QRectF()> part = {});
  void clear() { show(nullptr); }
  // Where the ring is, in window coordinates (empty when nothing is ringed).
  QRect ringRect() const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QPointer<QWidget> m_target;
  std::function<QRectF()> m_part;
  QTimer m_pulse;
  QElapsedTimer m_clock;
};
