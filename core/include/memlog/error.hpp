// SPDX-License-Identifier: MIT
// Errors of the log as std::error_code values: expected outcomes are values, never exceptions.
#pragma once

#include <expected>
#include <system_error>

namespace memlog {

enum class Errc {
  record_too_large = 1,  // payload larger than Options::max_record_bytes
  empty_record,          // zero-byte payload
  future_offset,         // offset not written yet (also: the end of the log was reached)
  out_of_range,          // offset before the log's start, negative, or already purged
  cancelled,             // a stream's stop_token was triggered
  deadline_exceeded,     // a stream's deadline passed
  invalid_options,       // Options / ShardedOptions rejected
  invalid_key,           // sharded log: empty key, or a key the sharder does not know
};

// The category of every memlog error; name() == "memlog".
const std::error_category& error_category() noexcept;
std::error_code make_error_code(Errc e) noexcept;

template <class T>
using Result = std::expected<T, std::error_code>;

}  // namespace memlog

template <>
struct std::is_error_code_enum<memlog::Errc> : std::true_type {};
