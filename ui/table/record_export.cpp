// SPDX-License-Identifier: MIT
#include "table/record_export.hpp"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace record_export {
namespace {

// The payload as text when it is valid UTF-8, else nullopt.
std::optional<QString> asText(const memlog::Record& r) {
  QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
  QString text =
      decoder.decode(QByteArrayView(reinterpret_cast<const char*>(r.data().data()), static_cast<qsizetype>(r.size())));
  if (decoder.hasError()) return std::nullopt;
  return text;
}

QByteArray base64(const memlog::Record& r) {
  return QByteArray(reinterpret_cast<const char*>(r.data().data()), static_cast<qsizetype>(r.size())).toBase64();
}

QString csvField(const QString& s) {
  if (!s.contains(u',') && !s.contains(u'"') && !s.contains(u'\n') && !s.contains(u'\r')) return s;
  QString quoted = s;
  quoted.replace(u"\""_s, u"\"\""_s);
  return u'"' + quoted + u'"';
}

}  // namespace

QString isoTime(memlog::Timestamp t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool writeJsonLines(QIODevice& out, const std::vector<memlog::Record>& records) {
  for (const memlog::Record& r : records) {
    QJsonObject o{{u"offset"_s, static_cast<qint64>(r.offset())},
                  {u"created"_s, isoTime(r.created())},
                  {u"size"_s, static_cast<qint64>(r.size())}};
    if (const auto text = asText(r)) {
      o.insert(u"payload"_s, *text);
    } else {
      o.insert(u"payload"_s, QString::fromLatin1(base64(r)));
      o.insert(u"encoding"_s, u"base64"_s);
    }
    if (out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n') < 0) return false;
  }
  return true;
}

bool writeCsv(QIODevice& out, const std::vector<memlog::Record>& records) {
  if (out.write("offset,created,size,payload\r\n") < 0) return false;
  for (const memlog::Record& r : records) {
    const auto text = asText(r);
    const QString payload = text ? *text : u"base64:"_s + QString::fromLatin1(base64(r));
    const QString line = QString::number(r.offset()) + u',' + isoTime(r.created()) + u',' + QString::number(r.size()) +
                         u',' + csvField(payload) + u"\r\n"_s;
    if (out.write(line.toUtf8()) < 0) return false;
  }
  return true;
}

}  // namespace record_export
