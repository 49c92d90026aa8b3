// SPDX-License-Identifier: MIT
#include <memlog/source/feed_spec.hpp>

namespace memlog::feed {

namespace {
bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// A Redis entry ID: "$", "0", "MS" or "MS-SEQ" with decimal numbers.
bool valid_entry_id(std::string_view id) {
  if (id == "$") return true;
  const auto number = [](std::string_view digits) {
    return !digits.empty() && digits.size() <= 20 && digits.find_first_not_of("0123456789") == std::string_view::npos;
  };
  const std::size_t dash = id.find('-');
  if (dash == std::string_view::npos) return number(id);
  return number(id.substr(0, dash)) && number(id.substr(dash + 1));
}
}  // namespace

std::string FeedSpec::text() const {
  switch (kind) {
    case Kind::standard_input:
      return "stdin";
    case Kind::file:
      return "file:" + target;
    case Kind::http:
      return "http:" + target;
    case Kind::redis:
      return std::string(kRedisPrefix) + target;
  }
  return target;
}

std::expected<FeedSpec, std::string> parse_feed_spec(std::string_view text) {
  FeedSpec spec;
  if (text == "stdin" || text == "-") {
    spec.kind = FeedSpec::Kind::standard_input;
    return spec;
  }
  if (starts_with(text, "file:")) {
    spec.kind = FeedSpec::Kind::file;
    spec.target = std::string(text.substr(5));
    if (spec.target.empty()) return std::unexpected(std::string("file: needs a path, e.g. file:/var/log/syslog"));
    return spec;
  }
  if (starts_with(text, "http:") || starts_with(text, "https:")) {
    spec.kind = FeedSpec::Kind::http;
    // "http:URL" or the URL itself.
    std::string_view url = text;
    if (starts_with(text, "http:") && !starts_with(text, "http://")) url = text.substr(5);
    if (!starts_with(url, "http://") && !starts_with(url, "https://"))
      return std::unexpected(
          "'" + std::string(url) +
          "' is not an http:// or https:// URL (http:URL, e.g. http:http://127.0.0.1:8080/api/events)");
    if (url.find_first_of(" \t\r\n") != std::string_view::npos)
      return std::unexpected(std::string("a URL has no spaces: '") + std::string(url) + "'");
    const std::string_view rest = url.substr(url.find("//") + 2);
    if (rest.empty() || rest.front() == '/') return std::unexpected("no host in '" + std::string(url) + "'");
    spec.target = std::string(url);
    return spec;
  }
  if (starts_with(text, kRedisPrefix)) {
    // "redis:HOST:PORT/STREAM" and, after the stream, the entry ID to start after.
    spec.kind = FeedSpec::Kind::redis;
    std::string_view address = text;
    if (const std::size_t at = text.rfind('@'); at != std::string_view::npos && at > text.find('/')) {
      spec.from = std::string(text.substr(at + 1));
      address = text.substr(0, at);
      if (!valid_entry_id(spec.from))
        return std::unexpected("'" + spec.from + "' is not a Redis entry ID (MS-SEQ, 0, or $ for only new entries)");
    }
    auto stream = parse_redis_stream_address(address);
    if (!stream) return std::unexpected(stream.error());
    spec.redis = std::move(*stream);
    spec.target = spec.redis.text() + (spec.from != "$" ? "@" + spec.from : "");
    return spec;
  }
  return std::unexpected("unknown source '" + std::string(text) +
                         "' (sensor, inventory, tickets, stdin, file:PATH, http:URL or redis:HOST:PORT/STREAM)");
}

}  // namespace memlog::feed
