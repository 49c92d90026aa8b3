// SPDX-License-Identifier: MIT
#include "lessons/highlight_overlay.hpp"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

#include <cmath>

#include "theme/theme.hpp"

HighlightOverlay::HighlightOverlay(QWidget* window) : QWidget(window) {
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setAttribute(Qt::WA_NoSystemBackground);
  setFocusPolicy(Qt::NoFocus);
  window->installEventFilter(this);
  setGeometry(window->rect());
  m_pulse.setInterval(40);
  connect(&m_pulse, &QTimer::timeout, this, qOverload<>(&QWidget::update));
  hide();
}

void HighlightOverlay::show(QWidget* target, std::function<QRectF()> part) {
  m_target = target;
  m_part = std::move(part);
  if (!target) {
    m_pulse.stop();
    hide();
    return;
  }
  m_clock.start();
  m_pulse.start();
  raise();
  QWidget::show();
  update();
}

QRect HighlightOverlay::ringRect() const {
  if (!m_target || !m_target->isVisible()) return {};
  QRectF r = m_part ? m_part() : QRectF();
  if (r.isEmpty()) r = m_target->rect();
  const QPoint origin = m_target->mapTo(parentWidget(), QPoint(0, 0));
  return r.toAlignedRect().translated(origin).adjusted(-4, -4, 4, 4).intersected(rect());
}

void HighlightOverlay::paintEvent(QPaintEvent*) {
  const QRect ring = ringRect();
  if (ring.isEmpty()) return;
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const Theme theme = Theme::of(palette());
  // A slow pulse: noticed from the back of a room, not distracting up close.
  const double phase = 0.5 + 0.5 * std::sin(static_cast<double>(m_clock.elapsed()) / 400.0);
  QColor color = theme.accent(Theme::Accent::vermillion);
  color.setAlphaF(static_cast<float>(0.55 + 0.45 * phase));
  p.setPen(QPen(color, 3 + 2 * phase));
  p.setBrush(Qt::NoBrush);
  p.drawRoundedRect(QRectF(ring).adjusted(1.5, 1.5, -1.5, -1.5), 8, 8);
}

bool HighlightOverlay::eventFilter(QObject* watched, QEvent* event) {
  if (watched == parentWidget() && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)) {
    setGeometry(parentWidget()->rect());
    raise();
  }
  return QWidget::eventFilter(watched, event);
}
