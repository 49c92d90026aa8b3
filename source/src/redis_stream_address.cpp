// SPDX-License-Identifier: MIT
#include <memlog/source/redis_stream_address.hpp>

#include <charconv>

namespace memlog {

namespace {
constexpr std::string_view kForm = "redis:HOST:PORT/STREAM, e.g. redis:127.0.0.1:6379/events";

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }
}  // namespace

std::string RedisStreamAddress::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" + stream;
}

std::expected<RedisStreamAddress, std::string> parse_redis_stream_address(std::string_view text) {
  const std::string_view given = text;
  if (text.starts_with(kRedisPrefix)) text.remove_prefix(kRedisPrefix.size());
  RedisStreamAddress address;
  const std::size_t slash = text.find('/');
  const std::string_view stream = slash == std::string_view::npos ? std::string_view() : text.substr(slash + 1);
  if (stream.empty()) return std::unexpected("no stream name in " + quoted(given) + ": " + std::string(kForm));
  if (stream.find('@') != std::string_view::npos)
    return std::unexpected("'@ID' has no meaning in " + quoted(given) +
                           ": a mirror appends new entries (only a source reads after an ID)");
  address.stream = std::string(stream);

  std::string_view host = text.substr(0, slash);
  std::string_view port;
  if (host.starts_with('[')) {  // [IPv6]:PORT
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return std::unexpected("unclosed '[' in " + quoted(host));
    std::string_view rest = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!rest.empty() && rest.front() != ':') return std::unexpected("expected ':PORT' after ']' in " + quoted(given));
    if (!rest.empty()) port = rest.substr(1);
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return std::unexpected("no host in " + quoted(given) + ": " + std::string(kForm));
  address.host = std::string(host);
  if (!port.empty()) {
    int number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc{} || end != port.data() + port.size() || number < 1 || number > 65535)
      return std::unexpected(quoted(port) + " is not a port (1 to 65535)");
    address.port = number;
  }
  return address;
}

}  // namespace memlog
