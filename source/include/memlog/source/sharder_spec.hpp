// SPDX-License-Identifier: MIT
// The sharder a sharded log uses, as the command line and the configuration panel name it:
//   fnv              Go memlog's default: FNV-1a of the key (memlog::FnvSharder)
//   keys:K1,K2,...   the key list: K1 on shard 0, K2 on shard 1, ... (memlog::KeySharder);
//                    any other key is refused (counted and shown, never guessed)
// Threading: pure functions.
#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <memlog/sharded_log.hpp>

namespace memlog::shard {

struct SharderSpec {
  enum class Kind { fnv, keys };
  Kind kind = Kind::fnv;
  std::vector<std::string> keys;  // for Kind::keys: keys[i] goes to shard i
  std::string text() const;       // back to the form above
  std::string_view name() const noexcept { return kind == Kind::fnv ? "fnv" : "keys"; }
  std::shared_ptr<const Sharder> make() const;
  friend bool operator==(const SharderSpec&, const SharderSpec&) = default;
};

// Parses one of the forms above: keys must be non-empty, distinct, without commas.
std::expected<SharderSpec, std::string> parse_sharder_spec(std::string_view text);

// Whether `spec` fits `shards` shards (a key list no longer than the shard count), else why not.
std::expected<void, std::string> check_sharder(const SharderSpec& spec, std::size_t shards);

inline constexpr std::size_t kMinShards = 2;
inline constexpr std::size_t kMaxShards = 1024;  // what the monitor draws and serves

}  // namespace memlog::shard
