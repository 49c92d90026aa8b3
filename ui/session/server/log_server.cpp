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
#include <initializer_list>
#include <optional>

#include <memlog/sharded_log.hpp>

#include "adapter/log_adapter.hpp"
#include "encoding/record_json.hpp"

using namespace Qt::StringLiterals;
using log_answers::error;
using log_answers::errorBody;
using log_answers::json;
using log_answers::parseInteger;
using log_answers::quoted;
using Status = log_answers::Status;

namespace {

// Characters a WebSocket close reason quotes: its longest fixed text (52 characters) and 20
// quoted ones (3 UTF-8 bytes each at most, 4 per surrogate pair) and "…" stay within 123 bytes.
constexpr qsizetype kCloseQuote = 20;

constexpr QStringView kKeysPrefix = u"/keys/";

// The path's segments after the leading "/"; `pattern`'s "*" stands for any non-empty one.
bool matches(QStringView path, std::initializer_list<QStringView> pattern) {
  if (!path.startsWith(u'/')) return false;
  const auto segments = path.sliced(1).split(u'/');
  if (segments.size() != static_cast<qsizetype>(pattern.size())) return false;
  qsizetype i = 0;
  for (const QStringView want : pattern) {
    const QStringView have = segments[i++];
    if (want == u"*" ? have.isEmpty() : have != want) return false;
  }
  return true;
}

// The paths the routes serve, whatever the method (Qt's <arg> is one non-empty path segment):
// another method on one of them is 405 Method Not Allowed, not 404. A key is everything after
// "/keys/", even empty or with a "/" (which no <arg> takes: see answerMissing()).
bool isResource(QStringView path) {
  return matches(path, {u"range"}) || matches(path, {u"stats"}) || matches(path, {u"records"}) ||
         matches(path, {u"records", u"*"}) || matches(path, {u"shards"}) ||
         matches(path, {u"shards", u"*", u"range"}) || matches(path, {u"shards", u"*", u"records"}) ||
         matches(path, {u"shards", u"*", u"records", u"*"}) || path.startsWith(kKeysPrefix);
}

// "POST", "DELETE", ... for a message; Qt gives no name to a method it does not know.
QString methodName(QHttpServerRequest::Method method) {
  const char* key = QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(static_cast<int>(method));
  if (method == QHttpServerRequest::Method::Unknown || !key) return u"this method"_s;
  return QString::fromLatin1(key).toUpper();
}

QHttpServerResponse notSharded() {
  return error(Status::NotFound, "not_sharded", u"the log is not sharded: it has no shards and no keys"_s);
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
  m_address = address;
  return true;
}

void LogServer::setUpRoutes() {
  const auto get = QHttpServerRequest::Method::Get;
  m_http->route(u"/range"_s, get, [this] { return log_answers::range(*m_adapter->log()); });
  m_http->route(u"/stats"_s, get, [this] { return log_answers::stats(*m_adapter->log()); });
  m_http->route(u"/records"_s, get, [this](const QHttpServerRequest& request) {
    return log_answers::batch(*m_adapter->log(), request.query());
  });
  m_http->route(u"/records/<arg>"_s, get,
                [this](const QString& offset) { return log_answers::record(*m_adapter->log(), offset); });
  setUpShardRoutes();
  m_http->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
    answerMissing(request, responder);
  });
}

// Whatever no route took: an unknown path (404), or a known one with a method other than GET
// (405, with the Allow header it requires). Qt 6.4 routes HEAD like any other method (it does
// not answer HEAD from a GET route), so HEAD is not allowed either; and as it writes a body even
// to HEAD, the answer to a HEAD has its headers only.
void LogServer::answerMissing(const QHttpServerRequest& request, QHttpServerResponder& responder) const {
  const QString path = request.url().path();
  const bool known = isResource(path);
  // A key no <arg> takes: an empty one, or one with a "/".
  if (known && request.method() == QHttpServerRequest::Method::Get && path.startsWith(kKeysPrefix)) {
    keyResponse(request).write(std::move(responder));
    return;
  }
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
}

void LogServer::setShards(std::shared_ptr<const memlog::ShardedLog> log, const QString& sharder,
                          const QString& keyField) {
  assert((!log || sharder == u"fnv"_s || sharder == u"keys"_s) && "LogServer::setShards: sharder is fnv or keys");
  // The old shards' clients follow Logs no longer served: they reconnect to the new ones.
  if (log != m_shards) m_streams.closeShards(kCloseLogReplaced, u"log replaced"_s);
  m_shards = std::move(log);
  m_sharder = sharder;
  m_keyField = keyField;
}

void LogServer::setUpShardRoutes() {
  const auto get = QHttpServerRequest::Method::Get;
  m_http->route(u"/shards"_s, get, [this] { return shardsResponse(); });
  m_http->route(u"/shards/<arg>/range"_s, get, [this](const QString& shard) {
    return onShard(shard, [](const memlog::Log& log) { return log_answers::range(log); });
  });
  m_http->route(u"/shards/<arg>/records"_s, get, [this](const QString& shard, const QHttpServerRequest& request) {
    return onShard(shard, [&](const memlog::Log& log) { return log_answers::batch(log, request.query()); });
  });
  m_http->route(u"/shards/<arg>/records/<arg>"_s, get, [this](const QString& shard, const QString& offset) {
    return onShard(shard, [&](const memlog::Log& log) { return log_answers::record(log, offset); });
  });
  m_http->route(u"/keys/<arg>"_s, get,
                [this](const QString&, const QHttpServerRequest& request) { return keyResponse(request); });
}

