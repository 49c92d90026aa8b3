// SPDX-License-Identifier: MIT
#include "segments/segments_view.hpp"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>

#include "adapter/log_session.hpp"

using namespace Qt::StringLiterals;

namespace {
constexpr int kAnimationMs = 700;

QString number(qint64 n) { return QLocale().toString(n); }
QString bytes(std::size_t n) {
  return QLocale().formattedDataSize(static_cast<qint64>(n), 1, QLocale::DataSizeTraditionalFormat);
}

const QColor kHistory(0x5b, 0x8d, 0xc9);
const QColor kActive(0x4c, 0xaf, 0x50);
const QColor kFrame(0x55, 0x5f, 0x6b);
const QColor kFellBehind(0xd3, 0x2f, 0x2f);
const QColor kLagging(0xf5, 0x9e, 0x0b);
const QColor kLive(0x2e, 0x7d, 0x32);
}  // namespace

SegmentsView::SegmentsView(LogSession* session, QWidget* parent) : QWidget(parent), m_session(session) {
  setAttribute(Qt::WA_OpaquePaintEvent, false);
  setMouseTracking(true);
  LogAdapter* adapter = session->adapter();
  connect(adapter, &LogAdapter::sealed, this, [this] {
    ++m_seals;
    m_sinceSeal.start();
  });
  connect(adapter, &LogAdapter::purged, this, [this](qint64 first, qint64 last) {
    ++m_purges;
    m_purgedFirst = first;
    m_purgedLast = last;
    m_sincePurge.start();
  });
  connect(adapter, &LogAdapter::logReplaced, this, [this] {
    m_sinceSeal.invalidate();
    m_sincePurge.invalidate();
  });
  // Every frame: the log and the consumers as sampled together, and the animations' next step.
  connect(session->frames(), &FrameClock::frame, this, &SegmentsView::showFrame);
  showFrame(session->frames()->current());
}

void SegmentsView::showFrame(const Frame& frame) {
  if (m_frozen) return;
  m_geometry = SegmentGeometry::from(frame.stats);
  m_segmentSize = frame.stats.segment_size;
  m_consumers = frame.consumers;
  update();
}

