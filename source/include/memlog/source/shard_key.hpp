// SPDX-License-Identifier: MIT
// The key a sharded log routes a record by: a top-level field of a JSON payload, or the whole
// payload when no field is named. A string field's value is the key (unescaped, UTF-8); a number
// or a boolean is its literal text ("42", "true"); anything else — no field, null, an object or
// an array, a payload that is not a JSON object — has no key, with a reason a user can act on.
//
// Threading: pure functions.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace memlog::shard {

// `field` empty = the whole payload is the key.
std::expected<std::string, std::string> extract_key(std::string_view payload, std::string_view field);

// Whether `field` can name a top-level field: not empty, at most 128 bytes, printable ASCII
// without quotes or backslashes (what --shard-key and the configuration panel accept).
bool valid_key_field(std::string_view field) noexcept;

}  // namespace memlog::shard
