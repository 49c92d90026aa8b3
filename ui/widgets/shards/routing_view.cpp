// SPDX-License-Identifier: MIT
#include "shards/routing_view.hpp"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <ranges>
#include <vector>

#include "shards/shard_set.hpp"
#include "theme/theme.hpp"

using namespace Qt::StringLiterals;

namespace {
constexpr int kLanes = 8;           // rows keys start from
constexpr qreal kKeyColumn = 110;   // the keys' column on the left
constexpr qreal kShardColumn = 64;  // the shards' column on the right
}  // namespace

RoutingView::RoutingView(ShardSet* shards, QWidget* parent) : QWidget(parent), m_shards(shards) {
  setAttribute(Qt::WA_OpaquePaintEvent);
  setToolTip(
      u"Records as they are routed: each key travels to its shard — the same key always to the same "
      u"shard (the sharder hashes the key, not the record)."_s);
  // Routes before the view existed are neither drawn nor counted.
  const memlog::shard::RouterCounters counters = shards->router()->counters();
  m_lastOffered = counters.offered;
  m_lastRefused = counters.refused;
  connect(shards, &ShardSet::sampled, this, &RoutingView::takeFrame);
}

void RoutingView::takeFrame(const ShardFrame& frame) {
  if (m_frozen) return;
  m_nowMs = frame.elapsedMs;
  // The frame's counters bound what is taken: the records numbered up to frame.router.offered,
  // of which the ones not refused were routed — counted even when the router no longer keeps
  // them (gaps in the numbers are refusals, or routes pushed out of its ring).
  const std::uint64_t offered = frame.router.offered;
  if (offered > m_lastOffered) {
    std::vector<memlog::shard::RouteEvent> routes = m_shards->router()->recent_since(m_lastOffered);
    std::erase_if(routes, [offered](const memlog::shard::RouteEvent& r) { return r.number > offered; });
    const std::uint64_t since = offered - m_lastOffered;
    const std::uint64_t routed = since - std::min(since, frame.router.refused - m_lastRefused);
    const std::size_t drawn = std::min<std::size_t>(routes.size(), kNewPerFrame);
    m_notDrawn += routed > drawn ? routed - drawn : 0;
    for (std::size_t i = routes.size() - drawn; i < routes.size(); ++i) {
      m_flights.push_back(Flight{QString::fromStdString(routes[i].key), static_cast<int>(routes[i].shard),
                                 frame.elapsedMs, m_nextLane});
      m_nextLane = (m_nextLane + 1) % kLanes;
    }
    m_lastOffered = offered;
    m_lastRefused = frame.router.refused;
  }
  while (!m_flights.empty() &&
         (m_flights.front().startMs + kFlightMs < frame.elapsedMs || m_flights.size() > kMaxFlights))
    m_flights.pop_front();
  update();
}

qreal RoutingView::shardY(int shard, const QRectF& area) const {
  const int n = m_shards->count();
  return area.top() + (shard + 0.5) * area.height() / n;
}

void RoutingView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  const Theme theme = Theme::of(palette());
  painter.fillRect(rect(), theme.background);
  const QRectF area = QRectF(rect()).adjusted(6, 22, -6, -6);
  const int n = m_shards->count();
  QFont small = font();
  small.setPointSizeF(font().pointSizeF() * 0.85);
  painter.setFont(small);
  painter.setPen(theme.mutedText);
  painter.drawText(QRectF(6, 2, width() - 12, 18), Qt::AlignLeft | Qt::AlignVCenter, u"key"_s);
  painter.drawText(QRectF(6, 2, width() - 12, 18), Qt::AlignRight | Qt::AlignVCenter, u"shard"_s);
  if (m_notDrawn > 0)
    painter.drawText(QRectF(6, 2, width() - 12, 18), Qt::AlignHCenter | Qt::AlignVCenter,
                     u"+%1 more routed than drawn"_s.arg(QLocale().toString(m_notDrawn)));

  // The shards: a tick each (a label where there is room), the one shown marked.
  const qreal shardX = area.right() - kShardColumn;
  const bool labelled = area.height() / n >= 10;
  for (int i = 0; i < n; ++i) {
    const qreal y = shardY(i, area);
    const bool focused = i == m_shards->focused();
    painter.setPen(QPen(focused ? theme.text : theme.frame, focused ? 2 : 1));
    painter.drawLine(QPointF(shardX, y), QPointF(shardX + 8, y));
    if (labelled || focused)
      painter.drawText(QRectF(shardX + 10, y - 8, kShardColumn - 10, 16), Qt::AlignLeft | Qt::AlignVCenter,
                       u"#%1"_s.arg(i));
  }

  // The flights: a line from the key's row to its shard, the key moving along it.
  const qreal laneHeight = area.height() / kLanes;
  for (const Flight& f : m_flights) {
    const qreal t = std::clamp(static_cast<qreal>(m_nowMs - f.startMs) / kFlightMs, 0.0, 1.0);
    const QPointF from(area.left() + kKeyColumn, area.top() + (f.lane + 0.5) * laneHeight);
    const QPointF to(shardX, shardY(f.shard, area));
    QColor line = theme.seriesColor(f.shard);
    line.setAlphaF(static_cast<float>(0.25 + 0.5 * (1 - t)));
    // 1 px, not wider: the raster engine strokes a wider antialiased curve as a filled outline,
    // ~17x slower (memlog_gui_bench, 64 shards: 27 ms a paint at 944x120 with 1.5 px).
    painter.setPen(QPen(line, 1));
    painter.setBrush(Qt::NoBrush);
    QPainterPath path(from);
    path.cubicTo(QPointF((from.x() + to.x()) / 2, from.y()), QPointF((from.x() + to.x()) / 2, to.y()), to);
    painter.drawPath(path);
    const QPointF at = path.pointAtPercent(t);
    painter.setBrush(theme.seriesColor(f.shard));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(at, 3.5, 3.5);
  }
  // Each row names the newest key that left from it.
  std::array<bool, kLanes> named{};
  painter.setPen(theme.text);
  for (const Flight& flight : std::views::reverse(m_flights)) {  // the newest first
    const Flight* f = &flight;
    if (named[static_cast<std::size_t>(f->lane)]) continue;
    named[static_cast<std::size_t>(f->lane)] = true;
    const qreal y = area.top() + f->lane * laneHeight;
    painter.drawText(
        QRectF(area.left(), y, kKeyColumn - 6, laneHeight), Qt::AlignRight | Qt::AlignVCenter,
        painter.fontMetrics().elidedText(f->key + u" →"_s, Qt::ElideMiddle, static_cast<int>(kKeyColumn - 8)));
  }
}
