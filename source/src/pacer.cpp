// SPDX-License-Identifier: MIT
#include <memlog/source/pacer.hpp>

#include <algorithm>

namespace memlog::sim {

using std::chrono::steady_clock;

Pacer::Pacer(double pace)
    // At most kLongestPeriod: a pace so small that its period would overflow the clock's type.
    : period_(pace > 0 ? std::chrono::duration_cast<steady_clock::duration>(
                             std::min(std::chrono::duration<double>(1.0 / pace), kLongestPeriod))
                       : steady_clock::duration::zero()),
      next_(steady_clock::now()) {}

bool Pacer::wait(const std::stop_token& stop) {
  if (!paced()) return !stop.stop_requested();
  next_ += period_;
  const auto now = steady_clock::now();
  if (next_ < now - std::chrono::seconds(1)) next_ = now;  // no flood after a stall
  std::unique_lock lock(mutex_);
  // Nothing notifies it but the stop: the predicate is only "stopped", checked on wake-up.
  return !sleep_.wait_until(lock, stop, next_, [] { return false; }) && !stop.stop_requested();
}

}  // namespace memlog::sim
