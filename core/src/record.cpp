// SPDX-License-Identifier: MIT
#include <memlog/record.hpp>

#include <new>

namespace memlog::detail {

PayloadBlock* PayloadBlock::make(std::span<const std::byte> data) {
  void* memory = ::operator new(sizeof(PayloadBlock) + data.size());
  auto* block = new (memory) PayloadBlock{{1}, data.size()};
  std::memcpy(block->bytes(), data.data(), data.size());
  return block;
}

void PayloadBlock::release() noexcept {
  // acq_rel: the last owner must see every other owner's reads finished before it frees.
  if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    this->~PayloadBlock();
    ::operator delete(static_cast<void*>(this));
  }
}

}  // namespace memlog::detail
