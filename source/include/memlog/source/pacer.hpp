// SPDX-License-Identifier: MIT
// Pacer: holds a consumer to its pace, in records per second. After each record, wait() sleeps
// until that record's slot on a fixed schedule (so the pace holds on average, whatever each
// record cost); after a stall of more than a second the schedule starts again from now, so a
// consumer that was held up does not flood to catch up. The sleep ends at once when the stop
// token fires: stopping a slow consumer never waits out its period.
//
// Threading: one per reading thread; not shared.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace memlog::sim {

class Pacer {
 public:
  // The longest wait for one record, whatever the pace (1e-15/s would overflow the clock).
  static constexpr std::chrono::duration<double> kLongestPeriod{86'400.0};  // a day

  // `pace` records per second; 0 (or less) = unpaced: wait() returns at once.
  explicit Pacer(double pace);

  bool paced() const noexcept { return period_ > std::chrono::steady_clock::duration::zero(); }
  std::chrono::steady_clock::duration period() const noexcept { return period_; }

  // After one record: sleeps until its slot (or the stop). Returns false if stopped.
  bool wait(const std::stop_token& stop);

 private:
  std::chrono::steady_clock::duration period_;
  std::chrono::steady_clock::time_point next_;
  std::mutex mutex_;  // only for the condition variable: nothing else waits on it
  std::condition_variable_any sleep_;
};

}  // namespace memlog::sim
