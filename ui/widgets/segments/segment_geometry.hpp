// SPDX-License-Identifier: MIT
// SegmentGeometry: where things go in the segments picture, computed from a Stats snapshot —
// a pure function, so the picture's logic is tested without painting.
#pragma once

#include <memlog/log.hpp>

struct SegmentGeometry {
  // The two segments, side by side: [history][active], each 1.0 wide, offsets in [first, last].
  bool hasHistory = false;
  memlog::Offset historyFirst = -1, historyLast = -1;
  memlog::Offset activeFirst = -1, activeLast = -1;  // activeLast = first + segment_size - 1
  double historyFill = 0;                            // 0..1: records / segment size (a sealed history is always full)
  double activeFill = 0;
  std::size_t historyBytes = 0, activeBytes = 0;

  // Where a consumer at `position` (the offset it reads next) is drawn, in segment widths from
  // the history's left edge: 0..1 in the history, 1..2 in the active segment; negative when
  // the purge has overtaken it (position before the history), at the active's fill edge when
  // it has read everything.
  double markerX(memlog::Offset position) const;

  static SegmentGeometry from(const memlog::Stats& stats);
};
