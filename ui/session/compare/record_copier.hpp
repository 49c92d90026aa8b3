// SPDX-License-Identifier: MIT
// RecordCopier: one thread that reads every record of one log — or of every shard of a sharded
// log — from given offsets on, and hands each payload to a sink (another log's write, or a
// ShardRouter's), so a second log gets the same records: in the same order from one log, and in
// each key's order from the shards (each shard is read in order; a key lives on one shard).
// It goes round the logs a batch at a time (a busy shard cannot starve a quiet one) and, with
// nothing left to read, sleeps until an append wakes it (an observer on each log), never polling.
// A read that finds its position purged means the copier fell behind that log's purge: the
// records it can no longer read are counted (lost()) and it resumes at that log's earliest.
//
// Qt-free on purpose: the thread touches nothing but the logs, the sink and this object's atomics.
// Threading: start/stop/finish/behind from one thread (the owner's); the counters from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stop_token>
#include <thread>
#include <vector>

#include <memlog/log.hpp>

class RecordCopier {
 public:
  // Writes one record into the second log; false when that log refused it (too large, no key).
  using Sink = std::function<bool(std::span<const std::byte>)>;
  static constexpr std::size_t kBatch = 256;  // records read from one log before the next

  RecordCopier();
  RecordCopier(const RecordCopier&) = delete;
  RecordCopier& operator=(const RecordCopier&) = delete;
  ~RecordCopier();  // stops

  // Copies each log of `from` from its offset in `at` (the same length) into `to`, stopping a
  // running copy first. The counters keep counting across starts: they describe the whole
  // comparison.
  void start(std::vector<std::shared_ptr<const memlog::Log>> from, std::vector<memlog::Offset> at, Sink to);
  // One log into another.
  void start(std::shared_ptr<const memlog::Log> from, memlog::Offset at, std::shared_ptr<memlog::Log> to);
  // Returns once the thread has ended: a stop wakes it wherever it waits, so this never waits
  // for the source to write.
  void stop();
  // Copies what the logs hold now — up to where each ends at this call — then stops: for logs
  // whose writers have stopped (a log about to be replaced) when the copy must not lose their
  // last records. Records written after the call may be copied with the last batch, no further.
  // The caller waits while the copier catches up: at most what the logs retain.
  void finish();
  bool running() const noexcept { return m_thread.joinable(); }

  std::uint64_t copied() const noexcept { return m_copied.load(std::memory_order_relaxed); }
  // Records purged from the logs read before the copier read them (never given to the sink).
  std::uint64_t lost() const noexcept { return m_lost.load(std::memory_order_relaxed); }
  // Records the sink refused: read, not copied.
  std::uint64_t refused() const noexcept { return m_refused.load(std::memory_order_relaxed); }
  // The offset of the first log read that it copies next (-1 before the first start).
  memlog::Offset position() const noexcept;
  // Records written to the logs read but not copied yet (0 while stopped).
  std::int64_t behind() const;

 private:
  struct Source;  // one log read: its position and the subscription that wakes the thread
  class Wake;     // the observer: counts appends, wakes the thread
  void run(const std::stop_token& stop, const Sink& to);

  // Relaxed: each is a monotonic figure read for display; nothing else is published through it.
  std::atomic<std::uint64_t> m_copied{0};
  std::atomic<std::uint64_t> m_lost{0};
  std::atomic<std::uint64_t> m_refused{0};
  // Replaced by start() only while no thread runs; the thread owns its shares of the logs, so a
  // replaced log lives on until it lets go.
  std::vector<std::unique_ptr<Source>> m_sources;
  // Set by finish() (release) after each Source::until: the thread reads on to those, then ends.
  std::atomic<bool> m_finishing{false};
  std::shared_ptr<std::atomic<std::uint64_t>> m_appends = std::make_shared<std::atomic<std::uint64_t>>(0);
  std::jthread m_thread;
};
