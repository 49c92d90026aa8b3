// SPDX-License-Identifier: MIT
// ShardedLog: many independent logs, a record's key choosing its shard.
//
// Threading: every member is safe to call from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <memlog/log.hpp>

namespace memlog {

class Sharder {
 public:
  virtual ~Sharder() = default;
  // The shard index in [0, shards) for `key`, or an error (passed through by ShardedLog).
  virtual Result<std::size_t> shard(std::span<const std::byte> key, std::size_t shards) const = 0;
};

// Go memlog's default: h = FNV-1a 32(key), shard = abs(int32(h) % int32(shards)), so a key
// lands on the same shard index as it does there. shards == 0 or > INT32_MAX: invalid_options.
class FnvSharder : public Sharder {
 public:
  Result<std::size_t> shard(std::span<const std::byte> key, std::size_t shards) const override;
  static std::uint32_t hash(std::span<const std::byte> key) noexcept;  // FNV-1a, 32 bits
};

// Maps keys[i] to shard i. invalid_options when keys.size() > shards, invalid_key for an
// unknown key.
class KeySharder : public Sharder {
 public:
  explicit KeySharder(std::vector<std::string> keys);
  Result<std::size_t> shard(std::span<const std::byte> key, std::size_t shards) const override;

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t key_count_;
};

struct ShardedOptions {
  std::size_t shards = 1000;               // >= 2
  Options log = {};                        // applied to every shard
  std::shared_ptr<const Sharder> sharder;  // empty = FnvSharder
};

class ShardedLog {
 public:
  static Result<std::shared_ptr<ShardedLog>> create(ShardedOptions options = {});

  Result<Offset> write(std::string_view key, std::span<const std::byte> data);
  Result<Offset> write(std::string_view key, std::string_view data);
  Result<Record> read(std::string_view key, Offset offset) const;

  // The shard `key` maps to (invalid_key for an empty key or an index out of range).
  Result<std::size_t> shard_of(std::string_view key) const;
  std::size_t shard_count() const noexcept { return shards_.size(); }
  const Log& shard(std::size_t index) const;
  std::shared_ptr<const Log> shard_ptr(std::size_t index) const;  // e.g. to stream a shard
  // The shard itself, writable: a router that chose the shard once writes to it directly
  // (the same as write(key, ...) for a key of that shard, without hashing it again).
  std::shared_ptr<Log> shard_ptr(std::size_t index);
  const ShardedOptions& options() const noexcept { return options_; }

 private:
  explicit ShardedLog(ShardedOptions options) : options_(std::move(options)) {}
  // The default sharder's choice without the virtual call and the division: Go's
  // abs(int32(h) % n) is |int32(h)| mod n (the remainder takes the dividend's sign), and the
  // modulo by the fixed n is a multiplication (m = floor((2^64 - 1) / n), one correction step).
  std::size_t fnv_index(std::string_view key) const noexcept;

  ShardedOptions options_;
  std::vector<std::shared_ptr<Log>> shards_;
  bool fnv_ = false;  // the sharder is exactly FnvSharder: fnv_index() gives its answer
  std::uint64_t fnv_multiplier_ = 0;
};

}  // namespace memlog
