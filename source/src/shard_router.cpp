// SPDX-License-Identifier: MIT
#include <memlog/source/shard_router.hpp>

#include <algorithm>
#include <cassert>

#include <memlog/source/shard_key.hpp>

namespace memlog::shard {

ShardRouter::ShardRouter(std::shared_ptr<ShardedLog> log, std::string key_field)
    : log_(std::move(log)), key_field_(std::move(key_field)), recent_(kRecentRoutes) {
  assert(log_ && "ShardRouter: the sharded log must exist");
  per_shard_.resize(log_->shard_count());
}

Result<Routed> ShardRouter::write(std::string_view payload) {
  std::uint64_t number;
  std::string field;
  {
    std::lock_guard lock(mutex_);
    number = ++offered_;
    field = key_field_;  // short: no allocation for a field name of up to 15 bytes
  }
  std::expected<std::string, std::string> key = extract_key(payload, field);
  if (!key) {
    refuse(number, payload, std::move(key.error()));
    return std::unexpected(make_error_code(Errc::invalid_key));
  }
  const Result<std::size_t> shard = log_->shard_of(*key);
  if (!shard) {
    const std::string shown = key->substr(0, kPreviewBytes);
    refuse(number, payload,
           shard.error() == make_error_code(Errc::invalid_key)
               ? "the sharder has no shard for the key '" + shown + "'"
               : "the sharder refused the key '" + shown + "': " + shard.error().message());
    return std::unexpected(shard.error());
  }
  const Result<Offset> written = log_->shard_ptr(*shard)->write(payload);
  if (!written) {
    refuse(number, payload, "shard " + std::to_string(*shard) + " refused it: " + written.error().message());
    return std::unexpected(written.error());
  }
  std::lock_guard lock(mutex_);
  ++routed_;
  ++per_shard_[*shard];
  auto found = keys_.find(*key);
  if (found != keys_.end()) {
    ++found->second.records;
  } else if (keys_.size() < kMaxTrackedKeys) {
    keys_.emplace(*key, KeyStats{*key, *shard, 1});
  } else {
    ++untracked_;
  }
  RouteEvent& event = recent_[number % kRecentRoutes];
  event.number = number;
  event.key = std::move(*key);
  event.shard = *shard;
  return Routed{*shard, *written};
}

std::string ShardRouter::key_field() const {
  std::lock_guard lock(mutex_);
  return key_field_;
}

void ShardRouter::set_key_field(std::string field) {
  std::lock_guard lock(mutex_);
  key_field_ = std::move(field);
}

void ShardRouter::refuse(std::uint64_t number, std::string_view payload, std::string reason) {
  std::lock_guard lock(mutex_);
  ++refused_;
  last_refused_ = RefusedRecord{number, std::string(payload.substr(0, kPreviewBytes)), std::move(reason)};
}

RouterCounters ShardRouter::counters() const {
  std::lock_guard lock(mutex_);
  return RouterCounters{offered_, routed_, refused_, last_refused_, keys_.size(), untracked_, per_shard_};
}

std::vector<KeyStats> ShardRouter::keys() const {
  std::lock_guard lock(mutex_);
  std::vector<KeyStats> out;
  out.reserve(keys_.size());
  for (const auto& [key, stats] : keys_) out.push_back(stats);
  return out;
}

std::uint64_t ShardRouter::records_of(const std::string& key) const {
  std::lock_guard lock(mutex_);
  const auto found = keys_.find(key);
  return found == keys_.end() ? 0 : found->second.records;
}

std::vector<RouteEvent> ShardRouter::recent_since(std::uint64_t number) const {
  std::lock_guard lock(mutex_);
  std::vector<RouteEvent> out;
  // Routed records are numbered among all offered ones, so the ring holds gaps (refusals) and,
  // with several writers, numbers not yet stored: keep the ones that are there, in order.
  const std::uint64_t oldest = offered_ > kRecentRoutes ? offered_ - kRecentRoutes + 1 : 1;
  for (std::uint64_t n = std::max(number + 1, oldest); n <= offered_; ++n) {
    const RouteEvent& event = recent_[n % kRecentRoutes];
    if (event.number == n) out.push_back(event);
  }
  return out;
}

}  // namespace memlog::shard
