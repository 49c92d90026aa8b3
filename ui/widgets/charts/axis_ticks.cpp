// SPDX-License-Identifier: MIT
#include "charts/axis_ticks.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>

AxisTicks AxisTicks::forLargest(double largest, int intervals) {
  intervals = std::clamp(intervals, 1, kMaxIntervals);
  // At least 0..4, so a quiet series (a consumer keeping up: lag 0) sits on a readable scale;
  // above that a little room, so the line's peak does not touch the frame.
  const double top = largest >= 4 ? largest * 1.05 : 4;  // also NaN
  for (double magnitude = 1;; magnitude *= 10) {
    for (double mantissa : {1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0}) {
      const double step = mantissa * magnitude;
      if (step != std::floor(step)) continue;  // 2.5 is not a whole step, 25 is
      if (intervals * step >= top) return {intervals * step, intervals + 1};
    }
  }
}

int AxisTicks::intervalsFor(double plotHeight, double labelHeight) {
  if (!(plotHeight > 0) || !(labelHeight > 0)) return kMaxIntervals;
  // A label and half a label of air between two ticks.
  return std::clamp(static_cast<int>(plotHeight / (1.5 * labelHeight)), 1, kMaxIntervals);
}

double AxisTicks::timeInterval(double spanSeconds) {
  if (spanSeconds <= 12) return 2;
  if (spanSeconds <= 30) return 5;
  if (spanSeconds <= 60) return 10;
  if (spanSeconds <= 90) return 15;
  return 30;
}
