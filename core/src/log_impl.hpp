// SPDX-License-Identifier: MIT
// Log::Impl: the log's state and its lock-free read protocol (private to core/src).
//
// Layout. Records live in two buffers of `segment_size` slots that take turns: the active
// segment fills one while the other holds the history. When the active is full it is sealed,
// becomes the history, and the old history's buffer becomes the new active segment; its
// records are purged at that moment (earliest_ moves past them) and their slots are
// overwritten one by one as the new segment fills. So the slot of offset o is a pure function
// of o: buffer ((o - start) / S) & 1, index (o - start) % S.
//
// Slots. One slot is one cache line: offset, created, size and 40 bytes that hold a small
// payload inline, or a pointer to a shared, reference-counted PayloadBlock. Slots are
// allocated in chunks on first use and reused for the log's life, so steady-state writes
// allocate nothing (payloads over 40 bytes allocate their block; that copy dominates anyway).
//
// Writers serialise on write_mutex_. Readers take no lock and write no shared memory: a slot
// is read under a seqlock (its offset field is the sequence: kWriting while rewritten, the
// record's offset once published). All slot fields are atomics, read and written relaxed
// between the fences, so the protocol is race-free in the C++ model (and for TSan). Shared
// blocks need a reference taken safely: the reader sets the slot's lock bit (in the size
// word), checks the offset, retains the block and clears the bit; a writer overwriting a
// slot that holds a block takes the same bit first.
#pragma once

#include <memlog/log.hpp>
#include <memlog/stream.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace memlog {
__extension__ using u128 = unsigned __int128;  // 64x64->128-bit products (GCC/Clang)

namespace detail {

class RecordAccess {
 public:
  static void set_header(Record& r, Offset offset, std::int64_t created_ns, std::size_t size) noexcept {
    r.offset_ = offset;
    r.created_ns_ = created_ns;
    r.size_ = size;
  }
  static std::byte* inline_bytes(Record& r) noexcept { return r.inline_; }
  static void set_block(Record& r, PayloadBlock* block) noexcept { r.block_ = block; }
  static void clear(Record& r) noexcept { r = Record{}; }
};

// n / d for a fixed d, by a multiply instead of a 64-bit divide (~40 cycles here).
class Divider {
 public:
  explicit Divider(std::uint64_t d) noexcept : d_(d), m_(~0ull / d) {}
  // m_ = floor((2^64-1)/d) makes the estimate q or q-1; one correction step fixes it.
  void divmod(std::uint64_t n, std::uint64_t& q, std::uint64_t& r) const noexcept {
    q = static_cast<std::uint64_t>((static_cast<u128>(n) * m_) >> 64);
    r = n - q * d_;
    if (r >= d_) {
      ++q;
      r -= d_;
    }
  }

 private:
  std::uint64_t d_;
  std::uint64_t m_;
};

struct alignas(64) Slot {
  static constexpr Offset kWriting = -2;                // being rewritten: readers must not trust it
  static constexpr std::uint64_t kShared = 1ull << 62;  // words[0] is a PayloadBlock*
  static constexpr std::uint64_t kLocked = 1ull << 63;  // someone is taking/dropping the block
  static constexpr std::uint64_t kSizeMask = kShared - 1;
  static constexpr std::size_t kWords = Record::kInlineBytes / 8;

  std::atomic<Offset> offset{-1};
  std::atomic<std::int64_t> created_ns{0};
  std::atomic<std::uint64_t> size{0};
  std::atomic<std::uint64_t> words[kWords] = {};

  // The block a shared slot holds. The words are integers because the seqlock copies them
  // word by word, inline bytes and pointer alike; relaxed: the caller holds the lock bit, or
  // is the only thread left.
  PayloadBlock* block() const noexcept {
    const std::uint64_t word = words[0].load(std::memory_order_relaxed);
    return reinterpret_cast<PayloadBlock*>(word);  // NOLINT(performance-no-int-to-ptr): as said above
  }
};
static_assert(sizeof(Slot) == 64);
static_assert(Record::kInlineBytes % 8 == 0);

}  // namespace detail

