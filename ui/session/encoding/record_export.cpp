// SPDX-License-Identifier: MIT
#include "encoding/record_export.hpp"

#include "encoding/record_json.hpp"

using namespace Qt::StringLiterals;

namespace record_export {
namespace {

QString csvField(const QString& s) {
  if (!s.contains(u',') && !s.contains(u'"') && !s.contains(u'\n') && !s.contains(u'\r')) return s;
  QString quoted = s;
  quoted.replace(u"\""_s, u"\"\""_s);
  return u'"' + quoted + u'"';
}

}  // namespace

QString isoTime(memlog::Timestamp t) { return QString::fromLatin1(record_json::isoUtc(t)); }

// The same encoding as the server's (record_json): text when valid UTF-8, else base64.
bool writeJsonLines(QIODevice& out, const std::vector<memlog::Record>& records) {
  QByteArray line;
  for (const memlog::Record& r : records) {
    line.clear();
    record_json::appendRecord(line, r);
    line += '\n';
    if (out.write(line) < 0) return false;
  }
  return true;
}

bool writeCsv(QIODevice& out, const std::vector<memlog::Record>& records) {
  if (out.write("offset,created,size,payload\r\n") < 0) return false;
  for (const memlog::Record& r : records) {
    const QByteArray bytes(reinterpret_cast<const char*>(r.data().data()), static_cast<qsizetype>(r.size()));
    const QString payload = record_json::isValidUtf8(r.text()) ? QString::fromUtf8(bytes)
                                                               : u"base64:"_s + QString::fromLatin1(bytes.toBase64());
    const QString line = QString::number(r.offset()) + u',' + isoTime(r.created()) + u',' + QString::number(r.size()) +
                         u',' + csvField(payload) + u"\r\n"_s;
    if (out.write(line.toUtf8()) < 0) return false;
  }
  return true;
}

}  // namespace record_export
