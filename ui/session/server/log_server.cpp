// SPDX-License-Identifier: MIT
#include "server/log_server.hpp"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QMetaEnum>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <cassert>
#include <optional>

#include "adapter/log_adapter.hpp"
#include "encoding/record_json.hpp"

using namespace Qt::StringLiterals;
using Status = QHttpServerResponse::StatusCode;

namespace {

// Characters a WebSocket close reason quotes: its longest fixed text (52 characters) and 20
// quoted ones (3 UTF-8 bytes each at most, 4 per surrogate pair) and "…" stay within 123 bytes.
constexpr qsizetype kCloseQuote = 20;

QByteArray number(qint64 value) { return QByteArray::number(value); }

QHttpServerResponse json(QByteArray body, Status status = Status::Ok) {
  return {"application/json"_ba, std::move(body), status};
}

// {"error","message","earliest","next"}: enough for a client to retry from a valid offset.
QByteArray errorBody(const char* error, const QString& message, const memlog::Log& log) {
  const memlog::Stats stats = log.stats();
  QByteArray out = "{\"error\":\""_ba + error + "\",\"message\":"_ba;
  const QByteArray text = message.toUtf8();
  record_json::appendString(out, std::string_view(text.constData(), static_cast<std::size_t>(text.size())));
  out += ",\"earliest\":"_ba + number(stats.range.earliest) + ",\"next\":"_ba + number(stats.next_offset) + '}';
  return out;
}

QHttpServerResponse error(Status status, const char* code, const QString& message, const memlog::Log& log) {
  return json(errorBody(code, message, log), status);
}

// Maps a read error of the log at `offset` to its status.
QHttpServerResponse readError(std::error_code ec, memlog::Offset offset, const memlog::Log& log) {
  if (ec == memlog::Errc::future_offset)
    return error(Status::NotFound, "future_offset", u"offset %1 has not been written yet"_s.arg(offset), log);
  return error(Status::Gone, "purged", u"offset %1 was purged or precedes the log's start"_s.arg(offset), log);
}

// What an error message quotes of a request (a path, a parameter): at most `limit` characters,
// then "…" — a 20,000-character path is not sent back whole. A surrogate pair is not split.
QString quoted(QStringView text, qsizetype limit = 80) {
  if (text.size() <= limit) return text.toString();
  if (text[limit - 1].isHighSurrogate()) --limit;
  return text.first(limit).toString() + u'…';
}

// The paths setUpRoutes() serves, whatever the method (Qt's <arg> is one non-empty path
// segment): another method on one of them is 405 Method Not Allowed, not 404.
bool isResource(QStringView path) {
  if (path == u"/range" || path == u"/stats" || path == u"/records") return true;
  constexpr QStringView records = u"/records/";
  return path.size() > records.size() && path.startsWith(records) && !path.sliced(records.size()).contains(u'/');
}

// "POST", "DELETE", ... for a message; Qt gives no name to a method it does not know.
QString methodName(QHttpServerRequest::Method method) {
  const char* key = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(static_cast<int>(method));
  if (method == QHttpServerRequest::Method::Unknown || !key) return u"this method"_s;
  return QString::fromLatin1(key).toUpper();
}

// A strict decimal integer (no sign for non-negatives, no spaces); nullopt when it is not one.
std::optional<qint64> parseInteger(QStringView text) {
  bool ok = false;
  const qint64 value = text.toLongLong(&ok);
  if (!ok || text.isEmpty() || !text.front().isDigit()) return std::nullopt;
  return value;
}

}  // namespace

LogServer::LogServer(LogAdapter* adapter, QObject* parent) : QObject(parent), m_adapter(adapter), m_streams(adapter) {
  assert(adapter && "LogServer needs an adapter");
  connect(&m_streams, &StreamClients::changed, this, &LogServer::remoteConsumersChanged);
  connect(&m_streams, &StreamClients::memoryReturned, this, &LogServer::memoryReturned);
}