class Log::Impl final : public Log {
 public:
  static constexpr std::size_t kChunkShift = 10;  // 1024 slots (64 KiB) per chunk
  static constexpr std::size_t kChunkSlots = std::size_t{1} << kChunkShift;

  explicit Impl(Options options);
  ~Impl();

  Result<Offset> write(std::span<const std::byte> data);
  Result<Record> read(Offset offset) const;
  BatchResult read_batch(Offset from, std::span<Record> out) const;
  Range range() const;
  Stats stats() const;
  Subscription observe(std::shared_ptr<LogObserver> observer) const;
  void unobserve(const LogObserver* observer) const;

  // Streams: blocks until a record at `position` may exist, stop is requested or the deadline
  // passes (the caller re-checks which). Writers signal only while someone waits here.
  void wait_for_append(Offset position, const std::stop_token& stop,
                       const std::optional<std::chrono::steady_clock::time_point>& deadline) const;
  void wake_all() const;  // after an append that a stream waits for, or a stop request

  const Options options_;

 private:
  enum class ReadStatus { ok, purged };
  ReadStatus read_slot(detail::Slot& slot, Offset offset, Record& out) const noexcept;
  [[gnu::noinline]] ReadStatus read_shared(detail::Slot& slot, Offset offset, std::uint64_t size,
                                           Record& out) const noexcept;
  detail::Slot* slot_for_read(Offset offset) const noexcept;
  detail::Slot& slot_for_write(std::size_t buffer, std::uint64_t index);
  [[gnu::noinline]] detail::Slot* allocate_chunk(std::size_t buffer, std::uint64_t index);
  struct Roll {
    Offset sealed_first;  // the segment sealed: [sealed_first, first of the new one)
    Offset purged_first;  // the history purged: [purged_first, sealed_first); -1 = none
    std::size_t purged_bytes;
  };
  Roll roll_segments(Offset first_of_new);
  std::int64_t stamp(std::int64_t early);

  void begin_update() noexcept;
  void end_update() noexcept;

  const std::uint64_t segment_size_;
  const detail::Divider divider_;
  const std::size_t chunks_per_buffer_;
  const bool default_clock_;

  // Read by every reader; written by the writer holding write_mutex_.
  alignas(64) std::atomic<Offset> next_;  // one past the last published record
  std::atomic<Offset> earliest_;          // first retained offset (start until a purge)
  std::unique_ptr<std::atomic<detail::Slot*>[]> chunks_[2];

  // The stats seqlock: a consistent snapshot of the fields below, with next_ and earliest_.
  alignas(64) std::atomic<std::uint64_t> stats_version_{0};
  std::atomic<Offset> active_base_;       // first offset of the active segment
  std::atomic<Offset> history_base_{-1};  // first offset of the history segment; -1 = none
  std::atomic<std::size_t> active_bytes_{0};
  std::atomic<std::size_t> history_bytes_{0};
  std::atomic<std::uint64_t> seals_{0};
  std::atomic<std::size_t> memory_bytes_{0};

  // Writer-only state (under write_mutex_).
  alignas(64) mutable std::mutex write_mutex_;
  Offset write_next_;
  std::size_t active_buffer_ = 0;
  std::int64_t last_created_ns_ = 0;
  mutable std::vector<std::shared_ptr<LogObserver>> observers_;  // guarded by write_mutex_

  // Waiting streams. waiters_ changes only under write_mutex_ (see wait_for_append).
  mutable std::atomic<int> waiters_{0};
  mutable std::mutex wait_mutex_;
  mutable std::condition_variable wait_cv_;
};

inline const Log::Impl& impl(const Log& log) noexcept { return static_cast<const Log::Impl&>(log); }
inline Log::Impl& impl(Log& log) noexcept { return static_cast<Log::Impl&>(log); }

}  // namespace memlog
