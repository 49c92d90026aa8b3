// SPDX-License-Identifier: MIT
// RedisFeed: tails a Redis stream (XREAD BLOCK) into a memlog::Log — the monitor watching a
// stream other machines produce. One record per entry: the entry's `payload` field when it
// has one (as RedisMirror writes), else the entry's fields as a JSON object.
//
// It starts after `from` ("$" = entries added from now on, resolved to the
// stream's top ID when first connected so a reconnection misses nothing; "0" = the whole
// stream) and remembers the last entry ID it wrote: after a lost connection it resumes right
// after it. Failures are reported and retried with back-off (see memlog::feed::Feed).
#pragma once

#include <memlog/source/feed.hpp>
#include <memlog/source/redis_stream_address.hpp>

namespace memlog::redis {

class RedisFeed final : public feed::Feed {
 public:
  // `from`: an entry ID to read after ("0" = the whole stream, "$" = only new entries).
  RedisFeed(std::shared_ptr<Log> log, RedisStreamAddress stream, std::string from = "$");
  ~RedisFeed() override;  // stops

  std::string last_id() const;  // the last entry ID written to the log ("" before the first)

 private:
  SessionEnd session(std::stop_token stop) override;

  const RedisStreamAddress stream_;
  const std::string from_;
  mutable std::mutex id_mutex_;
  std::string last_id_;
};

}  // namespace memlog::redis
