// SPDX-License-Identifier: MIT
// RedisFeed: a Redis stream tailed with XREAD BLOCK into a log (see redis_feed.hpp for the contract).
#include <memlog/redis/redis_feed.hpp>

#include "redis_connection.hpp"

namespace memlog::redis {

namespace {
using namespace std::chrono_literals;
using detail::Reply;
using detail::text_of;

constexpr auto kConnectTimeout = 2s;
constexpr auto kReplyTimeout = 5s;            // above XREAD's BLOCK, so a quiet stream is not a timeout
constexpr std::string_view kBlockMs = "500";  // how long XREAD waits: also how soon stop() is noticed
constexpr std::string_view kCount = "512";

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// An entry's record: its "payload" field, else all its fields as a JSON object.
std::string payload_of(const redisReply* fields) {
  for (std::size_t i = 0; i + 1 < fields->elements; i += 2)
    if (text_of(fields->element[i]) == "payload") return std::string(text_of(fields->element[i + 1]));
  std::string json = "{";
  for (std::size_t i = 0; i + 1 < fields->elements; i += 2) {
    if (i > 0) json += ',';
    append_json_string(json, text_of(fields->element[i]));
    json += ':';
    append_json_string(json, text_of(fields->element[i + 1]));
  }
  return json + "}";
}
}  // namespace

RedisFeed::RedisFeed(std::shared_ptr<Log> log, feed::RedisTarget target)
    : Feed("redis:" + target.text(), std::move(log)), target_(std::move(target)) {}

RedisFeed::~RedisFeed() { stop(); }

std::string RedisFeed::last_id() const {
  std::lock_guard lock(id_mutex_);
  return last_id_;
}

feed::Feed::SessionEnd RedisFeed::session(std::stop_token stop) {
  detail::Connection redis(target_.host, target_.port, kConnectTimeout, kReplyTimeout);
  const std::string where = redis.address() + "/" + target_.stream;
  std::string after = last_id();
  if (after.empty()) {
    // "$" is resolved once, to the stream's newest entry now: a reconnection then resumes
    // right after the last entry written, missing nothing added while disconnected.
    after = target_.from;
    if (after == "$") {
      const Reply top = redis.command({"XREVRANGE", target_.stream, "+", "-", "COUNT", "1"});
      if (detail::is_error(top.get())) throw feed::FeedError(where + ": " + std::string(text_of(top.get())));
      after = top->type == REDIS_REPLY_ARRAY && top->elements > 0 ? std::string(text_of(top->element[0]->element[0]))
                                                                  : "0-0";
    }
    std::lock_guard lock(id_mutex_);
    last_id_ = after;
  }
  set_position("after entry " + after);
  bool first = true;
  while (!stop.stop_requested()) {
    const Reply reply = redis.command({"XREAD", "COUNT", kCount, "BLOCK", kBlockMs, "STREAMS", target_.stream, after});
    if (detail::is_error(reply.get())) throw feed::FeedError(where + ": " + std::string(text_of(reply.get())));
    if (first) {  // the stream answered: reading
      connected();
      first = false;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements == 0) continue;  // nothing new within BLOCK
    const redisReply* entries = reply->element[0]->element[1];
    for (std::size_t i = 0; i < entries->elements; ++i) {
      const redisReply* entry = entries->element[i];
      write(payload_of(entry->element[1]), stop);  // a refused record is reported by Feed, and passed
      if (stop.stop_requested()) return SessionEnd::finished;
      after = std::string(text_of(entry->element[0]));
      std::lock_guard lock(id_mutex_);
      last_id_ = after;
    }
    set_position("entry " + after);
  }
  return SessionEnd::finished;
}

}  // namespace memlog::redis
