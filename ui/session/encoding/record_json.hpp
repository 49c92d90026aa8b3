// SPDX-License-Identifier: MIT
// record_json: the wire form of records, ranges and stats, written by hand into UTF-8 bytes so
// that streaming a batch costs one buffer, not one QJsonObject per record.
//
// A record is {"offset":O,"created":"2024-05-01T12:00:00.123Z","size":S,"payload":"..."}; a
// payload that is not valid UTF-8 is sent as base64 with "encoding":"base64" instead.
//
// Threading: pure functions, callable from any thread.
#pragma once

#include <QByteArray>

#include <cstddef>
#include <span>
#include <string_view>

#include <memlog/log.hpp>

namespace record_json {

// True when `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view bytes) noexcept;

// Appends `text` (valid UTF-8) as a quoted JSON string.
void appendString(QByteArray& out, std::string_view text);

// ISO 8601 UTC with milliseconds, e.g. "2024-05-01T12:00:00.123Z".
QByteArray isoUtc(memlog::Timestamp time);

void appendRecord(QByteArray& out, const memlog::Record& record);
QByteArray record(const memlog::Record& record);
// A JSON array of the records, in order.
QByteArray records(std::span<const memlog::Record> records);

}  // namespace record_json
