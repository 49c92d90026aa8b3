// SPDX-License-Identifier: MIT
#include "shards/shard_map_view.hpp"

#include <QHelpEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "controllers/consumer_controller.hpp"
#include "shards/shard_set.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {
constexpr qreal kLegend = 18;  // the legend line above the shards
constexpr qreal kLabel = 44;   // lanes: "#123" on the left
constexpr qreal kRate = 64;    // lanes: "1,234/s" on the right

// 1 when `at` has just happened, fading to 0 over ShardMapView::kGlowMs; 0 when it never did.
qreal glow(qint64 now, qint64 at) {
  if (at < 0 || now < at) return 0;
  const qint64 age = now - at;
  return age >= ShardMapView::kGlowMs ? 0 : 1.0 - static_cast<qreal>(age) / ShardMapView::kGlowMs;
}

QColor mix(const QColor& a, const QColor& b, qreal t) {
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}
}  // namespace

ShardMapView::ShardMapView(ShardSet* shards, QWidget* parent) : QWidget(parent), m_shards(shards) {
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setCursor(Qt::PointingHandCursor);
  setToolTip(u"Every shard of the log. Click one to show it in the segments picture and the table."_s);
  connect(shards, &ShardSet::sampled, this, [this] {
    if (!m_frozen) update();
  });
  connect(shards, &ShardSet::focusChanged, this, qOverload<>(&QWidget::update));
}

QRectF ShardMapView::area() const { return QRectF(rect()).adjusted(4, kLegend + 4, -4, -4); }

bool ShardMapView::showsLanes() const {
  const int n = m_shards->count();
  return n <= kMaxLanes && area().height() / n >= kMinLaneHeight;
}

int ShardMapView::columns() const {
  // Cells as square as the area allows: cols / rows ≈ width / height.
  const QRectF a = area();
  const int n = m_shards->count();
  const qreal aspect = a.width() / std::max<qreal>(1, a.height());
  return std::clamp(static_cast<int>(std::ceil(std::sqrt(n * aspect))), 1, n);
}

QRectF ShardMapView::shardRect(int index) const {
  const QRectF a = area();
  const int n = m_shards->count();
  if (showsLanes()) {
    const qreal h = a.height() / n;
    return {a.left(), a.top() + index * h, a.width(), h};
  }
  const int cols = columns();
  const int rows = (n + cols - 1) / cols;
  const qreal w = a.width() / cols, h = a.height() / rows;
  const int row = index / cols;
  const int column = index % cols;
  return {a.left() + column * w, a.top() + row * h, w, h};
}

int ShardMapView::shardAt(QPointF point) const {
  const QRectF a = area();
  if (!a.contains(point)) return -1;
  const int n = m_shards->count();
  int index;
  if (showsLanes()) {
    index = static_cast<int>((point.y() - a.top()) / (a.height() / n));
  } else {
    const int cols = columns();
    const int rows = (n + cols - 1) / cols;
    const int col = static_cast<int>((point.x() - a.left()) / (a.width() / cols));
    const int row = static_cast<int>((point.y() - a.top()) / (a.height() / rows));
    index = row * cols + std::min(col, cols - 1);
  }
  return index >= 0 && index < n ? index : -1;
}

void ShardMapView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const Theme theme = Theme::of(palette());
  painter.fillRect(rect(), theme.background);
  const ShardFrame& frame = m_shards->current();
  if (frame.shards.empty()) return;
  painter.setPen(theme.mutedText);
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  painter.setFont(small);
  const QString legend = showsLanes()
                             ? u"each lane: history | active segment, filled as they are; glow = sealed, red = purged"_s
                             : u"colour = retained / capacity of 2 segments; ring: blue = sealed, red = purged"_s;
  painter.drawText(QRectF(4, 2, width() - 8, kLegend), Qt::AlignLeft | Qt::AlignVCenter, legend);
  if (showsLanes())
    paintLanes(painter, frame);
  else
    paintHeatMap(painter, frame);
  paintConsumerTrouble(painter);
}

memlog::sim::ConsumerState ShardMapView::consumerStateOn(int shard) const {
  using memlog::sim::ConsumerState;
  ConsumerState worst = ConsumerState::stopped;
  if (!m_consumers) return worst;
  const auto rank = [](ConsumerState s) {
    return s == ConsumerState::fell_behind ? 3 : s == ConsumerState::lagging ? 2 : s == ConsumerState::live ? 1 : 0;
  };
  for (const auto& c : m_consumers->snapshots())
    for (const auto& p : c.shards)
      if (static_cast<int>(p.shard) == shard && rank(p.state) > rank(worst)) worst = p.state;
  return worst;
}

