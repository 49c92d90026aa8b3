// SPDX-License-Identifier: MIT
#include "segments/segments_view.hpp"

#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QStyleOptionFocusRect>
#include <QToolTip>

#include <algorithm>

#include "adapter/frame_clock.hpp"
#include "adapter/log_adapter.hpp"
#include "segments/segments_description.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kAnimationMs = 700;

QString number(qint64 n) { return QLocale().toString(n); }
QString bytes(std::size_t n) {
  return QLocale().formattedDataSize(static_cast<qint64>(n), 1, QLocale::DataSizeTraditionalFormat);
}
}  // namespace

SegmentsView::SegmentsView(LogAdapter* adapter, FrameClock* frames, QWidget* parent) : QWidget(parent) {
  setAttribute(Qt::WA_OpaquePaintEvent, false);
  setMouseTracking(true);
  // Reachable by Tab so that a screen reader reads what the picture shows (the description).
  setFocusPolicy(Qt::TabFocus);
  setAccessibleName(u"Segments picture"_s);
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
  connect(frames, &FrameClock::frame, this, &SegmentsView::showFrame);
  showFrame(frames->current());
}

void SegmentsView::showFrame(const Frame& frame) {
  if (m_frozen) return;
  m_geometry = SegmentGeometry::from(frame.stats);
  m_segmentSize = frame.stats.segment_size;
  m_consumers = frame.consumers;
  // The picture in words for screen readers: set (and announced) only when the words change.
  if (QString text = describeSegments(m_geometry, m_segmentSize, m_consumers); text != accessibleDescription())
    setAccessibleDescription(text);
  update();
}

SegmentsView::Layout SegmentsView::layout() const {
  // A purged zone on the left, then history and active, each segmentWidth wide.
  Layout l;
  l.margin = 16;
  l.purgedZone = std::min(90.0, width() * 0.14);
  l.segmentWidth = (width() - 2 * l.margin - l.purgedZone - 12) / 2;
  l.top = 34;
  l.barHeight = std::max(44.0, height() - l.top - 70.0);
  l.x0 = l.margin + l.purgedZone;
  return l;
}

double SegmentsView::Layout::xAt(double segments) const {
  return x0 + segments * (segmentWidth + 12 * std::clamp(segments - 0.999, 0.0, 1.0));
}

QRectF SegmentsView::partRect(const QString& part) const {
  const Layout l = layout();
  if (part == u"history"_s) return {l.xAt(0), l.top, l.segmentWidth, l.barHeight};
  if (part == u"active"_s) return {l.xAt(1), l.top, l.segmentWidth, l.barHeight};
  if (part == u"purged"_s) return {l.margin, l.top, l.purgedZone - 8, l.barHeight};
  for (const ConsumerMark& mark : consumerMarks(l))
    if (u"consumer:"_s + QString::fromStdString(mark.name) == part) return mark.bounds;
  return {};
}

std::vector<SegmentsView::ConsumerMark> SegmentsView::consumerMarks(const Layout& l) const {
  std::vector<ConsumerMark> marks;
  const QFontMetricsF metrics(font());
  const double step = std::max(16.0, metrics.height());  // a lane per text line
  int lane = 0;
  for (const auto& c : m_consumers) {
    // A sharded log's consumer is drawn on the shard shown if it reads it, in its state there.
    if (!c.shards.empty() && c.position < 0) continue;
    ConsumerMark mark;
    mark.name = c.name;
    mark.state = c.shards.empty() ? c.state : c.position_state;
    const double mx = m_geometry.markerX(c.position);
    const double x = mx < 0   ? l.margin + (l.purgedZone - 8) / 2
                     : mx < 1 ? l.xAt(0) + mx * l.segmentWidth
                              : l.xAt(1) + (mx - 1) * l.segmentWidth;
    const double y = l.top + l.barHeight + 8 + (lane % 3) * step;
    mark.size = 12 * m_markerScale;
    mark.center = {x, y + mark.size / 2 - 1};
    mark.text = QString::fromStdString(c.name);
    if (mark.state != memlog::sim::ConsumerState::live) mark.text += u" — "_s + Theme::stateWord(mark.state);
    const double textWidth = metrics.horizontalAdvance(mark.text);
    // The words go right of the marker; at the right edge (a consumer caught up) to its left,
    // so they are never cut.
    double textX = x + mark.size / 2 + 3;
    if (textX + textWidth > width() - 4) textX = std::max(2.0, x - mark.size / 2 - 3 - textWidth);
    mark.textAt = {textX, y + mark.size / 2 + 4};
    const QRectF markerRect(x - mark.size / 2, y - 2, mark.size, std::max(mark.size, step) + 4);
    mark.bounds = markerRect.united(QRectF(textX, y - 2, textWidth, step + 4)).adjusted(-4, 0, 4, 0);
    marks.push_back(std::move(mark));
    ++lane;
  }
  return marks;
}

