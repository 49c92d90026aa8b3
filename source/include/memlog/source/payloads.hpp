// SPDX-License-Identifier: MIT
// The records of the simulated legacy systems: realistic JSON, a pure function of
// (kind, seed, sequence, size), so the source can replay any stretch of its history exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace memlog::sim {

enum class SourceKind {
  sensor,     // a building's sensors: temperature, humidity, battery readings
  inventory,  // a warehouse system: stock movements of SKUs
  tickets,    // a help desk REST API polled in batches: ticket events
};

std::string_view to_string(SourceKind kind) noexcept;
std::optional<SourceKind> source_kind_from_string(std::string_view name) noexcept;

// The field that names what a record is about — the key a sharded log routes it by:
// "device" (sensor), "sku" (inventory), "ticket" (tickets).
std::string_view natural_key_field(SourceKind kind) noexcept;

// How the simulated keys (devices, SKUs, tickets) are spread over the records. Uniform is the
// systems' own pattern; a hot key or a Zipf law makes one key (and so one shard) busy while
// others idle — the skew a sharded log has to live with.
struct KeySkew {
  enum class Kind { uniform, hot_key, zipf };
  Kind kind = Kind::uniform;
  double hot_share = 0.5;      // hot_key: the share of records (0..1) that carry the first key
  double zipf_exponent = 1.2;  // zipf: P(key k) ~ 1 / k^s, for k = 1..keys (s > 0)
  friend bool operator==(const KeySkew&, const KeySkew&) = default;
};
std::string_view to_string(KeySkew::Kind kind) noexcept;
// "uniform", "hot" / "hot:SHARE" (SHARE in (0,1], default 0.5), "zipf" / "zipf:S" (S in (0,10],
// default 1.2); the error says which forms exist.
std::expected<KeySkew, std::string> parse_key_skew(std::string_view text);
std::string key_skew_text(const KeySkew& skew);  // back to the form above

// The payload of the record with this sequence number. `size` 0 = its natural size; otherwise
// the JSON is padded (a "pad" field) or cut to `size` bytes — cut JSON is no longer valid JSON,
// which the monitor shows as text: that is what a legacy system sends when misconfigured.
// `skew` chooses the record's key (uniform: the systems' own pattern); every other field is the
// same whatever the skew.
std::string make_payload(SourceKind kind, std::uint64_t seed, std::uint64_t sequence, std::size_t size = 0,
                         const KeySkew& skew = {});

}  // namespace memlog::sim
