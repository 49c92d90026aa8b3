// SPDX-License-Identifier: MIT
// RecordCopier: one thread that streams every record of one log from an offset on and writes
// the same payload into another log, so the second gets the same records in the same order.
// A stream that ends with out_of_range means the copier fell behind the first log's purge:
// the records it can no longer read are counted (lost()) and it resumes at that log's earliest.
//
// Qt-free on purpose: the thread touches nothing but the two logs and this object's atomics.
// Threading: start/stop from one thread (the owner's); the counters from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <thread>

#include <memlog/log.hpp>

class RecordCopier {
 public:
  RecordCopier() = default;
  RecordCopier(const RecordCopier&) = delete;
  RecordCopier& operator=(const RecordCopier&) = delete;
  ~RecordCopier() { stop(); }

  // Copies `from` from offset `at` on into `to` (stopping a running copy first). The counters
  // keep counting across starts: they describe the whole comparison.
  void start(std::shared_ptr<const memlog::Log> from, memlog::Offset at, std::shared_ptr<memlog::Log> to);
  // Returns once the thread has ended: its stream ends with `cancelled` as soon as the stop is
  // requested, even while it waits for a record, so this never waits for the source to write.
  void stop();
  bool running() const noexcept { return m_thread.joinable(); }

  std::uint64_t copied() const noexcept { return m_copied.load(std::memory_order_relaxed); }
  // Records purged from `from` before the copier read them (never written to `to`).
  std::uint64_t lost() const noexcept { return m_lost.load(std::memory_order_relaxed); }
  // Records `to` refused (e.g. over its max_record_bytes): read, not copied.
  std::uint64_t refused() const noexcept { return m_refused.load(std::memory_order_relaxed); }
  // The offset of `from` it copies next (-1 before the first start).
  memlog::Offset position() const noexcept { return m_position.load(std::memory_order_relaxed); }

 private:
  void run(const std::stop_token& stop, const std::shared_ptr<const memlog::Log>& from, memlog::Offset at,
           const std::shared_ptr<memlog::Log>& to);

  // Relaxed: each is a monotonic figure read for display; nothing else is published through it.
  std::atomic<std::uint64_t> m_copied{0};
  std::atomic<std::uint64_t> m_lost{0};
  std::atomic<std::uint64_t> m_refused{0};
  std::atomic<memlog::Offset> m_position{-1};
  std::jthread m_thread;
};
