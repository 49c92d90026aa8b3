// SPDX-License-Identifier: MIT
// LogServer: the adapter's log served to other processes, on loopback or the network.
//
// HTTP (QHttpServer), JSON bodies:
//   GET /range                   {"earliest","latest","next","empty"}
//   GET /stats                   the log's counters (memlog::Stats)
//   GET /records/<offset>        one record (see record_json.hpp)
//   GET /records?from=O&max=N    {"records":[...],"next":O'}: up to N (default 1000, at most
//                                kMaxBatch) records from O; from == next gives an empty list,
//                                so a poller can ask again from "next". O may be `earliest`
//                                or `latest` (the next offset) for a poller's first request.
// Errors are {"error","message","earliest","next"}: a future offset is 404 (future_offset),
// a purged one or one before the log's start 410 (purged), a bad or missing parameter 400
// (bad_request), an unknown path 404 (not_found), another method than GET on a known path 405
// (method_not_allowed, with "Allow: GET"; an answer to HEAD has no body). A message quotes at
// most 80 characters of what the request sent.
//
// A sharded log (setShards()) is served beside the adapter's, each shard a log of its own:
//   GET /shards                  {"shards":N,"sharder":"fnv"|"keys","key_field":F|null,
//                                "ranges":[{"shard":i,"earliest","latest","next"},...]}
//   GET /shards/<i>/range        as /range, on shard i
//   GET /shards/<i>/records/<offset>, GET /shards/<i>/records?from=O&max=N
//                                as /records/<offset> and /records?..., on shard i, errors
//                                included (their "earliest" and "next" are shard i's)
//   GET /keys/<key>              {"key","shard"}: the shard the key's records go to; the key is
//                                everything after "/keys/", percent-decoded, as UTF-8
// A shard index that is not one of 0..N-1 is 404 (no_such_shard); an empty key, one that is not
// UTF-8, or one the sharder refuses, 404 (invalid_key); these errors are {"error","message"}.
// Without a sharded log, all of these are 404 (not_sharded).
//
// WebSocket (QWebSocketServer on its own port), ws://host:port/stream?from=O|earliest|latest
// ("latest" = only records written from now on): each text message is a JSON array of
// consecutive records, in offset order. With &shard=i, shard i is streamed instead, its offsets
// its own.
//
// The log is the buffer: a client is its next offset and a small window in flight, and a batch
// is encoded once for every client at its offset (StreamClients, BatchCache).
//
// Close codes: 4000 "fell behind the purge; earliest E" (the client reconnects from its
// checkpoint or from E), 4001 "log replaced" (for a shard's client: the sharded log replaced or
// dropped), 4002 a bad path, "from" or "shard" (or a shard asked of a log that is not sharded).
//
// An HTTP connection that sends nothing for kHttpIdleMs (half a request, or an idle
// keep-alive) is closed: Qt 6.4's QHttpServer has no such timeout and would hold it forever.
// A WebSocket handshake not completed in 10 s is dropped by QWebSocketServer.
//
// Every request and every read goes to adapter->log(), so the server follows logReplaced. The
// shards are the sharded log's, whose shard Logs are never replaced while it lives.
//
// LogServer routes: it answers HTTP requests (what is about one log, with log_answers, for the
// adapter's log and each shard alike), and hands each WebSocket to StreamClients with the log
// and offset its request asked for (or to be closed, 4002), which streams to it from then on.
//
// Threading: a GUI-thread object; its sockets live on the same thread.
#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

#include "server/batch_cache.hpp"
#include "server/log_answers.hpp"
#include "server/stream_clients.hpp"

namespace memlog {
class ShardedLog;
}

class LogAdapter;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class QTcpServer;
class QWebSocketServer;

