// SPDX-License-Identifier: MIT
// log_limits: the options the monitor accepts for a log — stricter than the core's, so that
// what a user types can neither exhaust memory nor make a record too large for a table cell.
// Plain functions and constants: the command line, the settings and the configuration panel
// check values with them before any QObject exists.
#pragma once

#include <QString>

#include <cstddef>

#include <memlog/options.hpp>

namespace log_limits {

// Two segments of 64-byte slots must fit in memory (10,000,000 records: 1.3 GB at most).
inline constexpr std::size_t kMaxSegmentSize = 10'000'000;
// One record must fit in a table cell and a WebSocket message.
inline constexpr std::size_t kMaxRecordBytes = 64u << 20;

// A user-readable reason why `options` cannot make a log, or an empty string.
QString validate(const memlog::Options& options);

}  // namespace log_limits
