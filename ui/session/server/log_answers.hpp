// SPDX-License-Identifier: MIT
// log_answers: LogServer's HTTP answers about one memlog::Log (its range, its stats, a record, a
// batch) and the error bodies and request parsing every route shares. The adapter's log and each
// shard of a sharded log are answered by the same functions, so /shards/{i}/records/... answers
// exactly as /records/... does, errors included. See log_server.hpp for the routes and the JSON.
//
// Threading: pure functions of the log they are given; LogServer calls them on its thread.
#pragma once

#include <QByteArray>
#include <QHttpServerResponse>
#include <QString>
#include <QStringView>

#include <optional>

#include <memlog/log.hpp>

class QUrlQuery;

namespace log_answers {

using Status = QHttpServerResponse::StatusCode;

inline constexpr qint64 kMaxBatch = 10'000;     // records per batch
inline constexpr qint64 kDefaultBatch = 1'000;  // ... when max is not given

QHttpServerResponse json(QByteArray body, Status status = Status::Ok);

// {"error","message"}: for what no log can help with (no such shard, a bad key).
QByteArray errorBody(const char* error, const QString& message);
// {"error","message","earliest","next"}: enough for a client to retry from a valid offset.
QByteArray errorBody(const char* error, const QString& message, const memlog::Log& log);
QHttpServerResponse error(Status status, const char* code, const QString& message);
QHttpServerResponse error(Status status, const char* code, const QString& message, const memlog::Log& log);

// What an error message quotes of a request (a path, a parameter): at most `limit` characters,
// then "…" — a 20,000-character path is not sent back whole. A surrogate pair is not split.
QString quoted(QStringView text, qsizetype limit = 80);
// A strict decimal integer (no sign for non-negatives, no spaces); nullopt when it is not one.
std::optional<qint64> parseInteger(QStringView text);

// GET /range: {"earliest","latest","next","empty"}.
QHttpServerResponse range(const memlog::Log& log);
// GET /stats: the log's counters.
QHttpServerResponse stats(const memlog::Log& log);
// GET /records/<offset>: one record, or future_offset (404), purged (410), bad_request (400).
QHttpServerResponse record(const memlog::Log& log, const QString& offset);
// GET /records?from=O|earliest|latest&max=N: {"records":[...],"next":O'}, or the same errors.
QHttpServerResponse batch(const memlog::Log& log, const QUrlQuery& query);

}  // namespace log_answers
