// SPDX-License-Identifier: MIT
#include "segments/segment_geometry.hpp"

#include <algorithm>

SegmentGeometry SegmentGeometry::from(const memlog::Stats& s) {
  SegmentGeometry g;
  const auto size = static_cast<double>(s.segment_size);
  if (s.records_written == 0) {
    g.activeFirst = s.next_offset;
    g.activeLast = s.next_offset + static_cast<memlog::Offset>(s.segment_size) - 1;
    return g;
  }
  g.activeFirst = s.next_offset - static_cast<memlog::Offset>(s.active_records);
  g.activeLast = g.activeFirst + static_cast<memlog::Offset>(s.segment_size) - 1;
  g.activeFill = static_cast<double>(s.active_records) / size;
  g.activeBytes = s.active_bytes;
  g.hasHistory = s.history_records > 0;
  if (g.hasHistory) {
    g.historyFirst = g.activeFirst - static_cast<memlog::Offset>(s.history_records);
    g.historyLast = g.activeFirst - 1;
    g.historyFill = static_cast<double>(s.history_records) / size;
    g.historyBytes = s.history_bytes;
  }
  return g;
}

double SegmentGeometry::markerX(memlog::Offset position) const {
  const auto size = static_cast<double>(activeLast - activeFirst + 1);
  if (position >= activeFirst) return 1.0 + std::min(static_cast<double>(position - activeFirst) / size, activeFill);
  if (hasHistory && position >= historyFirst) return static_cast<double>(position - historyFirst) / size;
  return -0.15;  // overtaken by the purge: drawn left of the history, in the purged zone
}
