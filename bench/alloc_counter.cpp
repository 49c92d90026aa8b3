// SPDX-License-Identifier: MIT
// The replacement of every global operator new/delete form, counting into thread-locals.
#include "alloc_counter.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

namespace {

// Plain integers with static storage: zero-initialised, no constructor and no guard, so they
// are usable from the first allocation of a thread to its last (during its teardown too).
thread_local std::uint64_t t_allocations = 0;
thread_local std::uint64_t t_bytes_allocated = 0;
thread_local std::uint64_t t_bytes_freed = 0;
std::atomic<bool> g_track_bytes{false};

void* counted(void* p) noexcept {
  if (p != nullptr) {
    ++t_allocations;
    if (g_track_bytes.load(std::memory_order_relaxed)) t_bytes_allocated += malloc_usable_size(p);
  }
  return p;
}

void* allocate(std::size_t size) noexcept { return counted(std::malloc(size == 0 ? 1 : size)); }

void* allocate(std::size_t size, std::align_val_t alignment) noexcept {
  void* p = nullptr;
  const std::size_t align = std::max(static_cast<std::size_t>(alignment), sizeof(void*));
  if (posix_memalign(&p, align, size == 0 ? 1 : size) != 0) return nullptr;
  return counted(p);
}

void* allocate_or_throw(std::size_t size) {
  if (void* p = allocate(size)) return p;
  throw std::bad_alloc{};
}

void* allocate_or_throw(std::size_t size, std::align_val_t alignment) {
  if (void* p = allocate(size, alignment)) return p;
  throw std::bad_alloc{};
}

void deallocate(void* p) noexcept {
  if (p == nullptr) return;
  if (g_track_bytes.load(std::memory_order_relaxed)) t_bytes_freed += malloc_usable_size(p);
  std::free(p);
}

}  // namespace

namespace memlog::bench {

AllocStats thread_alloc_stats() noexcept { return {t_allocations, t_bytes_allocated, t_bytes_freed}; }

void track_bytes(bool on) noexcept { g_track_bytes.store(on, std::memory_order_relaxed); }

}  // namespace memlog::bench

// All the replaceable forms, so that no allocation of the program escapes the count and no
// block is freed by a different allocator than the one that made it.
void* operator new(std::size_t size) { return allocate_or_throw(size); }
void* operator new[](std::size_t size) { return allocate_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment) { return allocate_or_throw(size, alignment); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return allocate_or_throw(size, alignment); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return allocate(size, alignment);
}

void operator delete(void* p) noexcept { deallocate(p); }
void operator delete[](void* p) noexcept { deallocate(p); }
void operator delete(void* p, std::size_t) noexcept { deallocate(p); }
void operator delete[](void* p, std::size_t) noexcept { deallocate(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { deallocate(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { deallocate(p); }
void operator delete(void* p, std::align_val_t) noexcept { deallocate(p); }
void operator delete[](void* p, std::align_val_t) noexcept { deallocate(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { deallocate(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { deallocate(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { deallocate(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { deallocate(p); }
