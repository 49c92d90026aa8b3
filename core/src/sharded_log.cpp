// SPDX-License-Identifier: MIT
#include <memlog/sharded_log.hpp>

#include <cassert>
#include <climits>
#include <cstdlib>
#include <typeinfo>

namespace memlog {
namespace {

__extension__ using u128 = unsigned __int128;  // 64x64->128-bit products (GCC/Clang)

std::span<const std::byte> bytes_of(std::string_view s) noexcept {
  return std::as_bytes(std::span{s.data(), s.size()});
}

}  // namespace

std::uint32_t FnvSharder::hash(std::span<const std::byte> key) noexcept {
  std::uint32_t h = 2166136261u;  // FNV-1a 32 offset basis
  for (std::byte b : key) {
    h ^= static_cast<std::uint32_t>(b);
    h *= 16777619u;  // FNV 32 prime
  }
  return h;
}

Result<std::size_t> FnvSharder::shard(std::span<const std::byte> key, std::size_t shards) const {
  if (shards == 0 || shards > static_cast<std::size_t>(INT32_MAX))
    return std::unexpected(make_error_code(Errc::invalid_options));
  // As Go: abs(int32(h) % int32(shards)); % truncates toward zero in both languages.
  const auto h = static_cast<std::int32_t>(hash(key));
  return static_cast<std::size_t>(std::abs(h % static_cast<std::int32_t>(shards)));
}

KeySharder::KeySharder(std::vector<std::string> keys) : key_count_(keys.size()) {
  for (std::size_t i = 0; i < keys.size(); ++i) index_.try_emplace(std::move(keys[i]), i);
}

Result<std::size_t> KeySharder::shard(std::span<const std::byte> key, std::size_t shards) const {
  if (key_count_ > shards) return std::unexpected(make_error_code(Errc::invalid_options));
  const auto it = index_.find(std::string{reinterpret_cast<const char*>(key.data()), key.size()});
  if (it == index_.end()) return std::unexpected(make_error_code(Errc::invalid_key));
  return it->second;
}

Result<std::shared_ptr<ShardedLog>> ShardedLog::create(ShardedOptions options) {
  if (options.shards < 2) return std::unexpected(make_error_code(Errc::invalid_options));
  if (!options.sharder) options.sharder = std::make_shared<FnvSharder>();
  std::shared_ptr<ShardedLog> sharded{new ShardedLog(std::move(options))};
  // Exactly FnvSharder (not a subclass that may choose otherwise), and a count it accepts.
  const Sharder& sharder = *sharded->options_.sharder;
  if (typeid(sharder) == typeid(FnvSharder) && sharded->options_.shards <= static_cast<std::size_t>(INT32_MAX)) {
    sharded->fnv_ = true;
    sharded->fnv_multiplier_ = ~std::uint64_t{0} / sharded->options_.shards;
  }
  sharded->shards_.reserve(sharded->options_.shards);
  for (std::size_t i = 0; i < sharded->options_.shards; ++i) {
    auto log = Log::create(sharded->options_.log);
    if (!log) return std::unexpected(log.error());
    sharded->shards_.push_back(std::move(*log));
  }
  return sharded;
}

std::size_t ShardedLog::fnv_index(std::string_view key) const noexcept {
  const auto h = static_cast<std::int32_t>(FnvSharder::hash(bytes_of(key)));
  const std::uint64_t n =
      h < 0 ? static_cast<std::uint64_t>(-static_cast<std::int64_t>(h)) : static_cast<std::uint64_t>(h);
  const std::uint64_t d = shards_.size();
  const auto q = static_cast<std::uint64_t>((static_cast<u128>(n) * fnv_multiplier_) >> 64);
  std::uint64_t r = n - q * d;
  if (r >= d) r -= d;
  return static_cast<std::size_t>(r);
}

Result<std::size_t> ShardedLog::shard_of(std::string_view key) const {
  if (key.empty()) return std::unexpected(make_error_code(Errc::invalid_key));
  if (fnv_) return fnv_index(key);
  auto index = options_.sharder->shard(bytes_of(key), shards_.size());
  if (!index) return index;  // the sharder's error, unchanged
  if (*index >= shards_.size()) return std::unexpected(make_error_code(Errc::invalid_key));
  return index;
}

Result<Offset> ShardedLog::write(std::string_view key, std::span<const std::byte> data) {
  if (fnv_ && !key.empty()) return shards_[fnv_index(key)]->write(data);  // the common case, directly
  auto index = shard_of(key);
  if (!index) return std::unexpected(index.error());
  return shards_[*index]->write(data);
}

Result<Offset> ShardedLog::write(std::string_view key, std::string_view data) { return write(key, bytes_of(data)); }

Result<Record> ShardedLog::read(std::string_view key, Offset offset) const {
  auto index = shard_of(key);
  if (!index) return std::unexpected(index.error());
  return shards_[*index]->read(offset);
}

const Log& ShardedLog::shard(std::size_t index) const {
  assert(index < shards_.size() && "ShardedLog::shard: index out of range");
  return *shards_[index];
}

std::shared_ptr<const Log> ShardedLog::shard_ptr(std::size_t index) const {
  assert(index < shards_.size() && "ShardedLog::shard_ptr: index out of range");
  return shards_[index];
}

std::shared_ptr<Log> ShardedLog::shard_ptr(std::size_t index) {
  assert(index < shards_.size() && "ShardedLog::shard_ptr: index out of range");
  return shards_[index];
}

}  // namespace memlog
