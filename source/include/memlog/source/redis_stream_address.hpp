// SPDX-License-Identifier: MIT
// RedisStreamAddress: where a Redis stream is — a server and the stream's key — as the mirror
// writes to it and a Redis source reads from it, and the one parser of its written form
//   [redis:]HOST:PORT/STREAM      e.g. redis:127.0.0.1:6379/events, cache/events (port 6379)
// with an IPv6 host in brackets ("redis:[::1]:6380/events"). The "redis:" prefix is optional
// here; where a name may be of several kinds (parse_feed_spec) it is what says "Redis".
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace memlog {

inline constexpr std::string_view kRedisPrefix = "redis:";

struct RedisStreamAddress {
  std::string host;  // name or IPv4/IPv6 address (kept without the brackets)
  int port = 6379;
  std::string stream;  // the stream's key

  std::string text() const;  // "HOST:PORT/STREAM" ("[::1]:6379/s"), without the prefix
  bool operator==(const RedisStreamAddress&) const = default;
};

// Parses "[redis:]HOST:PORT/STREAM"; the error names what is wrong and shows the form. An
// "@ID" after the stream is refused (an address names no entry: parse_feed_spec takes a
// source's starting ID off before it parses the address).
std::expected<RedisStreamAddress, std::string> parse_redis_stream_address(std::string_view text);

}  // namespace memlog
