// SPDX-License-Identifier: MIT
#include "log_impl.hpp"

#include <memlog/fast_clock.hpp>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>
#include <utility>

namespace memlog {

using detail::PayloadBlock;
using detail::RecordAccess;
using detail::Slot;

namespace {

constexpr auto relaxed = std::memory_order_relaxed;
constexpr auto acquire = std::memory_order_acquire;
constexpr auto release = std::memory_order_release;

std::int64_t to_ns(Timestamp t) noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static_assert(std::endian::native == std::endian::little, "pack_words and the slot layout assume little-endian");

// Packs 1..40 payload bytes into words without a call to memcpy: whole words with fixed-size
// copies, the tail as the top bytes of the last 8 (little-endian), or byte by byte when short.
[[gnu::always_inline]] inline void pack_words(std::span<const std::byte> data, std::uint64_t* words) noexcept {
  const std::size_t n = data.size();
  const std::byte* src = data.data();
  const std::size_t whole = n / 8;
  for (std::size_t w = 0; w < whole; ++w) std::memcpy(&words[w], src + w * 8, 8);
  if (const std::size_t tail = n % 8; tail != 0) {
    std::uint64_t last = 0;
    if (n >= 8) {
      std::memcpy(&last, src + n - 8, 8);
      last >>= (8 - tail) * 8;
    } else {
      for (std::size_t b = 0; b < tail; ++b) last |= std::uint64_t{std::to_integer<std::uint8_t>(src[b])} << (8 * b);
    }
    words[whole] = last;
  }
}

// Copies a slot's five payload words into a Record, one 8-byte store each. (Gathering them in
// a local array first made the compiler reload it as 16-byte vectors: a store-forwarding
// stall that doubled the cost of read_batch.)
[[gnu::always_inline]] inline void copy_words(const Slot& slot, Record& record) noexcept {
  static_assert(Slot::kWords == 5);
  std::byte* out = RecordAccess::inline_bytes(record);
  for (std::size_t w = 0; w < Slot::kWords; ++w) {
    const std::uint64_t word = slot.words[w].load(relaxed);
    std::memcpy(out + w * 8, &word, 8);
  }
}

#ifndef NDEBUG
// The log whose observers this thread is calling now, if any. Callbacks run under that log's
// write lock, so a callback that writes to it (or subscribes to it) would wait for itself
// forever; debug builds stop with the reason instead of hanging.
thread_local const void* t_notifying = nullptr;
struct Notifying {
  const void* outer;
  explicit Notifying(const void* log) : outer(t_notifying) { t_notifying = log; }
  ~Notifying() { t_notifying = outer; }
  Notifying(const Notifying&) = delete;
  Notifying& operator=(const Notifying&) = delete;
};
#define MEMLOG_ASSERT_NOT_NOTIFYING(log, what)                           \
  assert(t_notifying != (log) && "a LogObserver callback must not " what \
                                 " the log it observes: callbacks run under its write lock (deadlock)")
#else
#define MEMLOG_ASSERT_NOT_NOTIFYING(log, what) ((void)0)
#endif

}  // namespace

// ---- creation ------------------------------------------------------------------------------

Result<std::shared_ptr<Log>> Log::create(Options options) {
  if (options.segment_size == 0 || options.max_record_bytes == 0 || options.start_offset < 0)
    return std::unexpected(make_error_code(Errc::invalid_options));
  // The default clock calibrates once per process (~2 ms): here, not in someone's first write.
  if (!options.clock) (void)FastClock::now();
  return std::make_shared<Impl>(std::move(options));
}

Log::~Log() = default;

Log::Impl::Impl(Options options)
    : options_(std::move(options)),
      segment_size_(options_.segment_size),
      divider_(options_.segment_size),
      chunks_per_buffer_((options_.segment_size + kChunkSlots - 1) >> kChunkShift),
      default_clock_(!options_.clock),
      next_(options_.start_offset),
      earliest_(options_.start_offset),
      active_base_(options_.start_offset),
      write_next_(options_.start_offset) {
  for (auto& table : chunks_) {
    table = std::make_unique<std::atomic<Slot*>[]>(chunks_per_buffer_);
    for (std::size_t i = 0; i < chunks_per_buffer_; ++i) table[i].store(nullptr, relaxed);
  }
}

Log::Impl::~Impl() {
  const std::size_t last_chunk_slots = segment_size_ - (chunks_per_buffer_ - 1) * kChunkSlots;
  for (auto& table : chunks_) {
    for (std::size_t c = 0; c < chunks_per_buffer_; ++c) {
      Slot* chunk = table[c].load(relaxed);
      if (chunk == nullptr) continue;
      const std::size_t count = c + 1 == chunks_per_buffer_ ? last_chunk_slots : kChunkSlots;
      for (std::size_t i = 0; i < count; ++i) {
        if (chunk[i].size.load(relaxed) & Slot::kShared) chunk[i].block()->release();
      }
      ::operator delete[](chunk, std::align_val_t{alignof(Slot)});
    }
  }
}

// ---- writing -------------------------------------------------------------------------------

Result<Offset> Log::write(std::span<const std::byte> data) { return impl(*this).write(data); }

Result<Offset> Log::write(std::string_view data) {
  return impl(*this).write(std::as_bytes(std::span{data.data(), data.size()}));
}

[[gnu::always_inline]] inline void Log::Impl::begin_update() noexcept {
  const std::uint64_t v = stats_version_.load(relaxed);
  stats_version_.store(v + 1, relaxed);
  std::atomic_thread_fence(release);
}

[[gnu::always_inline]] inline void Log::Impl::end_update() noexcept {
  stats_version_.store(stats_version_.load(relaxed) + 1, release);
}

// Called under write_mutex_. `early` is the default clock read just before taking the lock
// (it overlaps the lock's cost); an injected clock is called here, in offset order.
[[gnu::always_inline]] inline std::int64_t Log::Impl::stamp(std::int64_t early) {
  if (default_clock_) {
    // The fast clock re-anchors to the system clock now and then and may step back a few
    // microseconds, and `early` was read before the lock: within one log, created never goes
    // backwards.
    last_created_ns_ = std::max(last_created_ns_, early);
    return last_created_ns_;
  }
  return to_ns(options_.clock());
}

[[gnu::always_inline]] inline Slot& Log::Impl::slot_for_write(std::size_t buffer, std::uint64_t index) {
  Slot* chunk = chunks_[buffer][index >> kChunkShift].load(relaxed);
  if (chunk == nullptr) [[unlikely]]
    chunk = allocate_chunk(buffer, index);
  return chunk[index & (kChunkSlots - 1)];
}

// First pass over this part of a buffer: allocate its slots once, for the log's life.
Slot* Log::Impl::allocate_chunk(std::size_t buffer, std::uint64_t index) {
  const std::size_t first = (index >> kChunkShift) << kChunkShift;
  const std::size_t count = std::min<std::size_t>(kChunkSlots, segment_size_ - first);
  Slot* chunk = new (std::align_val_t{alignof(Slot)}) Slot[count];
  memory_bytes_.store(memory_bytes_.load(relaxed) + count * sizeof(Slot), relaxed);
  chunks_[buffer][index >> kChunkShift].store(chunk, release);  // readers also acquire next_ first
  return chunk;
}

// Called with write_mutex_ held, inside the stats update of the write that starts the new
// segment. Returns what was sealed and purged; the write tells the observers after its update
// ends, so an observer calling stats() or range() sees a finished write, not one in progress.
[[gnu::noinline]] Log::Impl::Roll Log::Impl::roll_segments(Offset first_of_new) {
  const Roll roll{active_base_.load(relaxed), history_base_.load(relaxed), history_bytes_.load(relaxed)};
  history_base_.store(roll.sealed_first, relaxed);
  history_bytes_.store(active_bytes_.load(relaxed), relaxed);
  active_base_.store(first_of_new, relaxed);
  active_bytes_.store(0, relaxed);
  seals_.store(seals_.load(relaxed) + 1, relaxed);
  // From here on readers refuse the old history; its slots are overwritten as we go.
  earliest_.store(roll.sealed_first, release);
  active_buffer_ ^= 1;
  return roll;
}

Result<Offset> Log::Impl::write(std::span<const std::byte> data) {
  MEMLOG_ASSERT_NOT_NOTIFYING(this, "write to");
  const std::size_t n = data.size();
  if (n == 0) return std::unexpected(make_error_code(Errc::empty_record));
  if (n > options_.max_record_bytes) return std::unexpected(make_error_code(Errc::record_too_large));

  // Large payloads are copied into their shared block before taking the lock; small ones into
  // words, as they will be stored.
  PayloadBlock* block = nullptr;
  std::uint64_t inline_words[Slot::kWords];
  const std::size_t word_count = (n + 7) / 8;
  if (n > Record::kInlineBytes)
    block = PayloadBlock::make(data);
  else
    pack_words(data, inline_words);

  // Owns the new block until the slot does, should an injected clock or an allocation throw.
  struct BlockGuard {
    PayloadBlock* block;
    ~BlockGuard() {
      if (block != nullptr) block->release();
    }
  } guard{block};

  PayloadBlock* dropped = nullptr;
  Offset offset;
  bool wake = false;
  const std::int64_t early = default_clock_ ? to_ns(FastClock::now()) : 0;
  {
    std::lock_guard lock(write_mutex_);
    offset = write_next_;
    const std::int64_t created = stamp(early);

    // Everything that may throw (the clock, a first allocation of slots) comes before the
    // stats update begins: readers must never see it left half done.
    auto index = static_cast<std::uint64_t>(offset - active_base_.load(relaxed));
    const bool rolls = index == segment_size_;
    if (rolls) index = 0;
    Slot& slot = slot_for_write(rolls ? active_buffer_ ^ 1 : active_buffer_, index);

    begin_update();
    std::optional<Roll> roll;
    if (rolls) roll = roll_segments(offset);

    // Seqlock write. A slot holding a block may have a reader retaining it: take its lock bit.
    std::uint64_t old_size = slot.size.load(relaxed);
    if (old_size & Slot::kShared) {
      for (;;) {
        old_size &= ~Slot::kLocked;
        if (slot.size.compare_exchange_weak(old_size, old_size | Slot::kLocked, acquire, relaxed)) break;
        cpu_relax();
      }
      dropped = slot.block();
    }
    slot.offset.store(Slot::kWriting, relaxed);
    std::atomic_thread_fence(release);
    slot.created_ns.store(created, relaxed);
    if (block != nullptr) {
      guard.block = nullptr;  // the slot owns it now
      slot.words[0].store(reinterpret_cast<std::uintptr_t>(block), relaxed);
      slot.size.store(n | Slot::kShared, release);  // also clears the lock bit
    } else {
      for (std::size_t w = 0; w < word_count; ++w) slot.words[w].store(inline_words[w], relaxed);
      slot.size.store(n, release);
    }
    slot.offset.store(offset, release);

    std::size_t memory = memory_bytes_.load(relaxed);
    if (dropped != nullptr) memory -= sizeof(PayloadBlock) + dropped->size;
    if (block != nullptr) memory += sizeof(PayloadBlock) + n;
    memory_bytes_.store(memory, relaxed);
    active_bytes_.store(active_bytes_.load(relaxed) + n, relaxed);
    write_next_ = offset + 1;
    next_.store(offset + 1, release);
    end_update();

#ifndef NDEBUG
    const Notifying notifying(this);
#endif
    for (const auto& observer : observers_) {
      if (roll) {
        observer->on_seal(roll->sealed_first, offset - 1);
        if (roll->purged_first >= 0)
          observer->on_purge(roll->purged_first, roll->sealed_first - 1, segment_size_, roll->purged_bytes);
      }
      observer->on_append(offset, offset);
    }
    // Streams register as waiters under write_mutex_ too, so this read cannot miss one that
    // saw the old next_ (see wait_for_append).
    wake = waiters_.load(relaxed) != 0;
  }
  if (dropped != nullptr) dropped->release();
  if (wake) wake_all();
  return offset;
}

// ---- reading -------------------------------------------------------------------------------

[[gnu::always_inline]] inline Slot* Log::Impl::slot_for_read(Offset offset) const noexcept {
  std::uint64_t segment = 0, index = 0;
  divider_.divmod(static_cast<std::uint64_t>(offset - options_.start_offset), segment, index);
  Slot* chunk = chunks_[segment & 1][index >> kChunkShift].load(acquire);
  return chunk + (index & (kChunkSlots - 1));
}

// Reads the record at `offset`, known to have been published and retained a moment ago.
// `purged` when it has been purged (and its slot reused) since.
// Hot in read and read_batch: inlined; the rare shared-payload path is not.
[[gnu::always_inline]] inline Log::Impl::ReadStatus Log::Impl::read_slot(Slot& slot, Offset offset,
                                                                         Record& out) const noexcept {
  if (slot.offset.load(acquire) != offset) return ReadStatus::purged;
  const std::int64_t created = slot.created_ns.load(relaxed);
  std::uint64_t size = slot.size.load(relaxed);

  if (!(size & Slot::kShared)) [[likely]] {
    // All five words, whatever the size: one cache line either way, and a fixed-size copy
    // compiles to a few moves where a variable one would call memcpy. Copied before the
    // check: `out` is ours, and a failed check makes it unused.
    if (out.size() > Record::kInlineBytes) RecordAccess::clear(out);
    copy_words(slot, out);
    std::atomic_thread_fence(acquire);
    if (slot.offset.load(relaxed) != offset) return ReadStatus::purged;
    // Validated: size and words belong to `offset`.
    RecordAccess::set_header(out, offset, created, size);
    return ReadStatus::ok;
  }

  return read_shared(slot, offset, size, out);
}

// A shared block: retain it under the slot's lock bit so no writer can drop it meanwhile.
Log::Impl::ReadStatus Log::Impl::read_shared(Slot& slot, Offset offset, std::uint64_t size,
                                             Record& out) const noexcept {
  for (;;) {
    if (!(size & Slot::kShared)) return ReadStatus::purged;  // rewritten under us
    if (size & Slot::kLocked) {
      cpu_relax();
      size = slot.size.load(relaxed);
      continue;
    }
    if (slot.size.compare_exchange_weak(size, size | Slot::kLocked, acquire, relaxed)) break;
  }
  if (slot.offset.load(relaxed) != offset) {
    slot.size.store(size, release);
    return ReadStatus::purged;
  }
  auto* block = slot.block();
  const std::int64_t created = slot.created_ns.load(relaxed);
  block->retain();
  slot.size.store(size, release);
  RecordAccess::clear(out);
  RecordAccess::set_header(out, offset, created, size & Slot::kSizeMask);
  RecordAccess::set_block(out, block);
  return ReadStatus::ok;
}

Result<Record> Log::read(Offset offset) const { return impl(*this).read(offset); }

Result<Record> Log::Impl::read(Offset offset) const {
  // One named result, returned from one place, so it is built in the caller's storage.
  Result<Record> result{std::in_place};
  // next_ first, then earliest_: next_ only grows, so at the moment earliest_ is read the
  // offset was both written and retained.
  if (offset >= next_.load(acquire))
    result = std::unexpected(make_error_code(Errc::future_offset));
  else if (offset < earliest_.load(acquire) || read_slot(*slot_for_read(offset), offset, *result) != ReadStatus::ok)
    result = std::unexpected(make_error_code(Errc::out_of_range));
  return result;
}

BatchResult Log::read_batch(Offset from, std::span<Record> out) const { return impl(*this).read_batch(from, out); }

BatchResult Log::Impl::read_batch(Offset from, std::span<Record> out) const {
  if (out.empty()) return {};
  const Offset next = next_.load(acquire);
  if (from < earliest_.load(acquire)) return {0, make_error_code(Errc::out_of_range)};
  if (from >= next) return {0, make_error_code(Errc::future_offset)};
  const auto available = static_cast<std::size_t>(next - from);
  const std::size_t count = std::min(out.size(), available);

  // Walk the slots in order instead of locating each one: same segment, same chunk, next slot.
  // Inline payloads are copied without a per-slot check: one look at earliest_ afterwards
  // validates them all (a purge moves earliest_ before any slot of it is rewritten, and the
  // writer's release fence before those stores pairs with our acquire fence below).
  std::uint64_t segment = 0, index = 0;
  divider_.divmod(static_cast<std::uint64_t>(from - options_.start_offset), segment, index);
  Slot* chunk = nullptr;
  std::size_t filled = 0;
  for (; filled < count; ++filled, ++index) {
    if (index == segment_size_) {
      ++segment;
      index = 0;
      chunk = nullptr;
    }
    if (chunk == nullptr || (index & (kChunkSlots - 1)) == 0)
      chunk = chunks_[segment & 1][index >> kChunkShift].load(acquire);
    Slot& slot = chunk[index & (kChunkSlots - 1)];
    const Offset offset = from + static_cast<Offset>(filled);
    Record& record = out[filled];
    const std::uint64_t size = slot.size.load(relaxed);
    if (size > Record::kInlineBytes) [[unlikely]] {
      // A shared block (or a slot caught mid-rewrite): the careful path, which checks itself.
      // If it finds the record purged, the ones copied before it may be torn: validate below.
      if (read_shared(slot, offset, size, record) != ReadStatus::ok) break;
      continue;
    }
    if (record.size() > Record::kInlineBytes) RecordAccess::clear(record);
    RecordAccess::set_header(record, offset, slot.created_ns.load(relaxed), size);
    copy_words(slot, record);
  }
  std::atomic_thread_fence(acquire);
  const Offset earliest = earliest_.load(relaxed);
  if (earliest > from) {
    // Overtaken by a purge while copying: the records before `earliest` may be torn, and out
    // must start at `from`, so nothing of this batch can be given.
    for (std::size_t i = 0; i < filled; ++i) RecordAccess::clear(out[i]);
    return {0, make_error_code(Errc::out_of_range)};
  }
  // A failed shared read means a purge that the check above sees; kept for safety.
  if (filled < count) return {filled, make_error_code(Errc::out_of_range)};
  if (count < out.size()) return {count, make_error_code(Errc::future_offset)};
  return {count, {}};
}

Range Log::range() const { return impl(*this).range(); }

Range Log::Impl::range() const {
  for (;;) {
    const std::uint64_t v1 = stats_version_.load(acquire);
    const Offset next = next_.load(relaxed);
    const Offset earliest = earliest_.load(relaxed);
    std::atomic_thread_fence(acquire);
    if ((v1 & 1) == 0 && stats_version_.load(relaxed) == v1) {
      if (next == options_.start_offset) return {};
      return {earliest, next - 1};
    }
    cpu_relax();
  }
}

Stats Log::stats() const { return impl(*this).stats(); }

Stats Log::Impl::stats() const {
  Stats s;
  Offset next, earliest, active_base, history_base;
  std::size_t active_bytes, history_bytes, memory;
  std::uint64_t seals;
  for (;;) {
    const std::uint64_t v1 = stats_version_.load(acquire);
    next = next_.load(relaxed);
    earliest = earliest_.load(relaxed);
    active_base = active_base_.load(relaxed);
    history_base = history_base_.load(relaxed);
    active_bytes = active_bytes_.load(relaxed);
    history_bytes = history_bytes_.load(relaxed);
    seals = seals_.load(relaxed);
    memory = memory_bytes_.load(relaxed);
    std::atomic_thread_fence(acquire);
    if ((v1 & 1) == 0 && stats_version_.load(relaxed) == v1) break;
    cpu_relax();
  }
  const Offset start = options_.start_offset;
  s.next_offset = next;
  s.range = next == start ? Range{} : Range{earliest, next - 1};
  s.segment_size = segment_size_;
  s.active_records = static_cast<std::size_t>(next - active_base);
  s.history_records = history_base < 0 ? 0 : static_cast<std::size_t>(active_base - history_base);
  s.active_bytes = active_bytes;
  s.history_bytes = history_base < 0 ? 0 : history_bytes;
  s.records_written = static_cast<std::uint64_t>(next - start);
  s.segments_sealed = seals;
  s.purges = seals > 0 ? seals - 1 : 0;
  s.records_purged = s.purges * segment_size_;
  s.memory_bytes = memory;
  return s;
}

const Options& Log::options() const noexcept { return impl(*this).options_; }

// ---- observers -----------------------------------------------------------------------------

Subscription Log::observe(std::shared_ptr<LogObserver> observer) const {
  return impl(*this).observe(std::move(observer));
}

Subscription Log::Impl::observe(std::shared_ptr<LogObserver> observer) const {
  const LogObserver* key = observer.get();
  if (observer == nullptr) return {};
  MEMLOG_ASSERT_NOT_NOTIFYING(this, "subscribe to");
  {
    std::lock_guard lock(write_mutex_);
    observers_.push_back(std::move(observer));
  }
  return Subscription{weak_from_this(), key};
}

void Log::Impl::unobserve(const LogObserver* observer) const {
  MEMLOG_ASSERT_NOT_NOTIFYING(this, "unsubscribe from");
  std::lock_guard lock(write_mutex_);
  std::erase_if(observers_, [observer](const auto& o) { return o.get() == observer; });
}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    log_ = std::move(other.log_);
    observer_ = std::exchange(other.observer_, nullptr);
  }
  return *this;
}

