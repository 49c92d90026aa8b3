// SPDX-License-Identifier: MIT
#include <memlog/error.hpp>

#include <string>

namespace memlog {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "memlog"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::record_too_large:
        return "record larger than the log's max_record_bytes";
      case Errc::empty_record:
        return "empty record: a payload needs at least one byte";
      case Errc::future_offset:
        return "offset not written yet";
      case Errc::out_of_range:
        return "offset out of range: before the log's start, negative, or purged";
      case Errc::cancelled:
        return "stream cancelled";
      case Errc::deadline_exceeded:
        return "stream deadline exceeded";
      case Errc::invalid_options:
        return "invalid options";
      case Errc::invalid_key:
        return "invalid shard key";
    }
    return "unknown memlog error";
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept { return {static_cast<int>(e), error_category()}; }

}  // namespace memlog
