// SPDX-License-Identifier: MIT
// The log's basic types and its creation options.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace memlog {

using Offset = std::int64_t;                              // position of a record; -1 = none
using Timestamp = std::chrono::system_clock::time_point;  // UTC
using Clock = std::function<Timestamp()>;                 // injectable; empty = the default clock

struct Options {
  Offset start_offset = 0;                 // >= 0
  std::size_t segment_size = 1024;         // records per segment, > 0
  std::size_t max_record_bytes = 1 << 20;  // > 0
  // Called once per write, under the log's write lock, so timestamps follow offset order.
  // Empty = system_clock::now, read through a cheaper calibrated source (see fast_clock.hpp).
  Clock clock = {};
};

}  // namespace memlog