bool LogServer::listen(const QHostAddress& address, quint16 httpPort, quint16 wsPort, QString* error) {
  assert(!isListening() && "LogServer::listen called twice");
  auto fail = [&](const QString& reason) {
    if (error) *error = reason;
    delete m_http;
    delete m_ws;
    m_http = nullptr;
    m_ws = nullptr;
    return false;
  };

  // Our own QTcpServer, bound to QHttpServer, because QHttpServer::listen() gives no reason.
  auto* tcp = new QTcpServer(this);
  if (!tcp->listen(address, httpPort)) {
    const QString reason = u"HTTP on %1:%2: %3"_s.arg(address.toString()).arg(httpPort).arg(tcp->errorString());
    delete tcp;
    return fail(reason);
  }
  m_http = new QHttpServer(this);
  tcp->setParent(m_http);
  setUpRoutes();
  m_http->bind(tcp);
  m_httpTcp = tcp;
  // Queued: QHttpServer takes the new socket first (it stays the QTcpServer's child).
  connect(tcp, &QTcpServer::newConnection, this, &LogServer::watchHttpConnections, Qt::QueuedConnection);
  m_idleTimer.setInterval(std::max(100, m_httpIdleMs / 4));
  connect(&m_idleTimer, &QTimer::timeout, this, &LogServer::closeIdleHttpConnections);
  m_idleTimer.start();

  m_ws = new QWebSocketServer(u"memlog"_s, QWebSocketServer::NonSecureMode, this);
  if (!m_ws->listen(address, wsPort))
    return fail(u"WebSocket on %1:%2: %3"_s.arg(address.toString()).arg(wsPort).arg(m_ws->errorString()));
  connect(m_ws, &QWebSocketServer::newConnection, this, &LogServer::acceptClients);

  m_httpPort = tcp->serverPort();
  m_wsPort = m_ws->serverPort();
  return true;
}

void LogServer::setUpRoutes() {
  const auto get = QHttpServerRequest::Method::Get;
  m_http->route(u"/range"_s, get, [this] { return rangeResponse(); });
  m_http->route(u"/stats"_s, get, [this] { return statsResponse(); });
  m_http->route(u"/records"_s, get, [this](const QHttpServerRequest& request) { return batchResponse(request); });
  m_http->route(u"/records/<arg>"_s, get, [this](const QString& offset) { return recordResponse(offset); });
  // Whatever no route took: an unknown path (404), or a known one with a method other than GET
  // (405, with the Allow header it requires). Qt 6.4 routes HEAD like any other method (it does
  // not answer HEAD from a GET route), so HEAD is not allowed either; and as it writes a body
  // even to HEAD, the answer to a HEAD has its headers only.
  m_http->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
    const QString path = request.url().path();
    const bool known = isResource(path);
    const Status status = known ? Status::MethodNotAllowed : Status::NotFound;
    if (request.method() == QHttpServerRequest::Method::Head) {
      responder.writeStatusLine(status);
      responder.writeHeader("Content-Type"_ba, "application/json"_ba);
      if (known) responder.writeHeader("Allow"_ba, "GET"_ba);
      responder.writeBody(QByteArray());  // ends the headers
      return;
    }
    const auto log = m_adapter->log();
    if (!known) {
      responder.write(errorBody("not_found", u"no such resource: %1"_s.arg(quoted(path)), *log), "application/json"_ba,
                      status);
      return;
    }
    responder.write(
        errorBody("method_not_allowed",
                  u"%1 is not allowed on %2; use GET"_s.arg(methodName(request.method()), quoted(path)), *log),
        {{"Content-Type"_ba, "application/json"_ba}, {"Allow"_ba, "GET"_ba}}, status);
  });
}

QHttpServerResponse LogServer::rangeResponse() const {
  const memlog::Stats stats = m_adapter->log()->stats();  // one snapshot: range and next agree
  return json("{\"earliest\":"_ba + number(stats.range.earliest) + ",\"latest\":"_ba + number(stats.range.latest) +
              ",\"next\":"_ba + number(stats.next_offset) + ",\"empty\":"_ba +
              (stats.range.empty() ? "true"_ba : "false"_ba) + '}');
}