void ShardMapView::paintConsumerTrouble(QPainter& painter) {
  using memlog::sim::ConsumerState;
  if (!m_consumers) return;
  // One pass over the consumers' shards: the worst state per shard.
  std::vector<int> worst(static_cast<std::size_t>(m_shards->count()), 0);
  for (const auto& c : m_consumers->snapshots())
    for (const auto& p : c.shards) {
      const int rank = p.state == ConsumerState::fell_behind ? 2 : p.state == ConsumerState::lagging ? 1 : 0;
      if (p.shard < worst.size()) worst[p.shard] = std::max(worst[p.shard], rank);
    }
  const Theme theme = Theme::of(palette());
  const bool lanes = showsLanes();
  painter.setRenderHint(QPainter::Antialiasing);
  for (int i = 0; i < m_shards->count(); ++i) {
    const int rank = worst[static_cast<std::size_t>(i)];
    if (rank == 0) continue;
    const ConsumerState state = rank == 2 ? ConsumerState::fell_behind : ConsumerState::lagging;
    const QRectF r = shardRect(i);
    const qreal size = std::clamp(std::min(r.height(), r.width()) * 0.7, 6.0, 12.0);
    // Lanes: beside the label; cells: in the top-left corner.
    const QPointF at =
        lanes ? QPointF(r.left() + 8, r.center().y()) : QPointF(r.left() + size / 2 + 1, r.top() + size / 2 + 1);
    theme.drawStateMarker(painter, at, size, state);
  }
  painter.setRenderHint(QPainter::Antialiasing, false);
}

void ShardMapView::paintLanes(QPainter& painter, const ShardFrame& frame) {
  const Theme theme = Theme::of(palette());
  const qreal segment = static_cast<qreal>(std::max<std::size_t>(1, frame.shards[0].stats.segment_size));
  const QLocale locale;
  for (int i = 0; i < m_shards->count(); ++i) {
    const ShardSample& s = frame.shards[static_cast<std::size_t>(i)];
    const QRectF lane = shardRect(i);
    const qreal pad = lane.height() > 14 ? 2 : 1;
    if (i == m_shards->focused()) painter.fillRect(lane, mix(theme.background, theme.info, 0.15));
    painter.setPen(i == m_shards->focused() ? theme.text : theme.mutedText);
    painter.drawText(QRectF(lane.left(), lane.top(), kLabel - 4, lane.height()), Qt::AlignRight | Qt::AlignVCenter,
                     u"#%1"_s.arg(i));
    painter.drawText(QRectF(lane.right() - kRate, lane.top(), kRate, lane.height()), Qt::AlignRight | Qt::AlignVCenter,
                     u"%1/s"_s.arg(locale.toString(qRound64(s.rate))));
    const qreal barsLeft = lane.left() + kLabel;
    const qreal barWidth = (lane.width() - kLabel - kRate - 8) / 2;
    const QRectF history(barsLeft, lane.top() + pad, barWidth - 2, lane.height() - 2 * pad);
    const QRectF active(barsLeft + barWidth, lane.top() + pad, barWidth - 2, lane.height() - 2 * pad);
    painter.setPen(theme.frame);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(history);
    painter.drawRect(active);
    const qreal historyFill = static_cast<qreal>(s.stats.history_records) / segment;
    const qreal activeFill = static_cast<qreal>(s.stats.active_records) / segment;
    const qreal purge = glow(frame.elapsedMs, s.purgedAtMs);
    painter.fillRect(
        QRectF(history.left(), history.top(), history.width() * std::min<qreal>(1, historyFill), history.height()),
        mix(theme.historyFill, theme.error, purge * 0.8));
    painter.fillRect(
        QRectF(active.left(), active.top(), active.width() * std::min<qreal>(1, activeFill), active.height()),
        theme.activeFill);
    if (const qreal seal = glow(frame.elapsedMs, s.sealedAtMs); seal > 0) {
      QColor ring = theme.sealGlow;
      ring.setAlphaF(static_cast<float>(seal));
      painter.setPen(QPen(ring, 2));
      painter.drawRect(history.adjusted(-1, -1, 1, 1));
    }
  }
}

