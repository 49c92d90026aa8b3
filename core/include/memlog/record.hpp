// SPDX-License-Identifier: MIT
// Record: one immutable entry of the log, as a value.
//
// Small payloads (up to kInlineBytes) are copied into the Record itself, so reading them
// touches no shared reference count (two reader threads never write the same cache line).
// Larger payloads live in an immutable, reference-counted block that the Record shares: a
// copy of such a Record costs one atomic increment, never a copy of the bytes. Either way a
// Record stays valid after the log has purged its offset, and after the log is gone.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include <memlog/options.hpp>

namespace memlog {

namespace detail {
class RecordAccess;

// An immutable payload shared by the Records that read it. The bytes follow the header.
struct PayloadBlock {
  std::atomic<std::uint32_t> refs;
  std::size_t size;

  std::byte* bytes() noexcept { return reinterpret_cast<std::byte*>(this + 1); }
  const std::byte* bytes() const noexcept { return reinterpret_cast<const std::byte*>(this + 1); }

  static PayloadBlock* make(std::span<const std::byte> data);  // refs == 1
  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept;
};
}  // namespace detail

class Record {
 public:
  // Payloads up to this size are stored inline; the Record is exactly one cache line.
  static constexpr std::size_t kInlineBytes = 40;

  Record() noexcept : inline_{} {}  // the empty record: offset() == -1, no data
  Record(const Record& other) noexcept { copy_from(other); }
  Record(Record&& other) noexcept { steal_from(other); }
  Record& operator=(const Record& other) noexcept {
    if (this != &other) {
      drop();
      copy_from(other);
    }
    return *this;
  }
  Record& operator=(Record&& other) noexcept {
    if (this != &other) {
      drop();
      steal_from(other);
    }
    return *this;
  }
  ~Record() { drop(); }

  Offset offset() const noexcept { return offset_; }
  Timestamp created() const noexcept {
    return Timestamp{std::chrono::duration_cast<Timestamp::duration>(std::chrono::nanoseconds{created_ns_})};
  }
  std::size_t size() const noexcept { return size_; }
  std::span<const std::byte> data() const noexcept { return {bytes(), size_}; }
  std::string_view text() const noexcept { return {reinterpret_cast<const char*>(bytes()), size_}; }

  // Equal when offset, created and bytes are equal.
  friend bool operator==(const Record& a, const Record& b) noexcept {
    return a.offset_ == b.offset_ && a.created_ns_ == b.created_ns_ && a.size_ == b.size_ &&
           (a.size_ == 0 || std::memcmp(a.bytes(), b.bytes(), a.size_) == 0);
  }

 private:
  friend class detail::RecordAccess;

  bool is_shared() const noexcept { return size_ > kInlineBytes; }
  const std::byte* bytes() const noexcept { return is_shared() ? block_->bytes() : inline_; }

  void copy_from(const Record& other) noexcept {
    copy_fields(other);
    if (is_shared()) block_->retain();
  }
  void steal_from(Record& other) noexcept {
    copy_fields(other);
    other.offset_ = -1;
    other.created_ns_ = 0;
    other.size_ = 0;
  }
  // The union whole, whichever member is live (the inline bytes or the block pointer).
  void copy_fields(const Record& other) noexcept {
    offset_ = other.offset_;
    created_ns_ = other.created_ns_;
    size_ = other.size_;
    std::memcpy(static_cast<void*>(inline_), other.inline_, kInlineBytes);
  }
  void drop() noexcept {
    if (is_shared()) block_->release();
    size_ = 0;
  }

  Offset offset_ = -1;
  std::int64_t created_ns_ = 0;  // nanoseconds since the system_clock epoch
  std::size_t size_ = 0;
  union {
    std::byte inline_[kInlineBytes];
    detail::PayloadBlock* block_;
  };
};

static_assert(sizeof(Record) == 64, "a Record is one cache line");

}  // namespace memlog