QHttpServerResponse LogServer::statsResponse() const {
  const memlog::Stats s = m_adapter->log()->stats();
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

QHttpServerResponse LogServer::recordResponse(const QString& text) const {
  const auto log = m_adapter->log();
  const auto offset = parseInteger(text);
  if (!offset)
    return error(Status::BadRequest, "bad_request",
                 u"offset must be a non-negative integer, not '%1'"_s.arg(quoted(text)), *log);
  const auto record = log->read(*offset);
  if (!record) return readError(record.error(), *offset, *log);
  return json(record_json::record(*record));
}

QHttpServerResponse LogServer::batchResponse(const QHttpServerRequest& request) const {
  const auto log = m_adapter->log();
  const QUrlQuery query = request.query();
  if (!query.hasQueryItem(u"from"_s))
    return error(Status::BadRequest, "bad_request", u"missing parameter 'from'"_s, *log);
  const QString fromText = query.queryItemValue(u"from"_s);
  std::optional<qint64> from = parseInteger(fromText);
  if (fromText == u"earliest"_s || fromText == u"latest"_s) {  // a poller's first request
    const memlog::Stats stats = log->stats();
    from = fromText == u"earliest"_s ? memlog::first_readable(stats) : stats.next_offset;
  }
  if (!from)
    return error(Status::BadRequest, "bad_request",
                 u"'from' must be a non-negative integer, earliest or latest, not '%1'"_s.arg(quoted(fromText)), *log);
  qint64 max = kDefaultBatch;
  if (query.hasQueryItem(u"max"_s)) {
    const QString maxText = query.queryItemValue(u"max"_s);
    const auto parsed = parseInteger(maxText);
    if (!parsed || *parsed < 1)
      return error(Status::BadRequest, "bad_request",
                   u"'max' must be a positive integer, not '%1'"_s.arg(quoted(maxText)), *log);
    max = std::min(*parsed, kMaxBatch);  // documented cap; "next" tells the client where to go on
  }

  std::vector<memlog::Record> records(static_cast<std::size_t>(max));
  const memlog::BatchResult result = log->read_batch(*from, records);
  if (result.count == 0 && result.error) {
    // Asking at the very end is how a poller waits: an empty list, not an error.
    if (result.error == memlog::Errc::future_offset && *from == log->stats().next_offset)
      return json("{\"records\":[],\"next\":"_ba + number(*from) + '}');
    return readError(result.error, *from, *log);
  }
  records.resize(result.count);
  return json("{\"records\":"_ba + record_json::records(records) + ",\"next\":"_ba +
              number(*from + static_cast<qint64>(result.count)) + '}');
}

namespace {
const char* const kLastActive = "memlog_lastActive";  // ms since the epoch, on each HTTP socket
qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }
}  // namespace

void LogServer::watchHttpConnections() {
  if (m_httpTcp == nullptr) return;
  for (QTcpSocket* socket : m_httpTcp->findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly)) {
    if (socket->property(kLastActive).isValid()) continue;
    socket->setProperty(kLastActive, nowMs());
    auto touch = [socket] { socket->setProperty(kLastActive, nowMs()); };
    connect(socket, &QTcpSocket::readyRead, this, touch);
    connect(socket, &QTcpSocket::bytesWritten, this, touch);
  }
}

void LogServer::closeIdleHttpConnections() {
  if (m_httpTcp == nullptr) return;
  watchHttpConnections();  // in case a connection's notification is still queued
  const qint64 now = nowMs();
  for (QTcpSocket* socket : m_httpTcp->findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly)) {
    const QVariant last = socket->property(kLastActive);
    if (last.isValid() && now - last.toLongLong() >= m_httpIdleMs &&
        socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() == 0)
      socket->disconnectFromHost();  // QHttpServer deletes it on disconnected
  }
}

void LogServer::acceptClients() {
  while (QWebSocket* socket = m_ws->nextPendingConnection()) {
    const QUrl url = socket->requestUrl();
    const QString from = QUrlQuery(url).queryItemValue(u"from"_s);
    const memlog::Stats stats = m_adapter->log()->stats();
    // A close reason holds 123 bytes at most: what it quotes is cut shorter than in HTTP errors.
    if (url.path() != u"/stream"_s) {
      m_streams.reject(socket, kCloseBadRequest,
                       u"unknown path %1; use /stream?from=O|earliest|latest"_s.arg(quoted(url.path(), kCloseQuote)));
    } else if (from == u"earliest"_s) {
      // An empty log's earliest is -1: start where its first record will be.
      m_streams.add(socket, memlog::first_readable(stats));
    } else if (from == u"latest"_s) {
      m_streams.add(socket, stats.next_offset);
    } else if (const auto offset = parseInteger(from)) {
      m_streams.add(socket, *offset);
    } else {
      m_streams.reject(socket, kCloseBadRequest,
                       u"'from' must be an offset, earliest or latest, not '%1'"_s.arg(quoted(from, kCloseQuote)));
    }
  }
}