void ShardMapView::paintHeatMap(QPainter& painter, const ShardFrame& frame) {
  const Theme theme = Theme::of(palette());
  const qreal capacity = 2.0 * static_cast<qreal>(std::max<std::size_t>(1, frame.shards[0].stats.segment_size));
  const QColor empty = mix(theme.background, theme.frame, 0.25);
  const QColor full = theme.accent(Theme::Accent::orange);
  const int n = m_shards->count();
  const bool numbered = shardRect(0).width() >= 26 && shardRect(0).height() >= 14;
  painter.setPen(Qt::NoPen);
  for (int i = 0; i < n; ++i) {
    const ShardSample& s = frame.shards[static_cast<std::size_t>(i)];
    const QRectF cell = shardRect(i).adjusted(0.5, 0.5, -0.5, -0.5);
    const qreal fill = static_cast<qreal>(s.retained()) / capacity;
    painter.fillRect(cell, s.retained() == 0 ? empty : mix(mix(theme.background, full, 0.25), full, fill));
  }
  // Rings after the cells, so a neighbour's fill never covers them.
  painter.setBrush(Qt::NoBrush);
  for (int i = 0; i < n; ++i) {
    const ShardSample& s = frame.shards[static_cast<std::size_t>(i)];
    const QRectF cell = shardRect(i).adjusted(1, 1, -1, -1);
    const qreal purge = glow(frame.elapsedMs, s.purgedAtMs);
    const qreal seal = glow(frame.elapsedMs, s.sealedAtMs);
    if (purge > 0 || seal > 0) {
      QColor ring = purge > 0 ? theme.error : theme.sealGlow;
      ring.setAlphaF(static_cast<float>(std::max(purge, seal)));
      painter.setPen(QPen(ring, 2));
      painter.drawRect(cell);
    }
    if (numbered) {
      const qreal fill = static_cast<qreal>(s.retained()) / capacity;
      painter.setPen(fill > 0.6 ? theme.background : theme.mutedText);
      painter.drawText(cell, Qt::AlignCenter, QString::number(i));
    }
  }
  const QRectF focused = shardRect(m_shards->focused()).adjusted(-1, -1, 1, 1);
  painter.setPen(QPen(theme.text, 2));
  painter.drawRect(focused);
}

QString ShardMapView::tooltip(int index) const {
  const ShardFrame& frame = m_shards->current();
  if (index < 0 || static_cast<std::size_t>(index) >= frame.shards.size()) return {};
  const ShardSample& s = frame.shards[static_cast<std::size_t>(index)];
  const QLocale locale;
  const QString range = s.stats.range.empty() ? u"empty"_s
                                              : u"offsets %1–%2"_s.arg(locale.toString(s.stats.range.earliest),
                                                                       locale.toString(s.stats.range.latest));
  QString consumers;
  if (const auto state = consumerStateOn(index);
      state == memlog::sim::ConsumerState::lagging || state == memlog::sim::ConsumerState::fell_behind)
    consumers = u"<br>a consumer is %1 here"_s.arg(Theme::stateWord(state));
  return u"<b>Shard %1</b>%2<br>%3 · retained %4 of %5<br>%6 records/s · %7 written · %8 seals · %9 purges"_s.arg(index)
             .arg(index == m_shards->focused() ? u" (shown)"_s : QString())
             .arg(range)
             .arg(locale.toString(s.retained()))
             .arg(locale.toString(2 * static_cast<qulonglong>(s.stats.segment_size)))
             .arg(locale.toString(qRound64(s.rate)))
             .arg(locale.toString(static_cast<qulonglong>(s.stats.records_written)))
             .arg(locale.toString(static_cast<qulonglong>(s.stats.segments_sealed)))
             .arg(locale.toString(static_cast<qulonglong>(s.stats.purges))) +
         consumers;
}

void ShardMapView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  if (const int shard = shardAt(event->position()); shard >= 0) m_shards->requestFocus(shard);
}

bool ShardMapView::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int shard = shardAt(help->pos());
    if (shard >= 0)
      QToolTip::showText(help->globalPos(), tooltip(shard), this, shardRect(shard).toRect());
    else
      QToolTip::showText(help->globalPos(), toolTip(), this);
    return true;
  }
  return QWidget::event(event);
}
