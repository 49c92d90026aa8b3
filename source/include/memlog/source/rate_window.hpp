// SPDX-License-Identifier: MIT
// RateWindow: a consumer's records/s over a recent window, for its snapshots. The rate is the
// growth of a running count over a window of at least kWindow, taken anew only once that much
// time has passed: a monitor that polls every frame sees a steady number, not the jitter of
// 16 ms slices, and a count that stops growing shows 0 once a window closes without growth.
//
// Threading: none of its own — a plain value that its owner guards. Consumer and
// ShardedConsumer keep one `mutable` (it changes in their const snapshot()) under their mutex_.
#pragma once

#include <chrono>
#include <cstdint>

namespace memlog::sim {

class RateWindow {
 public:
  static constexpr std::chrono::duration<double> kWindow{0.5};  // seconds

  // The first window begins at `start`, with a count of 0.
  explicit RateWindow(std::chrono::steady_clock::time_point start) noexcept : window_start_(start) {}

  // `count` is the running total at `now` (never less than at an earlier call). Closes the
  // window if it is kWindow old or older — the rate is then the count's growth over it, and a
  // new window begins at `now` — and returns the rate of the last window closed (0 before any).
  double sample(std::uint64_t count, std::chrono::steady_clock::time_point now) noexcept;

 private:
  std::chrono::steady_clock::time_point window_start_;
  std::uint64_t count_at_start_ = 0;
  double rate_ = 0;
};

}  // namespace memlog::sim
