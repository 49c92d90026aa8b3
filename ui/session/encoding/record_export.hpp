// SPDX-License-Identifier: MIT
// Exporting records as JSON lines or CSV: plain functions over a list of records, so they are
// tested without a dialog. Records are encoded as the log server sends them (record_json): text
// when the payload is valid UTF-8, base64 otherwise.
#pragma once

#include <QIODevice>
#include <QString>

#include <vector>

#include <memlog/record.hpp>

namespace record_export {

// One JSON object per line: {"offset":…, "created":"…Z", "size":…, "payload":"…"} (+ "encoding":"base64").
bool writeJsonLines(QIODevice& out, const std::vector<memlog::Record>& records);
// A header line, then offset,created,size,payload with RFC 4180 quoting.
bool writeCsv(QIODevice& out, const std::vector<memlog::Record>& records);

QString isoTime(memlog::Timestamp t);  // UTC, milliseconds

}  // namespace record_export
