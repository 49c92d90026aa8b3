// SPDX-License-Identifier: MIT
#include <memlog/source/payloads.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace memlog::sim {
namespace {

// splitmix64: a good 64-bit mix, so neighbouring (seed, sequence) pairs look unrelated.
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Deterministic draws for one record.
class Draw {
 public:
  Draw(std::uint64_t seed, std::uint64_t sequence, SourceKind kind)
      : state_(mix(seed * 0x100000001B3ull ^ mix(sequence) ^ static_cast<std::uint64_t>(kind))) {}
  std::uint64_t next() noexcept { return state_ = mix(state_); }
  int between(int low, int high) noexcept {
    return low + static_cast<int>(next() % static_cast<std::uint64_t>(high - low + 1));
  }
  double real(double low, double high) noexcept {
    return low + (high - low) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) noexcept {
    return items[next() % N];
  }

 private:
  std::uint64_t state_;
};

// The key index (0 = the first key) of a skewed record, or -1 for the uniform pattern (each
// system draws its own). Its own draw, so the other fields stay what they are without skew.
int skewed_key(const KeySkew& skew, int keys, std::uint64_t seed, std::uint64_t sequence) {
  if (skew.kind == KeySkew::Kind::uniform || keys < 2) return -1;
  const double u = static_cast<double>(mix(mix(seed ^ 0x5EEDC0FFEEull) ^ sequence) >> 11) * 0x1.0p-53;  // [0, 1)
  if (skew.kind == KeySkew::Kind::hot_key) {
    if (u < skew.hot_share) return 0;
    // The rest spread evenly over the other keys.
    const double rest = (u - skew.hot_share) / (1.0 - skew.hot_share);
    return 1 + std::min(keys - 2, static_cast<int>(rest * (keys - 1)));
  }
  // Zipf by its inverse CDF; one table per thread for the last (keys, exponent) asked.
  thread_local int table_keys = 0;
  thread_local double table_exponent = 0;
  thread_local std::vector<double> cdf;
  if (table_keys != keys || table_exponent != skew.zipf_exponent) {
    cdf.resize(static_cast<std::size_t>(keys));
    double sum = 0;
    for (int k = 0; k < keys; ++k)
      cdf[static_cast<std::size_t>(k)] = sum += 1.0 / std::pow(k + 1.0, skew.zipf_exponent);
    for (double& c : cdf) c /= sum;
    table_keys = keys;
    table_exponent = skew.zipf_exponent;
  }
  const auto at = std::upper_bound(cdf.begin(), cdf.end(), u);
  return std::min(keys - 1, static_cast<int>(at - cdf.begin()));
}

std::string sensor(std::uint64_t seed, std::uint64_t sequence, const KeySkew& skew) {
  Draw d(seed, sequence, SourceKind::sensor);
  static constexpr std::array<const char*, 4> sites = {"building-a/floor-1", "building-a/floor-3", "building-b/lab",
                                                       "warehouse/cold-room"};
  // The same device drifts slowly: its readings depend on the sequence, not only the draw.
  const int skewed = skewed_key(skew, 24, seed, sequence);
  const int device = skewed >= 0 ? skewed : static_cast<int>(sequence % 24);
  const double temperature = 19.0 + 4.0 * static_cast<double>((sequence / 24) % 50) / 50.0 + d.real(-0.3, 0.3);
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                R"({"type":"sensor.reading","seq":%llu,"device":"th-%03d","site":"%s","temperature_c":%.2f,)"
                R"("humidity_pct":%.1f,"battery_pct":%d,"status":"%s"})",
                static_cast<unsigned long long>(sequence), device, d.pick(sites), temperature, d.real(30, 65),
                100 - static_cast<int>((sequence / 97) % 90), d.between(0, 49) == 0 ? "degraded" : "ok");
  return buffer;
}

std::string inventory(std::uint64_t seed, std::uint64_t sequence, const KeySkew& skew) {
  Draw d(seed, sequence, SourceKind::inventory);
  static constexpr std::array<const char*, 5> reasons = {"picked", "received", "returned", "counted", "damaged"};
  static constexpr std::array<const char*, 3> warehouses = {"WH-NORTH", "WH-SOUTH", "WH-EAST"};
  const char* reason = d.pick(reasons);
  const int quantity = d.between(1, 40);
  const bool outgoing = reason[0] == 'p' || reason[0] == 'd';
  const int skewed = skewed_key(skew, 4000, seed, sequence);
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                R"({"type":"inventory.movement","seq":%llu,"sku":"SKU-%05d","warehouse":"%s","delta":%d,)"
                R"("reason":"%s","on_hand":%d})",
                static_cast<unsigned long long>(sequence), skewed >= 0 ? 1 + skewed : d.between(1, 4000),
                d.pick(warehouses), outgoing ? -quantity : quantity, reason, d.between(0, 900));
  return buffer;
}

