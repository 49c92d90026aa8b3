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
// consecutive records, in offset order. Each client reads with read_batch from its own
// position, when the adapter announces appends and on connect; while more than
// kMaxPendingBytes of a client's messages are unsent it is not read for (backpressure), and
// it resumes on bytesWritten. Close codes: 4000 "fell behind the purge; earliest E" (the
// client reconnects from its checkpoint or from E), 4001 "log replaced", 4002 a bad path or
// "from".
//
// Every request and every read goes to adapter->log(), so the server follows logReplaced.
//
// Threading: a GUI-thread object; its sockets live on the same thread.
#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

#include <memlog/log.hpp>

class LogAdapter;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QWebSocket;
class QWebSocketServer;

class LogServer : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kMaxBatch = 10'000;          // records per GET /records
  static constexpr qint64 kDefaultBatch = 1'000;       // ... when max is not given
  static constexpr qint64 kMaxPendingBytes = 1 << 20;  // per WebSocket client
  static constexpr std::size_t kStreamBatch = 512;     // records per WebSocket message, at most

  // WebSocket close codes (private-use range 4000-4999).
  static constexpr int kCloseFellBehind = 4000;
  static constexpr int kCloseLogReplaced = 4001;
  static constexpr int kCloseBadRequest = 4002;

  // One WebSocket client, for the consumers panel.
  struct RemoteConsumer {
    QString peer;         // "address:port"
    qint64 position = 0;  // the next offset it will be sent
    qint64 lag = 0;       // records written but not sent to it yet
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

 signals:
  // A client connected or disconnected, or positions moved (merged: at most every 100 ms).
  void remoteConsumersChanged();

 private:
  struct Client;

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

  LogAdapter* m_adapter;
  QHttpServer* m_http = nullptr;
  QWebSocketServer* m_ws = nullptr;
  quint16 m_httpPort = 0;
  quint16 m_wsPort = 0;
  std::vector<std::unique_ptr<Client>> m_clients;
  std::vector<memlog::Record> m_batch;  // read buffer, reused
  QTimer m_changedTimer;                // merges remoteConsumersChanged
};
