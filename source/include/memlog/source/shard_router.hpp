// SPDX-License-Identifier: MIT
// ShardRouter: how records reach a sharded log. For each payload it takes the key (the JSON
// field it was given, or the whole payload; see shard_key.hpp), lets the log's sharder choose
// the shard and writes the record there. It keeps what the monitor shows of the routing: each
// key's shard and record count, the most recent routes (for the animation), and every record
// it could not route — no key, a key the sharder refuses, a record the shard refuses — counted,
// the last one kept with its reason. A refused record is never put on a guessed shard.
//
// Threading: every member may be called from any thread; writes from several threads are
// routed independently (the shards' own writes are lock-free; the routing statistics take a
// short lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <memlog/sharded_log.hpp>

namespace memlog::shard {

struct Routed {
  std::size_t shard = 0;
  Offset offset = -1;
};

// A record the router could not place.
struct RefusedRecord {
  std::uint64_t number = 0;  // which record: the router's count of records offered, from 1
  std::string preview;       // its first bytes (at most kPreviewBytes)
  std::string reason;        // why: "no field \"device\"", "the key list has no key 'x'", ...
};

struct KeyStats {
  std::string key;
  std::size_t shard = 0;
  std::uint64_t records = 0;
};

struct RouteEvent {
  std::uint64_t number = 0;  // the record's number (as in RefusedRecord)
  std::string key;
  std::size_t shard = 0;
};

struct RouterCounters {
  std::uint64_t offered = 0;  // records given to write()
  std::uint64_t routed = 0;   // written to their shard
  std::uint64_t refused = 0;  // not written (see last_refused)
  std::optional<RefusedRecord> last_refused;
  std::size_t keys = 0;                  // distinct keys tracked
  std::uint64_t untracked = 0;           // routed records of keys beyond kMaxTrackedKeys
  std::vector<std::uint64_t> per_shard;  // records routed to each shard
};

class ShardRouter {
 public:
  static constexpr std::size_t kMaxTrackedKeys = 20'000;  // per-key counts kept (memory bound)
  static constexpr std::size_t kRecentRoutes = 256;       // routes kept for recent_since()
  static constexpr std::size_t kPreviewBytes = 80;

  // `log` must exist; `key_field` empty = the whole payload is the key.
  ShardRouter(std::shared_ptr<ShardedLog> log, std::string key_field);

  // Routes one record. Errors: invalid_key (no key, or the sharder refused it), or the shard's
  // own (record_too_large, empty_record); each is counted and kept as last_refused.
  Result<Routed> write(std::string_view payload);

  const std::shared_ptr<ShardedLog>& log() const noexcept { return log_; }
  std::string key_field() const;
  // Records offered from now on are keyed by `field` (e.g. the simulation switched systems).
  void set_key_field(std::string field);

  RouterCounters counters() const;
  std::vector<KeyStats> keys() const;  // the tracked keys, in no particular order
  // Records routed so far with `key` (0 when none, or when it is beyond kMaxTrackedKeys).
  std::uint64_t records_of(const std::string& key) const;
  // The routes numbered after `number` still kept (at most kRecentRoutes), oldest first.
  std::vector<RouteEvent> recent_since(std::uint64_t number) const;

 private:
  void refuse(std::uint64_t number, std::string_view payload, std::string reason);

  const std::shared_ptr<ShardedLog> log_;
  mutable std::mutex mutex_;  // guards everything below (held briefly, never while writing)
  std::string key_field_;
  std::uint64_t offered_ = 0, routed_ = 0, refused_ = 0, untracked_ = 0;
  std::optional<RefusedRecord> last_refused_;
  std::unordered_map<std::string, KeyStats> keys_;
  std::vector<std::uint64_t> per_shard_;
  std::vector<RouteEvent> recent_;  // a ring: route n at n % kRecentRoutes
};

}  // namespace memlog::shard
