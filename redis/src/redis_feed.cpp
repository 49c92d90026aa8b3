// SPDX-License-Identifier: MIT
// RedisFeed: a Redis stream tailed with XREAD BLOCK into a log (see redis_feed.hpp for the contract).
#include <memlog/redis/redis_feed.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include <memlog/source/utf8.hpp>

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

// Standard base64 (RFC 4648, with padding), as QByteArray::toBase64 writes it for the server.
void append_base64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    const std::uint32_t n = (std::uint32_t{p[i]} << 16) | (rest == 2 ? std::uint32_t{p[i + 1]} << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
}

// `text`, valid UTF-8, as a quoted JSON string.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
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
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_base64_string(std::string& out, std::string_view bytes) {
  out += '"';
  append_base64(out, bytes);
  out += '"';
}

// One field of an entry without a payload, as a member of its JSON object. Bytes that are not
// UTF-8 cannot go into JSON as they are: like the server's record of a binary payload
// ({"encoding":"base64","payload":...}) they go as base64, marked —
//   "name":"value"                                               both valid UTF-8
//   "name":{"encoding":"base64","value":"<value in base64>"}     the value is not
//   "<name in base64>":{"encoding":"base64","name_encoding":"base64","value":"<value in base64>"}
//                                                                the name is not
// so every valid field reads back as it was, and a binary one is marked and whole.
void append_field(std::string& out, std::string_view name, std::string_view value) {
  const bool name_ok = text::is_valid_utf8(name);
  if (name_ok && text::is_valid_utf8(value)) {
    append_json_string(out, name);
    out += ':';
    append_json_string(out, value);
    return;
  }
  if (name_ok)
    append_json_string(out, name);
  else
    append_base64_string(out, name);
  out += name_ok ? R"(:{"encoding":"base64","value":)" : R"(:{"encoding":"base64","name_encoding":"base64","value":)";
  append_base64_string(out, value);
  out += '}';
}

// An entry's record: its "payload" field (bytes as they are: the log holds any bytes), else all
// its fields as a JSON object (see append_field).
std::string payload_of(const redisReply* fields) {
  for (std::size_t i = 0; i + 1 < fields->elements; i += 2)
    if (text_of(fields->element[i]) == "payload") return std::string(text_of(fields->element[i + 1]));
  std::string json = "{";
  for (std::size_t i = 0; i + 1 < fields->elements; i += 2) {
    if (i > 0) json += ',';
    append_field(json, text_of(fields->element[i]), text_of(fields->element[i + 1]));
  }
  return json + "}";
}
}  // namespace

RedisFeed::RedisFeed(std::shared_ptr<Log> log, RedisStreamAddress stream, std::string from)
    : Feed(std::string(kRedisPrefix) + stream.text() + (from != "$" ? "@" + from : ""), std::move(log)),
      stream_(std::move(stream)),
      from_(std::move(from)) {}

RedisFeed::~RedisFeed() { stop(); }

std::string RedisFeed::last_id() const {
  std::lock_guard lock(id_mutex_);
  return last_id_;
}

feed::Feed::SessionEnd RedisFeed::session(std::stop_token stop) {
  detail::Connection redis(stream_.host, stream_.port, kConnectTimeout, kReplyTimeout);
  const std::string where = redis.address() + "/" + stream_.stream;
  std::string after = last_id();
  if (after.empty()) {
    // "$" is resolved once, to the stream's newest entry now: a reconnection then resumes
    // right after the last entry written, missing nothing added while disconnected.
    after = from_;
    if (after == "$") {
      const Reply top = redis.command({"XREVRANGE", stream_.stream, "+", "-", "COUNT", "1"});
      if (detail::is_error(top.get())) throw SessionError(where + ": " + std::string(text_of(top.get())));
      after = top->type == REDIS_REPLY_ARRAY && top->elements > 0 ? std::string(text_of(top->element[0]->element[0]))
                                                                  : "0-0";
    }
    std::lock_guard lock(id_mutex_);
    last_id_ = after;
  }
  set_position("after entry " + after);
  bool first = true;
  while (!stop.stop_requested()) {
    const Reply reply = redis.command({"XREAD", "COUNT", kCount, "BLOCK", kBlockMs, "STREAMS", stream_.stream, after});
    if (detail::is_error(reply.get())) throw SessionError(where + ": " + std::string(text_of(reply.get())));
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
