// SPDX-License-Identifier: MIT
// StreamClients: the LogServer's WebSocket clients, each streamed the log from its own offset.
//
// The log is the buffer. A client is its next offset and at most kWindowBytes in flight (handed
// to its socket, not yet written to the network); when its socket drains, or the log grows, the
// next messages come from the BatchCache, which reads them from the log and encodes each once
// for all clients. So a slow client costs an offset, not a queue. A client the purge overtakes
// is closed (kCloseFellBehind) as soon as the purge is seen, even with its window full; when
// the log is replaced every client is closed (kCloseLogReplaced). When clients leave, the
// memory they held is given back to the system (malloc_trim, merged, on glibc).
//
// Where a socket streams from is the LogServer's to decide (it routes the request): add() or
// reject() takes the socket from there on.
//
// Threading: a GUI-thread object that follows the adapter; its sockets, its children, live on
// the same thread.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

#include <memlog/log.hpp>

#include "server/batch_cache.hpp"

class LogAdapter;
class QWebSocket;

class StreamClients : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kWindowBytes = 64 << 10;  // per client, in flight

  // WebSocket close codes (private-use range 4000-4999).
  static constexpr int kCloseFellBehind = 4000;
  static constexpr int kCloseLogReplaced = 4001;
  static constexpr int kCloseBadRequest = 4002;

  // One client, for the consumers panel.
  struct RemoteConsumer {
    QString peer;         // "address:port"
    qint64 position = 0;  // the next offset it will be sent
    qint64 lag = 0;       // records written but not sent to it yet
    qint64 inFlight = 0;  // bytes handed to its socket, not yet written to the network
  };

  explicit StreamClients(LogAdapter* adapter, QObject* parent = nullptr);
  ~StreamClients() override;

  // Takes `socket` (it becomes our child) and streams the log to it from `position`.
  void add(QWebSocket* socket, memlog::Offset position);
  // Takes `socket` only to close it with `code` and `reason` (at most 123 bytes of UTF-8).
  void reject(QWebSocket* socket, int code, const QString& reason);

  QList<RemoteConsumer> remoteConsumers() const;
  quint64 encodings() const { return m_cache.encodings(); }
  quint64 messagesSent() const { return m_messagesSent; }

 signals:
  // A client came or left, or positions moved (merged: at most every 100 ms).
  void changed();
  // The memory clients held went back to the system, 1 s after the last of them left.
  void memoryReturned();

 private:
  struct Client;
  Client& take(QWebSocket* socket);
  void pump(Client& client);  // sends what the client may have now
  void pumpAll();
  void close(Client& client, int code, const QString& reason);
  void remove(QWebSocket* socket);
  Client* find(QWebSocket* socket);
  void positionsChanged();

  LogAdapter* m_adapter;
  std::vector<std::unique_ptr<Client>> m_clients;
  QHash<QWebSocket*, Client*> m_bySocket;  // the same clients, found by their socket
  BatchCache m_cache;
  quint64 m_messagesSent = 0;
  QTimer m_changedTimer;  // merges changed()
  QTimer m_trimTimer;     // gives memory back after clients left
};
