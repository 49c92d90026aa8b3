// SPDX-License-Identifier: MIT
// The names of real sources, as the command line and the source panel take them:
//   stdin                          one record per line of standard input
//   file:PATH                      one record per line of a file, followed as it grows
//   http:URL (or the bare URL)     a JSON REST endpoint polled every so often
//   redis:HOST:PORT/STREAM[@ID]    a Redis stream tailed from ID (default $, the newest)
// parse_feed_spec() checks the form, not whether the source is there: an unreachable source
// is the feed's business (reported, retried), not a usage error.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <memlog/source/redis_stream_address.hpp>

namespace memlog::feed {

struct FeedSpec {
  enum class Kind { standard_input, file, http, redis };
  Kind kind = Kind::standard_input;
  std::string target;        // the path, the URL, or the Redis stream's "HOST:PORT/STREAM[@ID]"
  RedisStreamAddress redis;  // for Kind::redis: the stream
  std::string from = "$";    // for Kind::redis: the entry ID to read after ("0" = from the start, "$" = only new)
  std::string text() const;  // back to the form above ("file:/var/log/syslog")
};

// Parses one of the forms above; the error says which forms exist.
std::expected<FeedSpec, std::string> parse_feed_spec(std::string_view text);

}  // namespace memlog::feed