std::string tickets(std::uint64_t seed, std::uint64_t sequence, const KeySkew& skew) {
  Draw d(seed, sequence, SourceKind::tickets);
  static constexpr std::array<const char*, 4> statuses = {"open", "in_progress", "waiting", "resolved"};
  static constexpr std::array<const char*, 3> priorities = {"low", "normal", "high"};
  const int from = d.between(0, 2);
  const int skewed = skewed_key(skew, 5000, seed, sequence);
  const int ticket = 1000 + (skewed >= 0 ? skewed : static_cast<int>(sequence / 3 % 5000));
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                R"({"type":"ticket.status_changed","seq":%llu,"ticket":"HD-%d","from":"%s","to":"%s",)"
                R"("agent":"agent-%02d","priority":"%s"})",
                static_cast<unsigned long long>(sequence), ticket, statuses[static_cast<std::size_t>(from)],
                statuses[static_cast<std::size_t>(from) + 1], d.between(1, 12), d.pick(priorities));
  return buffer;
}

}  // namespace

std::string_view to_string(SourceKind kind) noexcept {
  switch (kind) {
    case SourceKind::sensor:
      return "sensor";
    case SourceKind::inventory:
      return "inventory";
    case SourceKind::tickets:
      return "tickets";
  }
  return "sensor";
}

std::optional<SourceKind> source_kind_from_string(std::string_view name) noexcept {
  for (SourceKind kind : {SourceKind::sensor, SourceKind::inventory, SourceKind::tickets})
    if (name == to_string(kind)) return kind;
  return std::nullopt;
}

std::string_view natural_key_field(SourceKind kind) noexcept {
  switch (kind) {
    case SourceKind::sensor:
      return "device";
    case SourceKind::inventory:
      return "sku";
    case SourceKind::tickets:
      return "ticket";
  }
  return "device";
}

std::string_view to_string(KeySkew::Kind kind) noexcept {
  switch (kind) {
    case KeySkew::Kind::uniform:
      return "uniform";
    case KeySkew::Kind::hot_key:
      return "hot";
    case KeySkew::Kind::zipf:
      return "zipf";
  }
  return "uniform";
}

std::expected<KeySkew, std::string> parse_key_skew(std::string_view text) {
  const auto fail = [&] {
    return std::unexpected("'" + std::string(text.substr(0, 80)) +
                           "' is not a key skew: use uniform, hot[:SHARE] (0 < SHARE <= 1) or zipf[:S] (0 < S <= 10)");
  };
  const std::size_t colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  KeySkew skew;
  if (name == "uniform" && colon == std::string_view::npos) return skew;
  if (name != "hot" && name != "zipf") return fail();
  skew.kind = name == "hot" ? KeySkew::Kind::hot_key : KeySkew::Kind::zipf;
  if (colon == std::string_view::npos) return skew;
  const std::string_view number = text.substr(colon + 1);
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || end != number.data() + number.size() || !std::isfinite(value)) return fail();
  if (skew.kind == KeySkew::Kind::hot_key) {
    if (value <= 0 || value > 1) return fail();
    skew.hot_share = value;
  } else {
    if (value <= 0 || value > 10) return fail();
    skew.zipf_exponent = value;
  }
  return skew;
}

std::string key_skew_text(const KeySkew& skew) {
  char number[32];
  switch (skew.kind) {
    case KeySkew::Kind::uniform:
      return "uniform";
    case KeySkew::Kind::hot_key:
      std::snprintf(number, sizeof number, "%g", skew.hot_share);
      return "hot:" + std::string(number);
    case KeySkew::Kind::zipf:
      std::snprintf(number, sizeof number, "%g", skew.zipf_exponent);
      return "zipf:" + std::string(number);
  }
  return "uniform";
}

std::string make_payload(SourceKind kind, std::uint64_t seed, std::uint64_t sequence, std::size_t size,
                         const KeySkew& skew) {
  std::string json = kind == SourceKind::sensor      ? sensor(seed, sequence, skew)
                     : kind == SourceKind::inventory ? inventory(seed, sequence, skew)
                                                     : tickets(seed, sequence, skew);
  if (size == 0 || size == json.size()) return json;
  if (size < json.size()) {
    json.resize(size);
    return json;
  }
  // Padded: a "pad" field when there is room for one, else spaces (still valid JSON).
  const std::size_t extra = size - json.size();
  constexpr std::string_view field = R"(,"pad":"")";
  json.pop_back();  // the closing brace
  if (extra >= field.size()) {
    json += R"(,"pad":")";
    json.append(extra - field.size(), 'x');
    json += '"';
  } else {
    json.append(extra, ' ');
  }
  json += '}';
  return json;
}

}  // namespace memlog::sim
