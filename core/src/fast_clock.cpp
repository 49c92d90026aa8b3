// SPDX-License-Identifier: MIT
#include <memlog/fast_clock.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
#define MEMLOG_HAS_TSC 1
#else
#define MEMLOG_HAS_TSC 0
#endif

namespace memlog {
namespace {

__extension__ using u128 = unsigned __int128;  // 64x64->128-bit products (GCC/Clang)

using std::chrono::nanoseconds;
using std::chrono::system_clock;

std::int64_t system_ns() noexcept {
  return std::chrono::duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

#if MEMLOG_HAS_TSC

bool tsc_is_invariant() noexcept {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_max(0x80000000u, nullptr) < 0x80000007u) return false;
  __get_cpuid(0x80000007u, &eax, &ebx, &ecx, &edx);
  return (edx & (1u << 8)) != 0;  // "invariant TSC": constant rate, runs in every C-state
}

// The conversion from ticks to system-clock nanoseconds: ns = anchor_ns + (tsc - anchor_tsc) *
// mult >> 32. Written rarely (re-anchoring), read on every now(): a seqlock of atomics keeps
// readers free of writes and of locks.
struct Calibration {
  static constexpr std::uint64_t kReanchorTicks = 1ull << 28;  // ~100 ms at 2.5 GHz

  std::atomic<std::uint64_t> version{0};
  std::atomic<std::uint64_t> anchor_tsc{0};
  std::atomic<std::int64_t> anchor_ns{0};
  std::atomic<std::uint64_t> mult{0};  // nanoseconds per tick, 32.32 fixed point
  std::atomic_flag reanchoring = ATOMIC_FLAG_INIT;
  std::uint64_t base_tsc = 0;  // the first anchor: the long baseline the rate is measured over
  std::int64_t base_ns = 0;
  bool usable = false;

  // A (tsc, system ns) pair taken as close together as the machine allows.
  static void sample(std::uint64_t& tsc, std::int64_t& ns) noexcept {
    std::uint64_t best_width = ~0ull;
    for (int i = 0; i < 5; ++i) {
      const std::uint64_t before = __rdtsc();
      const std::int64_t now = system_ns();
      const std::uint64_t after = __rdtsc();
      if (after - before < best_width) {
        best_width = after - before;
        tsc = before + (after - before) / 2;
        ns = now;
      }
    }
  }

  Calibration() noexcept {
    if (!tsc_is_invariant()) return;
    sample(base_tsc, base_ns);
    // A first rate over ~2 ms; re-anchoring refines it over an ever longer baseline.
    std::uint64_t tsc = 0;
    std::int64_t ns = 0;
    do sample(tsc, ns);
    while (ns - base_ns < 2'000'000);
    if (tsc <= base_tsc) return;
    store(base_tsc, base_ns, rate(tsc, ns));
    usable = true;
  }

  std::uint64_t rate(std::uint64_t tsc, std::int64_t ns) const noexcept {
    return static_cast<std::uint64_t>((static_cast<u128>(ns - base_ns) << 32) / (tsc - base_tsc));
  }

  void store(std::uint64_t tsc, std::int64_t ns, std::uint64_t m) noexcept {
    const std::uint64_t v = version.load(std::memory_order_relaxed);
    version.store(v + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    anchor_tsc.store(tsc, std::memory_order_relaxed);
    anchor_ns.store(ns, std::memory_order_relaxed);
    mult.store(m, std::memory_order_relaxed);
    version.store(v + 2, std::memory_order_release);
  }

  void reanchor() noexcept {
    if (reanchoring.test_and_set(std::memory_order_acquire)) return;  // someone else is at it
    std::uint64_t tsc = 0;
    std::int64_t ns = 0;
    sample(tsc, ns);
    if (tsc > base_tsc && ns > base_ns) store(tsc, ns, rate(tsc, ns));
    reanchoring.clear(std::memory_order_release);
  }

  std::int64_t now() noexcept {
    for (;;) {
      const std::uint64_t v1 = version.load(std::memory_order_acquire);
      const std::uint64_t tsc = __rdtsc();
      const std::uint64_t a_tsc = anchor_tsc.load(std::memory_order_relaxed);
      const std::int64_t a_ns = anchor_ns.load(std::memory_order_relaxed);
      const std::uint64_t m = mult.load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      if ((v1 & 1) != 0 || version.load(std::memory_order_relaxed) != v1) continue;
      const std::uint64_t delta = tsc > a_tsc ? tsc - a_tsc : 0;
      if (delta > kReanchorTicks) [[unlikely]] {
        reanchor();
        continue;
      }
      return a_ns + static_cast<std::int64_t>((static_cast<u128>(delta) * m) >> 32);
    }
  }
};

Calibration& calibration() noexcept {
  static Calibration instance;
  return instance;
}

#endif

}  // namespace

Timestamp FastClock::now() noexcept {
#if MEMLOG_HAS_TSC
  Calibration& c = calibration();
  if (c.usable) [[likely]]
    return Timestamp{std::chrono::duration_cast<Timestamp::duration>(nanoseconds{c.now()})};
#endif
  return system_clock::now();
}

bool FastClock::uses_tsc() noexcept {
#if MEMLOG_HAS_TSC
  return calibration().usable;
#else
  return false;
#endif
}

}  // namespace memlog
