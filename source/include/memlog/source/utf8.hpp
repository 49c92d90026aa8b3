// SPDX-License-Identifier: MIT
// Whether bytes are text: the one UTF-8 check of the project. Whatever passes it is sent as a
// JSON string; whatever fails is sent as base64 (the server's records, the Redis feed's
// fields, the exports) — so every encoder decides alike.
//
// Threading: a pure function, callable from any thread.
#pragma once

#include <string_view>

namespace memlog::text {

// True when `bytes` is well-formed UTF-8: no overlong forms, no UTF-16 surrogates, nothing
// above U+10FFFF, no truncated sequence.
bool is_valid_utf8(std::string_view bytes) noexcept;

}  // namespace memlog::text