void SegmentsView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const Theme theme = Theme::of(palette());
  p.fillRect(rect(), theme.background);
  const SegmentGeometry& g = m_geometry;

  const Layout l = layout();
  const double margin = l.margin, purgedZone = l.purgedZone, segmentWidth = l.segmentWidth, top = l.top,
               barHeight = l.barHeight;
  auto xAt = [&l](double segments) { return l.xAt(segments); };

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
    p.setPen(QPen(theme.frame, 1.5));
    p.setBrush(palette().window());
    p.drawRoundedRect(frame, 6, 6);
    if (exists && fill > 0) {
      QRectF filled = frame.adjusted(2, 2, -2, -2);
      filled.setWidth(filled.width() * std::clamp(fill, 0.0, 1.0));
      p.setPen(Qt::NoPen);
      p.setBrush(color);
      p.drawRoundedRect(filled, 4, 4);
    }
    p.setPen(theme.text);
    p.setFont(bold);
    p.drawText(QRectF(left, 6, segmentWidth, 24), Qt::AlignLeft | Qt::AlignVCenter, title);
    p.setFont(base);
    const QString range = exists ? u"offsets %1 – %2"_s.arg(number(first), number(last)) : u"(none yet)"_s;
    QString detail = range;
    if (exists)
      detail += u"\n%1 of %2 records · %3 · %4% full"_s
                    .arg(number(qRound64(fill * static_cast<double>(m_segmentSize))),
                         number(static_cast<qint64>(m_segmentSize)), bytes(segmentBytes))
                    .arg(qRound(fill * 100));
    p.drawText(QRectF(left + 8, top, segmentWidth - 16, barHeight), Qt::AlignCenter | Qt::TextWordWrap,
               detail);  // narrow: wraps, not clipped
  };

  // The purged zone, with the last purge fading out in it.
  const QRectF purged(margin, top, purgedZone - 8, barHeight);
  p.setPen(QPen(theme.frame, 1, Qt::DashLine));
  p.setBrush(Qt::NoBrush);
  p.drawRoundedRect(purged, 6, 6);
  p.setPen(theme.mutedText);
  p.drawText(QRectF(margin, 6, purgedZone, 24), Qt::AlignLeft | Qt::AlignVCenter, u"Purged"_s);
  if (m_sincePurge.isValid() && m_sincePurge.elapsed() < kAnimationMs * 2) {
    const double fade = 1.0 - static_cast<double>(m_sincePurge.elapsed()) / (kAnimationMs * 2);
    QColor ghost = theme.historyFill;
    ghost.setAlphaF(static_cast<float>(0.7 * fade));
    p.setPen(Qt::NoPen);
    p.setBrush(ghost);
    p.drawRoundedRect(purged.adjusted(3, 3, -3, -3), 4, 4);
    p.setPen(theme.text);
    p.drawText(purged, Qt::AlignCenter | Qt::TextWordWrap, u"%1–%2"_s.arg(number(m_purgedFirst), number(m_purgedLast)));
  }

  if (sealGlow > 0) {
    QColor glow = theme.sealGlow;
    glow.setAlphaF(static_cast<float>(sealGlow));
    p.setPen(QPen(glow, 6));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(xAt(0), top, segmentWidth, barHeight).adjusted(-3, -3, 3, 3), 8, 8);
    QColor words = theme.sealText;  // the ring says it in colour, these words say it to everyone
    words.setAlphaF(static_cast<float>(std::max(0.6, sealGlow)));
    p.setPen(words);
    const double after = QFontMetricsF(bold).horizontalAdvance(u"History (sealed)"_s) + 14;
    // Only where it fits beside the title: on a narrow picture it would run into "Active".
    if (QFontMetricsF(font()).horizontalAdvance(u"just sealed"_s) <= segmentWidth - after)
      p.drawText(QRectF(xAt(0) + after, 6, segmentWidth - after, 24), Qt::AlignLeft | Qt::AlignVCenter,
                 u"just sealed"_s);
  }
  drawSegment(xAt(0), u"History (sealed)"_s, g.historyFirst, g.historyLast, g.historyFill, g.historyBytes,
              theme.historyFill, g.hasHistory);
  drawSegment(xAt(1), u"Active"_s, g.activeFirst, g.activeLast, g.activeFill, g.activeBytes, theme.activeFill, true);

  // The write position: where the next record goes.
  const double writeX = xAt(1) + 2 + (segmentWidth - 4) * g.activeFill;
  p.setPen(QPen(theme.text, 2));
  p.drawLine(QPointF(writeX, top - 4), QPointF(writeX, top + barHeight + 4));

  // Consumers: a marker under the bar at the offset each reads next, its shape and its words
  // saying the state as well as its colour (triangle live, diamond lagging, cross overtaken,
  // hollow square stopped).
  for (const ConsumerMark& mark : consumerMarks(l)) {
    theme.drawStateMarker(p, mark.center, mark.size, mark.state);
    p.setPen(theme.state(mark.state));
    p.drawText(mark.textAt, mark.text);
  }

  if (hasFocus()) {  // reached by Tab: say so, as any focused widget does
    QStyleOptionFocusRect option;
    option.initFrom(this);
    option.rect = rect().adjusted(1, 1, -1, -1);
    style()->drawPrimitive(QStyle::PE_FrameFocusRect, &option, &p, this);
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