void Subscription::reset() {
  if (auto log = log_.lock()) impl(*log).unobserve(observer_);
  log_.reset();
  observer_ = nullptr;
}

// ---- waiting -------------------------------------------------------------------------------

void Log::Impl::wait_for_append(Offset position, const std::stop_token& stop,
                                const std::optional<std::chrono::steady_clock::time_point>& deadline) const {
  // Lock order: wait_mutex_, then write_mutex_ (writers never hold both). Registering under
  // write_mutex_ orders us against every write: a writer either published next_ before we
  // look at it, or sees waiters_ != 0 after and signals under wait_mutex_, which we hold
  // until the condition variable releases it. Writers pay no fence for this.
  std::unique_lock lock(wait_mutex_);
  {
    std::lock_guard write_lock(write_mutex_);
    if (next_.load(relaxed) > position) return;
    waiters_.fetch_add(1, relaxed);
  }
  while (next_.load(acquire) <= position && !stop.stop_requested()) {
    if (deadline) {
      if (wait_cv_.wait_until(lock, *deadline) == std::cv_status::timeout) break;
    } else {
      wait_cv_.wait(lock);
    }
  }
  std::lock_guard write_lock(write_mutex_);
  waiters_.fetch_sub(1, relaxed);
}

void Log::Impl::wake_all() const {
  { std::lock_guard lock(wait_mutex_); }  // a waiter between its check and its wait gets there first
  wait_cv_.notify_all();
}

}  // namespace memlog
