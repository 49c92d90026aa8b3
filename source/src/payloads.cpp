// SPDX-License-Identifier: MIT
#include <memlog/source/payloads.hpp>

#include <array>
#include <cstdio>

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

std::string sensor(std::uint64_t seed, std::uint64_t sequence) {
  Draw d(seed, sequence, SourceKind::sensor);
  static constexpr std::array<const char*, 4> sites = {"building-a/floor-1", "building-a/floor-3", "building-b/lab",
                                                       "warehouse/cold-room"};
  // The same device drifts slowly: its readings depend on the sequence, not only the draw.
  const int device = static_cast<int>(sequence % 24);
  const double temperature = 19.0 + 4.0 * static_cast<double>((sequence / 24) % 50) / 50.0 + d.real(-0.3, 0.3);
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                R"({"type":"sensor.reading","seq":%llu,"device":"th-%03d","site":"%s","temperature_c":%.2f,)"
                R"("humidity_pct":%.1f,"battery_pct":%d,"status":"%s"})",
                static_cast<unsigned long long>(sequence), device, d.pick(sites), temperature, d.real(30, 65),
                100 - static_cast<int>((sequence / 97) % 90), d.between(0, 49) == 0 ? "degraded" : "ok");
  return buffer;
}

std::string inventory(std::uint64_t seed, std::uint64_t sequence) {
  Draw d(seed, sequence, SourceKind::inventory);
  static constexpr std::array<const char*, 5> reasons = {"picked", "received", "returned", "counted", "damaged"};
  static constexpr std::array<const char*, 3> warehouses = {"WH-NORTH", "WH-SOUTH", "WH-EAST"};
  const char* reason = d.pick(reasons);
  const int quantity = d.between(1, 40);
  const bool outgoing = reason[0] == 'p' || reason[0] == 'd';
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                R"({"type":"inventory.movement","seq":%llu,"sku":"SKU-%05d","warehouse":"%s","delta":%d,)"
                R"("reason":"%s","on_hand":%d})",
                static_cast<unsigned long long>(sequence), d.between(1, 4000), d.pick(warehouses),
                outgoing ? -quantity : quantity, reason, d.between(0, 900));
  return buffer;
}

std::string tickets(std::uint64_t seed, std::uint64_t sequence) {
  Draw d(seed, sequence, SourceKind::tickets);
  static constexpr std::array<const char*, 4> statuses = {"open", "in_progress", "waiting", "resolved"};
  static constexpr std::array<const char*, 3> priorities = {"low", "normal", "high"};
  const int from = d.between(0, 2);
  char buffer[256];
  std::snprintf(buffer, sizeof buffer,
                R"({"type":"ticket.status_changed","seq":%llu,"ticket":"HD-%d","from":"%s","to":"%s",)"
                R"("agent":"agent-%02d","priority":"%s"})",
                static_cast<unsigned long long>(sequence), 1000 + static_cast<int>(sequence / 3 % 5000),
                statuses[static_cast<std::size_t>(from)], statuses[static_cast<std::size_t>(from) + 1],
                d.between(1, 12), d.pick(priorities));
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

std::string make_payload(SourceKind kind, std::uint64_t seed, std::uint64_t sequence, std::size_t size) {
  std::string json = kind == SourceKind::sensor      ? sensor(seed, sequence)
                     : kind == SourceKind::inventory ? inventory(seed, sequence)
                                                     : tickets(seed, sequence);
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
