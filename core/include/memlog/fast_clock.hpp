// SPDX-License-Identifier: MIT
// FastClock: system_clock::now(), read from the CPU's invariant time-stamp counter.
//
// system_clock::now() costs ~25 ns here (a vDSO call); the log stamps every write, so the
// default clock reads the TSC (~7 ns) and converts with a scale calibrated against the system
// clock, re-anchored every few hundred milliseconds so it stays within a few microseconds of
// it. Where the TSC is not invariant (or not x86), it falls back to system_clock::now().
// Threading: now() is safe from any thread and never blocks.
#pragma once

#include <memlog/options.hpp>

namespace memlog {

class FastClock {
 public:
  static Timestamp now() noexcept;
  static bool uses_tsc() noexcept;  // false when it falls back to system_clock::now()
};

}  // namespace memlog
