// SPDX-License-Identifier: MIT
#include <memlog/source/shard_key.hpp>

#include <cstdint>

namespace memlog::shard {
namespace {

// A scanner over one JSON text, enough to find a top-level member without building a tree:
// strings are decoded only when they are the answer; other values are skipped, nested ones by
// depth. It never reads past the end and gives up (nullopt) on anything malformed.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  // A string at the position (after its opening quote is next), decoded into `out`.
  bool string(std::string* out) {
    if (!eat('"')) return false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        if (out) out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char e = text_[pos_++];
      char plain = 0;
      switch (e) {
        case '"':
          plain = '"';
          break;
        case '\\':
          plain = '\\';
          break;
        case '/':
          plain = '/';
          break;
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'u': {
          std::uint32_t code = 0;
          if (!hex4(&code)) return false;
          if (code >= 0xD800 && code <= 0xDBFF) {  // a surrogate pair makes one code point
            std::uint32_t low = 0;
            if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') return false;
            pos_ += 2;
            if (!hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          } else if (code >= 0xDC00 && code <= 0xDFFF) {
            return false;
          }
          if (out) append_utf8(out, code);
          continue;
        }
        default:
          return false;
      }
      if (out) out->push_back(plain);
    }
    return false;
  }
  // A literal (number, true, false, null): its text.
  std::string_view literal() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r') break;
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  // Skips any value; false when malformed.
  bool skip_value() {
    const char c = peek();
    if (c == '"') return string(nullptr);
    if (c == '{' || c == '[') {
      // Nested: count brackets, strings skipped as strings (they may hold brackets).
      int depth = 0;
      while (pos_ < text_.size()) {
        const char d = text_[pos_];
        if (d == '"') {
          if (!string(nullptr)) return false;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    return !literal().empty();
  }

 private:
  bool hex4(std::uint32_t* code) {
    if (pos_ + 4 > text_.size()) return false;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      *code <<= 4;
      if (h >= '0' && h <= '9')
        *code |= static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        *code |= static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        *code |= static_cast<std::uint32_t>(h - 'A' + 10);
      else
        return false;
    }
    return true;
  }
  static void append_utf8(std::string* out, std::uint32_t code) {
    if (code < 0x80) {
      out->push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (code >> 6)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (code >> 12)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (code >> 18)));
      out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string quoted(std::string_view field) { return "\"" + std::string(field) + "\""; }

}  // namespace

std::expected<std::string, std::string> extract_key(std::string_view payload, std::string_view field) {
  if (field.empty()) {
    if (payload.empty()) return std::unexpected(std::string("the record is empty"));
    return std::string(payload);
  }
  Scanner scan(payload);
  if (!scan.eat('{')) return std::unexpected("not a JSON object, so it has no field " + quoted(field));
  if (scan.eat('}')) return std::unexpected("no field " + quoted(field));
  for (;;) {
    std::string name;
    if (!scan.string(&name) || !scan.eat(':')) break;
    if (name == field) {
      const char c = scan.peek();
      if (c == '"') {
        std::string value;
        if (!scan.string(&value)) break;
        if (value.empty()) return std::unexpected("the field " + quoted(field) + " is an empty string");
        return value;
      }
      if (c == '{' || c == '[') return std::unexpected("the field " + quoted(field) + " is an object or an array");
      const std::string_view literal = scan.literal();
      if (literal == "null") return std::unexpected("the field " + quoted(field) + " is null");
      if (literal.empty()) break;
      return std::string(literal);
    }
    if (!scan.skip_value()) break;
    if (scan.eat(',')) continue;
    if (scan.eat('}')) return std::unexpected("no field " + quoted(field));
    break;
  }
  return std::unexpected("not valid JSON before the field " + quoted(field) + " was found");
}

bool valid_key_field(std::string_view field) noexcept {
  if (field.empty() || field.size() > 128) return false;
  for (const char c : field)
    if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') return false;
  return true;
}

}  // namespace memlog::shard
