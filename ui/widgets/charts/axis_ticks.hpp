// SPDX-License-Identifier: MIT
// AxisTicks: ticks for the charts' value axes that read as whole numbers, none repeated. Qt
// Charts' fixed ticks divide the range evenly, so 0..1.1 with four ticks reads "0, 0, 1, 1" at
// "%.0f"; these ranges are chosen so that every tick falls on a whole number: the axis runs
// from 0 to at least 4, in a few whole steps of a round size (1, 2, 2.5, 3, 4, 5, 6 or 8 × 10^n)
// reaching just above the largest value. As many steps as the chart's height has room for:
// Qt Charts shows "..." for labels closer together than their height. Pure functions, so the
// tests table-drive them.
#pragma once

struct AxisTicks {
  static constexpr int kMaxIntervals = 4;

  double max = 4;  // the axis runs from 0 to max
  int count = 5;   // ticks, 0 and max included: one every interval()

  double interval() const { return max / (count - 1); }

  // For a series whose largest value is `largest` (negative and NaN count as 0), in
  // `intervals` steps (1 to kMaxIntervals).
  static AxisTicks forLargest(double largest, int intervals = kMaxIntervals);
  // How many steps fit a plot `plotHeight` pixels tall with labels `labelHeight` tall (all of
  // them before the chart is laid out).
  static int intervalsFor(double plotHeight, double labelHeight);
  // The time axis, anchored at 0 s: a tick every 2, 5, 10, 15 or 30 seconds, by the span shown.
  static double timeInterval(double spanSeconds);
};
