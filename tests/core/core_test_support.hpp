// SPDX-License-Identifier: MIT
// Helpers shared by the core suites: readable error names for QCOMPARE, deterministic
// payloads that carry their own checksum, and the retention rules of CORE_API.md written as
// closed formulas (so expectations come from the rules, not from the log's own answers).
#pragma once

#include <memlog/memlog.hpp>

#include <QByteArray>
#include <QtTest/QTest>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

namespace test_support {

// "ok" or "memlog:<code name>" (or "<category>:<value>"), so a failed QCOMPARE says which error.
inline QByteArray name_of(std::error_code error) {
  if (!error) return QByteArrayLiteral("ok");
  if (error.category() == memlog::error_category()) {
    switch (static_cast<memlog::Errc>(error.value())) {
      case memlog::Errc::record_too_large:
        return QByteArrayLiteral("memlog:record_too_large");
      case memlog::Errc::empty_record:
        return QByteArrayLiteral("memlog:empty_record");
      case memlog::Errc::future_offset:
        return QByteArrayLiteral("memlog:future_offset");
      case memlog::Errc::out_of_range:
        return QByteArrayLiteral("memlog:out_of_range");
      case memlog::Errc::cancelled:
        return QByteArrayLiteral("memlog:cancelled");
      case memlog::Errc::deadline_exceeded:
        return QByteArrayLiteral("memlog:deadline_exceeded");
      case memlog::Errc::invalid_options:
        return QByteArrayLiteral("memlog:invalid_options");
      case memlog::Errc::invalid_key:
        return QByteArrayLiteral("memlog:invalid_key");
    }
  }
  return QByteArray(error.category().name()) + ':' + QByteArray::number(error.value());
}
inline QByteArray name_of(memlog::Errc error) { return name_of(make_error_code(error)); }

// The error of a Result, or "ok" when it holds a value.
template <class T>
QByteArray outcome(const memlog::Result<T>& result) {
  return result ? QByteArrayLiteral("ok") : name_of(result.error());
}

// A payload of `size` bytes (any byte values, NUL included) that depends on `seed` only.
inline std::string payload(std::uint64_t seed, std::size_t size) {
  std::string bytes(size, '\0');
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
  for (char& c : bytes) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>(x);
  }
  return bytes;
}

// A tagged payload for the concurrency suite: writer id, sequence number, filler, and a
// checksum over all of it, so any torn, mixed or misplaced record is detected.
struct Tag {
  std::uint32_t writer = 0;
  std::uint32_t sequence = 0;
};

inline std::uint32_t checksum(std::string_view bytes) {
  std::uint32_t h = 2166136261u;
  for (char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

inline std::string tagged_payload(Tag tag, std::size_t size) {
  constexpr std::size_t kHeader = 12;  // writer, sequence, checksum (4 bytes each)
  size = std::max(size, kHeader + 1);
  std::string bytes = payload((std::uint64_t{tag.writer} << 32) | tag.sequence, size);
  std::memcpy(bytes.data(), &tag.writer, 4);
  std::memcpy(bytes.data() + 4, &tag.sequence, 4);
  const std::uint32_t sum =
      checksum(std::string_view(bytes).substr(0, 8)) ^ checksum(std::string_view(bytes).substr(kHeader));
  std::memcpy(bytes.data() + 8, &sum, 4);
  return bytes;
}

// The tag of a payload made by tagged_payload, or false when its checksum does not hold.
inline bool decode(std::string_view bytes, Tag& tag) {
  if (bytes.size() < 13) return false;
  std::uint32_t sum = 0;
  std::memcpy(&tag.writer, bytes.data(), 4);
  std::memcpy(&tag.sequence, bytes.data() + 4, 4);
  std::memcpy(&sum, bytes.data() + 8, 4);
  return sum == (checksum(bytes.substr(0, 8)) ^ checksum(bytes.substr(12)));
}

// The retention rules of CORE_API.md after `written` successful writes, as formulas.
// A write into a full active segment seals it (it becomes the history) and purges the old
// history whole. The k-th write (0-based) seals when k > 0 and k % S == 0.
struct Expected {
  memlog::Offset start = 0;
  std::size_t segment = 1;
  std::uint64_t written = 0;

  std::uint64_t seals() const { return written == 0 ? 0 : (written - 1) / segment; }
  std::uint64_t purges() const { return seals() == 0 ? 0 : seals() - 1; }
  memlog::Offset next() const { return start + static_cast<memlog::Offset>(written); }
  memlog::Offset earliest() const { return start + static_cast<memlog::Offset>(purges() * segment); }
  std::size_t active_records() const { return static_cast<std::size_t>(written - seals() * segment); }
  std::size_t history_records() const { return seals() == 0 ? 0 : segment; }
  memlog::Offset active_first() const { return start + static_cast<memlog::Offset>(seals() * segment); }
  memlog::Range range() const { return written == 0 ? memlog::Range{} : memlog::Range{earliest(), next() - 1}; }
  bool retained(memlog::Offset o) const { return o >= earliest() && o < next(); }
  // The error read(o) must give, or ok.
  QByteArray read_outcome(memlog::Offset o) const {
    if (o >= next()) return name_of(memlog::Errc::future_offset);
    if (o < earliest()) return name_of(memlog::Errc::out_of_range);
    return QByteArrayLiteral("ok");
  }
};

}  // namespace test_support

// Lets QCOMPARE print a Range when two differ.
namespace memlog {
inline char* toString(const Range& range) {
  return QTest::toString(
      QByteArray("{" + QByteArray::number(range.earliest) + ", " + QByteArray::number(range.latest) + "}"));
}
}  // namespace memlog
