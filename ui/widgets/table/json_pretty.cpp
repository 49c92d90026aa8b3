// SPDX-License-Identifier: MIT
#include "table/json_pretty.hpp"

#include <QJsonDocument>
#include <QJsonParseError>

namespace json_pretty {

QString format(const QByteArray& json, int indent, QString* error) {
  QJsonParseError parseError{};
  if (QJsonDocument::fromJson(json, &parseError).isNull()) {
    if (error) *error = parseError.errorString();
    return {};
  }
  // Valid JSON: only the layout between tokens changes. Strings are copied as they are
  // (escapes included), white space outside them is dropped and written anew.
  QByteArray out;
  out.reserve(json.size() * 2);
  int depth = 0;
  bool inString = false;
  bool escaped = false;
  auto newline = [&] {
    out += '\n';
    out.append(static_cast<qsizetype>(depth) * indent, ' ');
  };
  for (qsizetype i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (inString) {
      out += c;
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[': {
        // An empty container stays on one line: {} and [].
        qsizetype next = i + 1;
        while (next < json.size() &&
               (json[next] == ' ' || json[next] == '\t' || json[next] == '\n' || json[next] == '\r'))
          ++next;
        if (next < json.size() && (json[next] == '}' || json[next] == ']')) {
          out += c;
          out += json[next];
          i = next;
          break;
        }
        out += c;
        ++depth;
        newline();
        break;
      }
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return QString::fromUtf8(out);
}

}  // namespace json_pretty
