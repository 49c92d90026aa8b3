// SPDX-License-Identifier: MIT
// The records of the simulated legacy systems: realistic JSON, a pure function of
// (kind, seed, sequence, size), so the source can replay any stretch of its history exactly.
#pragma once

#include <cstddef>
#include <cstdint>
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

// The payload of the record with this sequence number. `size` 0 = its natural size; otherwise
// the JSON is padded (a "pad" field) or cut to `size` bytes — cut JSON is no longer valid JSON,
// which the monitor shows as text: that is what a legacy system sends when misconfigured.
std::string make_payload(SourceKind kind, std::uint64_t seed, std::uint64_t sequence, std::size_t size = 0);

}  // namespace memlog::sim
