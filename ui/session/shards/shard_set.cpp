// SPDX-License-Identifier: MIT
#include "shards/shard_set.hpp"

#include <cassert>

ShardSet::ShardSet(std::shared_ptr<memlog::ShardedLog> log, std::shared_ptr<memlog::shard::ShardRouter> router,
                   ShardingOptions options, QObject* parent)
    : QObject(parent), m_log(std::move(log)), m_router(std::move(router)), m_options(std::move(options)) {
  assert(m_log && m_router && "ShardSet: the sharded log and its router must exist");
  qRegisterMetaType<ShardFrame>();
  m_frame.shards.resize(m_log->shard_count());
  m_windowStart.resize(m_log->shard_count(), 0);
}

void ShardSet::sample(qint64 elapsedMs) {
  const std::size_t n = m_log->shard_count();
  ShardFrame& f = m_frame;
  f.elapsedMs = elapsedMs;
  if (m_windowStartMs < 0) m_windowStartMs = elapsedMs;
  const qint64 window = elapsedMs - m_windowStartMs;
  const bool newWindow = window >= kRateWindowMs;
  f.retained = 0;
  f.maxRate = 0;
  double minRate = -1;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ShardSample& s = f.shards[i];
    const memlog::Stats before = s.stats;
    s.stats = m_log->shard(i).stats();
    if (s.stats.segments_sealed > before.segments_sealed) {
      s.sealedAtMs = elapsedMs;
      emit shardSealed(static_cast<int>(i), s.stats.segments_sealed - before.segments_sealed);
    }
    if (s.stats.purges > before.purges) {
      s.purgedAtMs = elapsedMs;
      emit shardPurged(static_cast<int>(i), s.stats.purges - before.purges,
                       s.stats.records_purged - before.records_purged);
    }
    if (newWindow) {
      s.rate = static_cast<double>(s.stats.records_written - m_windowStart[i]) * 1000.0 / static_cast<double>(window);
      m_windowStart[i] = s.stats.records_written;
    }
    f.retained += s.retained();
    sum += s.rate;
    if (s.rate > f.maxRate) {
      f.maxRate = s.rate;
      f.busiest = static_cast<int>(i);
    }
    if (minRate < 0 || s.rate < minRate) {
      minRate = s.rate;
      f.idlest = static_cast<int>(i);
    }
  }
  if (f.maxRate == 0) f.busiest = 0;
  if (newWindow) m_windowStartMs = elapsedMs;
  f.meanRate = n > 0 ? sum / static_cast<double>(n) : 0;
  f.router = m_router->counters();
  emit sampled(f);
  // Until a shard is chosen, an empty shard shown gives way to the busiest: a first look at a
  // sharded log shows records arriving, not an empty picture of shard 0.
  if (!m_chosen && f.shards[static_cast<std::size_t>(m_focused)].stats.records_written == 0 && f.maxRate > 0) {
    m_chosen = true;
    emit focusRequested(f.busiest);
  }
}

void ShardSet::requestFocus(int shard) {
  if (shard < 0 || shard >= count()) return;
  m_chosen = true;
  if (shard == m_focused) return;
  emit focusRequested(shard);
}

void ShardSet::setFocused(int shard) {
  if (shard == m_focused) return;
  m_focused = shard;
  emit focusChanged(shard);
}
