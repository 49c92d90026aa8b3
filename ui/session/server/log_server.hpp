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
// WebSocket (QWebSocketServer on its own port), ws://host:port/stream?from=O|earliest|latest
// ("latest" = only records written from now on): each text message is a JSON array of
// consecutive records, in offset order.
//
// The log is the buffer. A client is its next offset and at most kWindowBytes in flight (sent
// to its socket, not yet written to the network); when its socket drains, or the log grows,
// the server reads the next batch from the log. So a slow client costs an offset, not a queue.
// Encoded once: a batch is encoded for the first client at its offset and kept, implicitly
// shared, in a small cache (kCacheBytes) keyed by its first offset; every client at that
// offset sends the same message. Sixteen clients at the tail cost one encoding.
// Close codes: 4000 "fell behind the purge; earliest E" (the client reconnects from its
// checkpoint or from E), 4001 "log replaced", 4002 a bad path or "from". When clients leave,
// the memory they held is given back to the system (malloc_trim, merged, on glibc).
//
// An HTTP connection that sends nothing for kHttpIdleMs (half a request, or an idle
// keep-alive) is closed: Qt 6.4's QHttpServer has no such timeout and would hold it forever.
// A WebSocket handshake not completed in 10 s is dropped by QWebSocketServer.
//
// Every request and every read goes to adapter->log(), so the server follows logReplaced.
//
// Threading: a GUI-thread object; its sockets live on the same thread.
#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

#include <memlog/log.hpp>

class LogAdapter;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QTcpServer;
class QWebSocket;
class QWebSocketServer;

class LogServer : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kMaxBatch = 10'000;        // records per GET /records
  static constexpr qint64 kDefaultBatch = 1'000;     // ... when max is not given
  static constexpr qint64 kWindowBytes = 64 << 10;   // per WebSocket client, in flight
  static constexpr qint64 kMessageBytes = 32 << 10;  // a message stops growing past this
  static constexpr std::size_t kStreamBatch = 512;   // records per WebSocket message, at most
  static constexpr qint64 kCacheBytes = 8 << 20;     // encoded messages kept for sharing
  static constexpr int kHttpIdleMs = 30'000;         // an HTTP connection silent this long is closed

  // WebSocket close codes (private-use range 4000-4999).
  static constexpr int kCloseFellBehind = 4000;
  static constexpr int kCloseLogReplaced = 4001;
  static constexpr int kCloseBadRequest = 4002;

  // One WebSocket client, for the consumers panel.
  struct RemoteConsumer {
    QString peer;         // "address:port"
    qint64 position = 0;  // the next offset it will be sent
    qint64 lag = 0;       // records written but not sent to it yet
    qint64 inFlight = 0;  // bytes handed to its socket, not yet written to the network
  };

  explicit LogServer(LogAdapter* adapter, QObject* parent = nullptr);
  ~LogServer() override;

  // Listens for HTTP on httpPort and WebSocket on wsPort (0 = a free port each). On failure
  // returns false with the reason in *error (when given) and listens on neither.
  bool listen(const QHostAddress& address, quint16 httpPort, quint16 wsPort, QString* error = nullptr);
  bool isListening() const { return m_httpPort != 0; }
  quint16 httpPort() const { return m_httpPort; }
  quint16 webSocketPort() const { return m_wsPort; }

  QList<RemoteConsumer> remoteConsumers() const;
  // Batches encoded and messages sent so far: with clients at one position, one encoding
  // serves them all.
  quint64 encodings() const { return m_encodings; }
  // How long an HTTP connection may stay silent (tests shorten it); call before listen().
  void setHttpIdleTimeout(int milliseconds) { m_httpIdleMs = milliseconds; }
  quint64 messagesSent() const { return m_messagesSent; }

 signals:
  // A client connected or disconnected, or positions moved (merged: at most every 100 ms).
  void remoteConsumersChanged();

 private:
  struct Client;
  struct Encoded {
    memlog::Offset first = 0;
    std::size_t count = 0;
    QString message;   // implicitly shared by every client that sends it
    qint64 bytes = 0;  // what it holds in memory (UTF-16), counted against kCacheBytes
  };
  // The message that starts at `position` (encoded now if no client asked for it yet), or
  // null when there is nothing to send; *error says why a read found nothing.
  const Encoded* encodedAt(memlog::Offset position, std::error_code* error);
  void forgetEncoded();

  void setUpRoutes();
  QHttpServerResponse rangeResponse() const;
  QHttpServerResponse statsResponse() const;
  QHttpServerResponse recordResponse(const QString& offset) const;
  QHttpServerResponse batchResponse(const QHttpServerRequest& request) const;

  void acceptClients();
  void pump(Client& client);  // sends what the client may have now
  void pumpAll();
  void closeClient(Client& client, int code, const QString& reason);
  void removeClient(QWebSocket* socket);
  Client* findClient(QWebSocket* socket);
  void positionsChanged();
  void watchHttpConnections();  // notes new HTTP sockets' activity
  void closeIdleHttpConnections();

  LogAdapter* m_adapter;
  QHttpServer* m_http = nullptr;
  QWebSocketServer* m_ws = nullptr;
  quint16 m_httpPort = 0;
  quint16 m_wsPort = 0;
  std::vector<std::unique_ptr<Client>> m_clients;
  QHash<QWebSocket*, Client*> m_bySocket;  // the same clients, found by their socket
  std::vector<memlog::Record> m_batch;     // read buffer, reused
  std::unordered_map<memlog::Offset, Encoded> m_encoded;
  std::deque<memlog::Offset> m_encodedOrder;  // oldest first, for eviction
  qint64 m_encodedBytes = 0;
  quint64 m_encodings = 0;
  quint64 m_messagesSent = 0;
  QTimer m_changedTimer;  // merges remoteConsumersChanged
  QTimer m_trimTimer;     // gives memory back after clients left
  QTimer m_idleTimer;     // closes silent HTTP connections
  int m_httpIdleMs = kHttpIdleMs;
  QTcpServer* m_httpTcp = nullptr;
};
