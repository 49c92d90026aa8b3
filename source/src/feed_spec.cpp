// SPDX-License-Identifier: MIT
#include <memlog/source/feed_spec.hpp>

#include <charconv>

namespace memlog::feed {

namespace {
constexpr std::string_view kRedisForm = "redis:HOST:PORT/STREAM[@ID], e.g. redis:127.0.0.1:6379/events";

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

std::string RedisTarget::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" + stream;
  if (from != "$") out += "@" + from;
  return out;
}

std::expected<RedisTarget, std::string> parse_redis_target(std::string_view text) {
  RedisTarget target;
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos)
    return std::unexpected("no stream name in '" + std::string(text) + "': " + std::string(kRedisForm));
  std::string_view address = text.substr(0, slash);
  std::string_view stream = text.substr(slash + 1);
  if (const std::size_t at = stream.rfind('@'); at != std::string_view::npos) {
    target.from = std::string(stream.substr(at + 1));
    stream = stream.substr(0, at);
    if (!valid_entry_id(target.from))
      return std::unexpected("'" + target.from + "' is not a Redis entry ID (MS-SEQ, 0, or $ for only new entries)");
  }
  if (stream.empty())
    return std::unexpected("no stream name in '" + std::string(text) + "': " + std::string(kRedisForm));
  target.stream = std::string(stream);

  std::string_view port_text;
  if (starts_with(address, "[")) {  // [IPv6]:PORT
    const std::size_t close = address.find(']');
    if (close == std::string_view::npos) return std::unexpected("unclosed '[' in '" + std::string(address) + "'");
    target.host = std::string(address.substr(1, close - 1));
    address.remove_prefix(close + 1);
    if (!address.empty() && address.front() != ':')
      return std::unexpected("expected ':PORT' after ']' in '" + std::string(text) + "'");
    port_text = address.empty() ? std::string_view{} : address.substr(1);
  } else {
    const std::size_t colon = address.rfind(':');
    target.host = std::string(address.substr(0, colon));
    if (colon != std::string_view::npos) port_text = address.substr(colon + 1);
  }
  if (target.host.empty()) return std::unexpected("no host in '" + std::string(text) + "': " + std::string(kRedisForm));
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 1 || port > 65535)
      return std::unexpected("'" + std::string(port_text) + "' is not a port (1 to 65535)");
    target.port = port;
  }
  return target;
}

std::string FeedSpec::text() const {
  switch (kind) {
    case Kind::standard_input:
      return "stdin";
    case Kind::file:
      return "file:" + target;
    case Kind::http:
      return "http:" + target;
    case Kind::redis:
      return "redis:" + target;
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
  if (starts_with(text, "redis:")) {
    spec.kind = FeedSpec::Kind::redis;
    auto target = parse_redis_target(text.substr(6));
    if (!target) return std::unexpected(target.error());
    spec.redis = std::move(*target);
    spec.target = spec.redis.text();
    return spec;
  }
  return std::unexpected("unknown source '" + std::string(text) +
                         "' (sensor, inventory, tickets, stdin, file:PATH, http:URL or redis:HOST:PORT/STREAM)");
}

}  // namespace memlog::feed