void SegmentsView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().base());
  const SegmentGeometry& g = m_geometry;

  // Layout: a purged zone on the left, then history and active, each segmentWidth wide.
  const double margin = 16;
  const double purgedZone = std::min(90.0, width() * 0.14);
  const double segmentWidth = (width() - 2 * margin - purgedZone - 12) / 2;
  const double top = 34;
  const double barHeight = std::max(44.0, height() - top - 70.0);
  const double x0 = margin + purgedZone;
  auto xAt = [&](double segments) {
    return x0 + segments * (segmentWidth + 12 * std::clamp(segments - 0.999, 0.0, 1.0));
  };

  const QFont base = font();
  QFont bold = base;
  bold.setBold(true);

  // The seal: the history that was just the active segment glows, fading out.
  const double sealGlow = m_sinceSeal.isValid() && m_sinceSeal.elapsed() < kAnimationMs
                              ? 1.0 - static_cast<double>(m_sinceSeal.elapsed()) / kAnimationMs
                              : 0.0;

  auto drawSegment = [&](double left, const QString& title, memlog::Offset first, memlog::Offset last, double fill,
                         std::size_t segmentBytes, const QColor& color, bool exists) {
    const QRectF frame(left, top, segmentWidth, barHeight);
    p.setPen(QPen(kFrame, 1.5));
    p.setBrush(palette().window());
    p.drawRoundedRect(frame, 6, 6);
    if (exists && fill > 0) {
      QRectF filled = frame.adjusted(2, 2, -2, -2);
      filled.setWidth(filled.width() * std::clamp(fill, 0.0, 1.0));
      p.setPen(Qt::NoPen);
      p.setBrush(color);
      p.drawRoundedRect(filled, 4, 4);
    }
    p.setPen(palette().text().color());
    p.setFont(bold);
    p.drawText(QRectF(left, 6, segmentWidth, 24), Qt::AlignLeft | Qt::AlignVCenter, title);
    p.setFont(base);
    const QString range = exists ? u"offsets %1 – %2"_s.arg(number(first), number(last)) : u"(none yet)"_s;
    QString detail = range;
    if (exists)
      detail += u"\n%1 of %2 records · %3 · %4% full"_s
                    .arg(number(static_cast<qint64>(fill * m_segmentSize + 0.5)),
                         number(static_cast<qint64>(m_segmentSize)), bytes(segmentBytes))
                    .arg(qRound(fill * 100));
    p.drawText(QRectF(left + 8, top, segmentWidth - 16, barHeight), Qt::AlignCenter, detail);
  };

  // The purged zone, with the last purge fading out in it.
  const QRectF purged(margin, top, purgedZone - 8, barHeight);
  p.setPen(QPen(kFrame, 1, Qt::DashLine));
  p.setBrush(Qt::NoBrush);
  p.drawRoundedRect(purged, 6, 6);
  p.setPen(palette().placeholderText().color());
  p.drawText(QRectF(margin, 6, purgedZone, 24), Qt::AlignLeft | Qt::AlignVCenter, u"Purged"_s);
  if (m_sincePurge.isValid() && m_sincePurge.elapsed() < kAnimationMs * 2) {
    const double fade = 1.0 - static_cast<double>(m_sincePurge.elapsed()) / (kAnimationMs * 2);
    QColor ghost = kHistory;
    ghost.setAlphaF(0.7 * fade);
    p.setPen(Qt::NoPen);
    p.setBrush(ghost);
    p.drawRoundedRect(purged.adjusted(3, 3, -3, -3), 4, 4);
    p.setPen(palette().text().color());
    p.drawText(purged, Qt::AlignCenter | Qt::TextWordWrap, u"%1–%2"_s.arg(number(m_purgedFirst), number(m_purgedLast)));
  }

  if (sealGlow > 0) {
    QColor glow(0xff, 0xc1, 0x07);
    glow.setAlphaF(sealGlow);
    p.setPen(QPen(glow, 6));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(xAt(0), top, segmentWidth, barHeight).adjusted(-3, -3, 3, 3), 8, 8);
    p.setPen(glow.darker(150));
    const double after = QFontMetricsF(bold).horizontalAdvance(u"History (sealed)"_s) + 14;
    p.drawText(QRectF(xAt(0) + after, 6, segmentWidth - after, 24), Qt::AlignLeft | Qt::AlignVCenter, u"just sealed"_s);
  }
  drawSegment(xAt(0), u"History (sealed)"_s, g.historyFirst, g.historyLast, g.historyFill, g.historyBytes, kHistory,
              g.hasHistory);
  drawSegment(xAt(1), u"Active"_s, g.activeFirst, g.activeLast, g.activeFill, g.activeBytes, kActive, true);

  // The write position: where the next record goes.
  const double writeX = xAt(1) + 2 + (segmentWidth - 4) * g.activeFill;
  p.setPen(QPen(palette().text().color(), 2));
  p.drawLine(QPointF(writeX, top - 4), QPointF(writeX, top + barHeight + 4));

  // Consumers: a triangle under the bar at the offset each reads next.
  int lane = 0;
  for (const auto& c : m_consumers) {
    const double mx = g.markerX(c.position);
    const double x = mx < 0   ? margin + (purgedZone - 8) / 2
                     : mx < 1 ? xAt(0) + mx * segmentWidth
                              : xAt(1) + (mx - 1) * segmentWidth;
    const QColor color = c.state == memlog::sim::ConsumerState::fell_behind ? kFellBehind
                         : c.state == memlog::sim::ConsumerState::lagging   ? kLagging
                         : c.state == memlog::sim::ConsumerState::stopped   ? palette().placeholderText().color()
                                                                            : kLive;
    const double y = top + barHeight + 8 + (lane % 3) * 16;
    QPainterPath triangle;
    triangle.moveTo(x, y);
    triangle.lineTo(x - 6, y + 10);
    triangle.lineTo(x + 6, y + 10);
    triangle.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPath(triangle);
    p.setPen(color.darker(130));
    QString label = QString::fromStdString(c.name);
    if (c.state == memlog::sim::ConsumerState::fell_behind) label += u" — overtaken by the purge"_s;
    p.drawText(QPointF(x + 9, y + 10), label);
    ++lane;
  }
}

bool SegmentsView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const double x = help->pos().x();
    const double third = width() / 7.0;
    QString tip;
    if (x < third)
      tip =
          u"Purged records: when the active segment fills up, it is sealed and the old history is "
          "dropped whole. Reading a purged offset gives out_of_range; a consumer still there has fallen behind."_s;
    else if (x < width() / 2.0 + third / 2)
      tip =
          u"The history segment: the last sealed segment, read-only, kept until the next seal purges it. "
          "With the active segment, the log retains at most 2 × segment size records."_s;
    else
      tip =
          u"The active segment: new records are appended here, each with the next offset. When it is full, "
          "the next write seals it (it becomes the history) and starts a new one."_s;
    QToolTip::showText(help->globalPos(), tip, this);
    return true;
  }
  return QWidget::event(event);
}
