// SPDX-License-Identifier: MIT
#include "encoding/record_json.hpp"

#include <memlog/source/utf8.hpp>

#include <chrono>
#include <cstdio>

namespace record_json {

bool isValidUtf8(std::string_view bytes) noexcept { return memlog::text::is_valid_utf8(bytes); }

void appendString(QByteArray& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.append('"');
  std::size_t run = 0;  // start of the bytes not copied yet: copy unescaped runs in one go
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, static_cast<qsizetype>(i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out.append("\\\"", 2);
        break;
      case '\\':
        out.append("\\\\", 2);
        break;
      case '\n':
        out.append("\\n", 2);
        break;
      case '\r':
        out.append("\\r", 2);
        break;
      case '\t':
        out.append("\\t", 2);
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escaped, 6);
      }
    }
  }
  out.append(text.data() + run, static_cast<qsizetype>(text.size() - run));
  out.append('"');
}

QByteArray isoUtc(memlog::Timestamp time) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  char buffer[40];
  const int n =
      std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                    static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                    static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return {buffer, n};
}

void appendRecord(QByteArray& out, const memlog::Record& record) {
  out.append("{\"offset\":");
  out.append(QByteArray::number(record.offset()));
  out.append(",\"created\":\"");
  out.append(isoUtc(record.created()));
  out.append("\",\"size\":");
  out.append(QByteArray::number(static_cast<qulonglong>(record.size())));
  const std::string_view text = record.text();
  if (isValidUtf8(text)) {
    out.append(",\"payload\":");
    appendString(out, text);
  } else {
    out.append(",\"encoding\":\"base64\",\"payload\":\"");
    out.append(QByteArray::fromRawData(text.data(), static_cast<qsizetype>(text.size())).toBase64());
    out.append('"');
  }
  out.append('}');
}

QByteArray record(const memlog::Record& record) {
  QByteArray out;
  out.reserve(96 + static_cast<qsizetype>(record.size()));
  appendRecord(out, record);
  return out;
}

QByteArray records(std::span<const memlog::Record> records) {
  std::size_t bytes = 2;
  for (const memlog::Record& r : records) bytes += 96 + r.size();
  QByteArray out;
  out.reserve(static_cast<qsizetype>(bytes));
  out.append('[');
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) out.append(',');
    appendRecord(out, records[i]);
  }
  out.append(']');
  return out;
}

}  // namespace record_json
