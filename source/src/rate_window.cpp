// SPDX-License-Identifier: MIT
#include <memlog/source/rate_window.hpp>

namespace memlog::sim {

double RateWindow::sample(std::uint64_t count, std::chrono::steady_clock::time_point now) noexcept {
  const std::chrono::duration<double> window = now - window_start_;
  if (window >= kWindow) {
    rate_ = static_cast<double>(count - count_at_start_) / window.count();
    count_at_start_ = count;
    window_start_ = now;
  }
  return rate_;
}

}  // namespace memlog::sim