class LogServer : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kMaxBatch = log_answers::kMaxBatch;          // records per GET /records
  static constexpr qint64 kDefaultBatch = log_answers::kDefaultBatch;  // ... when max is not given
  static constexpr int kHttpIdleMs = 30'000;                           // an HTTP connection silent this long is closed
  // The stream's, here for the protocol's users (see StreamClients and BatchCache).
  static constexpr qint64 kWindowBytes = StreamClients::kWindowBytes;    // per client, in flight
  static constexpr qint64 kMessageBytes = BatchCache::kMessageBytes;     // a message stops growing past this
  static constexpr std::size_t kStreamBatch = BatchCache::kStreamBatch;  // records per message, at most
  static constexpr qint64 kCacheBytes = BatchCache::kCacheBytes;         // encoded messages kept for sharing

  // WebSocket close codes (private-use range 4000-4999).
  static constexpr int kCloseFellBehind = StreamClients::kCloseFellBehind;
  static constexpr int kCloseLogReplaced = StreamClients::kCloseLogReplaced;
  static constexpr int kCloseBadRequest = StreamClients::kCloseBadRequest;

  // One WebSocket client, for the consumers panel.
  using RemoteConsumer = StreamClients::RemoteConsumer;

  explicit LogServer(LogAdapter* adapter, QObject* parent = nullptr);

  // Listens for HTTP on httpPort and WebSocket on wsPort (0 = a free port each). On failure
  // returns false with the reason in *error (when given) and listens on neither.
  bool listen(const QHostAddress& address, quint16 httpPort, quint16 wsPort, QString* error = nullptr);

  // Serves `log`'s shards too (see above), before or after listen(); null: no longer sharded.
  // `sharder` ("fnv" or "keys") and `keyField` (the JSON field a key is taken from; empty: the
  // whole line) are what GET /shards reports. A new log closes the old one's stream clients
  // (kCloseLogReplaced).
  void setShards(std::shared_ptr<const memlog::ShardedLog> log, const QString& sharder, const QString& keyField);
  bool isListening() const { return m_httpPort != 0; }
  QHostAddress address() const { return m_address; }  // what listen() was given
  quint16 httpPort() const { return m_httpPort; }
  quint16 webSocketPort() const { return m_wsPort; }

  QList<RemoteConsumer> remoteConsumers() const { return m_streams.remoteConsumers(); }
  // Batches encoded and messages sent so far: with clients at one position, one encoding
  // serves them all.
  quint64 encodings() const { return m_streams.encodings(); }
  // How long an HTTP connection may stay silent (tests shorten it); call before listen().
  void setHttpIdleTimeout(int milliseconds) { m_httpIdleMs = milliseconds; }
  quint64 messagesSent() const { return m_streams.messagesSent(); }

 signals:
  // A client connected or disconnected, or positions moved (merged: at most every 100 ms).
  void remoteConsumersChanged();
  // Clients left and the memory they held went back to the system (about 1 s later).
  void memoryReturned();

 private:
  void setUpRoutes();
  void setUpShardRoutes();
  void answerMissing(const QHttpServerRequest& request, QHttpServerResponder& responder) const;
  QHttpServerResponse shardsResponse() const;
  QHttpServerResponse keyResponse(const QHttpServerRequest& request) const;
  // `answer` on shard `index`'s Log, or why there is none (not_sharded, no_such_shard).
  template <class Answer>
  QHttpServerResponse onShard(const QString& index, Answer answer) const;

  void acceptClients();         // routes each new WebSocket to m_streams
  void watchHttpConnections();  // notes new HTTP sockets' activity
  void closeIdleHttpConnections();

  LogAdapter* m_adapter;
  QHttpServer* m_http = nullptr;
  QWebSocketServer* m_ws = nullptr;
  QHostAddress m_address;
  quint16 m_httpPort = 0;
  quint16 m_wsPort = 0;
  StreamClients m_streams;  // the WebSocket clients
  QTimer m_idleTimer;       // closes silent HTTP connections
  int m_httpIdleMs = kHttpIdleMs;
  QTcpServer* m_httpTcp = nullptr;
  std::shared_ptr<const memlog::ShardedLog> m_shards;  // null: not sharded
  QString m_sharder;
  QString m_keyField;
};
