// SPDX-License-Identifier: MIT
#include "server/log_answers.hpp"

#include <QUrlQuery>

#include <algorithm>
#include <utility>
#include <vector>

#include "encoding/record_json.hpp"

using namespace Qt::StringLiterals;

namespace log_answers {

namespace {

QByteArray number(qint64 value) { return QByteArray::number(value); }

// Maps a read error of the log at `offset` to its status.
QHttpServerResponse readError(std::error_code ec, memlog::Offset offset, const memlog::Log& log) {
  if (ec == memlog::Errc::future_offset)
    return error(Status::NotFound, "future_offset", u"offset %1 has not been written yet"_s.arg(offset), log);
  return error(Status::Gone, "purged", u"offset %1 was purged or precedes the log's start"_s.arg(offset), log);
}

}  // namespace

QHttpServerResponse json(QByteArray body, Status status) { return {"application/json"_ba, std::move(body), status}; }

QByteArray errorBody(const char* error, const QString& message) {
  QByteArray out = "{\"error\":\""_ba + error + "\",\"message\":"_ba;
  const QByteArray text = message.toUtf8();
  record_json::appendString(out, std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
  out += '}';
  return out;
}

QByteArray errorBody(const char* error, const QString& message, const memlog::Log& log) {
  const memlog::Stats stats = log.stats();
  QByteArray out = errorBody(error, message);
  out.chop(1);  // reopens the object
  out += ",\"earliest\":"_ba + number(stats.range.earliest) + ",\"next\":"_ba + number(stats.next_offset) + '}';
  return out;
}

QHttpServerResponse error(Status status, const char* code, const QString& message) {
  return json(errorBody(code, message), status);
}

QHttpServerResponse error(Status status, const char* code, const QString& message, const memlog::Log& log) {
  return json(errorBody(code, message, log), status);
}

QString quoted(QStringView text, qsizetype limit) {
  if (text.size() <= limit) return text.toString();
  if (text[limit - 1].isHighSurrogate()) --limit;
  return text.first(limit).toString() + u'…';
}

std::optional<qint64> parseInteger(QStringView text) {
  bool ok = false;
  const qint64 value = text.toLongLong(&ok);
  if (!ok || text.isEmpty() || !text.front().isDigit()) return std::nullopt;
  return value;
}

QHttpServerResponse range(const memlog::Log& log) {
  const memlog::Stats stats = log.stats();  // one snapshot: range and next agree
  return json("{\"earliest\":"_ba + number(stats.range.earliest) + ",\"latest\":"_ba + number(stats.range.latest) +
              ",\"next\":"_ba + number(stats.next_offset) + ",\"empty\":"_ba +
              (stats.range.empty() ? "true"_ba : "false"_ba) + '}');
}

QHttpServerResponse stats(const memlog::Log& log) {
  const memlog::Stats s = log.stats();
  const std::pair<const char*, qint64> fields[] = {
      {"next", s.next_offset},
      {"earliest", s.range.earliest},
      {"latest", s.range.latest},
      {"segment_size", static_cast<qint64>(s.segment_size)},
      {"active_records", static_cast<qint64>(s.active_records)},
      {"history_records", static_cast<qint64>(s.history_records)},
      {"active_bytes", static_cast<qint64>(s.active_bytes)},
      {"history_bytes", static_cast<qint64>(s.history_bytes)},
      {"records_written", static_cast<qint64>(s.records_written)},
      {"records_purged", static_cast<qint64>(s.records_purged)},
      {"segments_sealed", static_cast<qint64>(s.segments_sealed)},
      {"purges", static_cast<qint64>(s.purges)},
      {"memory_bytes", static_cast<qint64>(s.memory_bytes)},
  };
  QByteArray body;
  body.reserve(512);
  for (const auto& [name, value] : fields) {
    body.append(body.isEmpty() ? "{\"" : ",\"");
    body.append(name);
    body.append("\":");
    body.append(QByteArray::number(value));
  }
  body.append('}');
  return json(std::move(body));
}

QHttpServerResponse record(const memlog::Log& log, const QString& text) {
  const auto offset = parseInteger(text);
  if (!offset)
    return error(Status::BadRequest, "bad_request",
                 u"offset must be a non-negative integer, not '%1'"_s.arg(quoted(text)), log);
  const auto record = log.read(*offset);
  if (!record) return readError(record.error(), *offset, log);
  return json(record_json::record(*record));
}

QHttpServerResponse batch(const memlog::Log& log, const QUrlQuery& query) {
  if (!query.hasQueryItem(u"from"_s))
    return error(Status::BadRequest, "bad_request", u"missing parameter 'from'"_s, log);
  const QString fromText = query.queryItemValue(u"from"_s);
  std::optional<qint64> from = parseInteger(fromText);
  if (fromText == u"earliest"_s || fromText == u"latest"_s) {  // a poller's first request
    const memlog::Stats stats = log.stats();
    from = fromText == u"earliest"_s ? memlog::first_readable(stats) : stats.next_offset;
  }
  if (!from)
    return error(Status::BadRequest, "bad_request",
                 u"'from' must be a non-negative integer, earliest or latest, not '%1'"_s.arg(quoted(fromText)), log);
  qint64 max = kDefaultBatch;
  if (query.hasQueryItem(u"max"_s)) {
    const QString maxText = query.queryItemValue(u"max"_s);
    const auto parsed = parseInteger(maxText);
    if (!parsed || *parsed < 1)
      return error(Status::BadRequest, "bad_request",
                   u"'max' must be a positive integer, not '%1'"_s.arg(quoted(maxText)), log);
    max = std::min(*parsed, kMaxBatch);  // documented cap; "next" tells the client where to go on
  }

  std::vector<memlog::Record> records(static_cast<std::size_t>(max));
  const memlog::BatchResult result = log.read_batch(*from, records);
  if (result.count == 0 && result.error) {
    // Asking at the very end is how a poller waits: an empty list, not an error.
    if (result.error == memlog::Errc::future_offset && *from == log.stats().next_offset)
      return json("{\"records\":[],\"next\":"_ba + number(*from) + '}');
    return readError(result.error, *from, log);
  }
  records.resize(result.count);
  return json("{\"records\":"_ba + record_json::records(records) + ",\"next\":"_ba +
              number(*from + static_cast<qint64>(result.count)) + '}');
}

}  // namespace log_answers