template <class Answer>
QHttpServerResponse LogServer::onShard(const QString& index, Answer answer) const {
  if (!m_shards) return notSharded();
  const auto count = static_cast<qint64>(m_shards->shard_count());
  const auto shard = parseInteger(index);  // not a number, negative or too long: nullopt
  if (!shard || *shard >= count)
    return error(Status::NotFound, "no_such_shard",
                 u"no such shard '%1': the log has %2 shards, 0 to %3"_s.arg(quoted(index)).arg(count).arg(count - 1));
  return answer(m_shards->shard(static_cast<std::size_t>(*shard)));
}

QHttpServerResponse LogServer::shardsResponse() const {
  if (!m_shards) return notSharded();
  const std::size_t count = m_shards->shard_count();
  const QByteArray sharder = m_sharder.toUtf8(), keyField = m_keyField.toUtf8();
  QByteArray body = "{\"shards\":"_ba + QByteArray::number(static_cast<qulonglong>(count)) + ",\"sharder\":"_ba;
  record_json::appendString(body, std::string_view(sharder.constData(), static_cast<std::size_t>(sharder.size())));
  body += ",\"key_field\":"_ba;
  if (keyField.isEmpty())
    body += "null"_ba;
  else
    record_json::appendString(body, std::string_view(keyField.constData(), static_cast<std::size_t>(keyField.size())));
  body += ",\"ranges\":["_ba;
  body.reserve(body.size() + static_cast<qsizetype>(count) * 64);
  for (std::size_t i = 0; i < count; ++i) {
    const memlog::Stats stats = m_shards->shard(i).stats();  // one snapshot per shard
    if (i > 0) body += ',';
    body += "{\"shard\":"_ba + QByteArray::number(static_cast<qulonglong>(i)) + ",\"earliest\":"_ba +
            QByteArray::number(stats.range.earliest) + ",\"latest\":"_ba + QByteArray::number(stats.range.latest) +
            ",\"next\":"_ba + QByteArray::number(stats.next_offset) + '}';
  }
  body += "]}"_ba;
  return json(std::move(body));
}

QHttpServerResponse LogServer::keyResponse(const QHttpServerRequest& request) const {
  if (!m_shards) return notSharded();
  // From the path as sent, not Qt's decoded <arg>: a "%2F" is part of the key, not a separator,
  // and the key is the bytes the writer gave (a fully encoded path is ASCII). Only a client that
  // percent-encoded "/keys/" itself is answered from the decoded path.
  const QByteArray encoded = request.url().path(QUrl::FullyEncoded).toLatin1();
  const QByteArray key = encoded.startsWith("/keys/")
                             ? QByteArray::fromPercentEncoding(encoded.sliced(kKeysPrefix.size()))
                             : request.url().path().sliced(kKeysPrefix.size()).toUtf8();
  const std::string_view bytes(key.constData(), static_cast<std::size_t>(key.size()));
  const QString text = QString::fromUtf8(key);
  if (key.isEmpty()) return error(Status::NotFound, "invalid_key", u"the key is empty: use /keys/<key>"_s);
  if (!record_json::isValidUtf8(bytes))
    return error(Status::NotFound, "invalid_key",
                 u"the key '%1' is not UTF-8 once percent-decoded"_s.arg(quoted(text)));
  const auto shard = m_shards->shard_of(bytes);
  if (!shard)
    return error(Status::NotFound, "invalid_key",
                 u"no shard for the key '%1': %2"_s.arg(quoted(text), QString::fromStdString(shard.error().message())));
  QByteArray body = "{\"key\":"_ba;
  record_json::appendString(body, bytes);
  body += ",\"shard\":"_ba + QByteArray::number(static_cast<qulonglong>(*shard)) + '}';
  return json(std::move(body));
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
    const QUrlQuery query(url);
    // A close reason holds 123 bytes at most: what it quotes is cut shorter than in HTTP errors.
    if (url.path() != u"/stream"_s) {
      m_streams.reject(socket, kCloseBadRequest,
                       u"unknown path %1; use /stream?from=O|earliest|latest"_s.arg(quoted(url.path(), kCloseQuote)));
      continue;
    }
    // The log it follows: the adapter's, or the shard it names.
    std::shared_ptr<const memlog::Log> log = m_adapter->log();
    int shard = -1;
    if (query.hasQueryItem(u"shard"_s)) {
      const QString text = query.queryItemValue(u"shard"_s);
      const auto index = parseInteger(text);
      if (!m_shards) {
        m_streams.reject(socket, kCloseBadRequest,
                         u"the log is not sharded: no shard '%1'"_s.arg(quoted(text, kCloseQuote)));
        continue;
      }
      const auto count = static_cast<qint64>(m_shards->shard_count());
      if (!index || *index >= count) {
        m_streams.reject(socket, kCloseBadRequest,
                         u"no shard '%1'; shards are 0 to %2"_s.arg(quoted(text, kCloseQuote)).arg(count - 1));
        continue;
      }
      shard = static_cast<int>(*index);
      log = m_shards->shard_ptr(static_cast<std::size_t>(*index));
    }
    const QString from = query.queryItemValue(u"from"_s);
    const memlog::Stats stats = log->stats();
    std::optional<memlog::Offset> position = parseInteger(from);
    if (from == u"earliest"_s) {
      position = memlog::first_readable(stats);  // an empty log's earliest is -1: start at its first record
    } else if (from == u"latest"_s) {
      position = stats.next_offset;
    }
    if (!position) {
      m_streams.reject(socket, kCloseBadRequest,
                       u"'from' must be an offset, earliest or latest, not '%1'"_s.arg(quoted(from, kCloseQuote)));
    } else if (shard < 0) {
      m_streams.add(socket, *position);
    } else {
      m_streams.addShard(socket, std::move(log), shard, *position);
    }
  }
}
