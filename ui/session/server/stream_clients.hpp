// SPDX-License-Identifier: MIT
// StreamClients: the LogServer's WebSocket clients, each streamed a log from its own offset.
//
// The log is the buffer. A client is the log it follows, its next offset and at most
// kWindowBytes in flight (handed to its socket, not yet written to the network); when its
// socket drains, or its log grows, the next messages come from the BatchCache, which reads them
// from the log and encodes each once for all clients. So a slow client costs an offset, not a
// queue. A client the purge overtakes is closed (kCloseFellBehind) as soon as the purge is seen,
// even with its window full. When clients leave, the memory they held is given back to the
// system (malloc_trim, merged, on glibc).
//
// A client follows the adapter's log (add()) or one shard of a sharded log (addShard()). The
// adapter's clients are woken by its signals and closed when it replaces its log; a shard's
// clients are woken by an observer on that shard's Log (subscribed while it has clients, one
// delivery in flight for all shards, as in LogAdapter) and closed by closeShards() when the
// sharded log is replaced (both kCloseLogReplaced).
//
// Where a socket streams from is the LogServer's to decide (it routes the request): add(),
// addShard() or reject() takes the socket from there on.
//
// Threading: a GUI-thread object that follows the adapter; its sockets, its children, live on
// the same thread. Only the shard observers run on the writers' threads: they set flags and post
// one queued call (see ShardObserver in the .cpp).
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <cstddef>
#include <memory>
#include <unordered_map>
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
    QString name;         // what the client calls itself (?name=), cleaned; empty when it did not say
    qint64 position = 0;  // the next offset it will be sent
    qint64 lag = 0;       // records written but not sent to it yet
    qint64 inFlight = 0;  // bytes handed to its socket, not yet written to the network
    int shard = -1;       // the shard it follows; -1: the adapter's log
  };

  explicit StreamClients(LogAdapter* adapter, QObject* parent = nullptr);
  ~StreamClients() override;

  // Takes `socket` (it becomes our child) and streams the adapter's log to it from `position`.
  void add(QWebSocket* socket, memlog::Offset position);
  // The same for shard `shard` of a sharded log, whose Log is `log` (kept alive by the client).
  void addShard(QWebSocket* socket, std::shared_ptr<const memlog::Log> log, int shard, memlog::Offset position);
  // Closes every shard client with `code` and `reason`: the sharded log was replaced or dropped.
  void closeShards(int code, const QString& reason);
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
  class ShardObserver;
  // A shard Log with clients, observed while it has them (keyed by the Log, not the index: a
  // replaced sharded log's shard i is another Log than the new one's).
  struct ShardWatch {
    std::shared_ptr<ShardObserver> observer;
    memlog::Subscription subscription;
    int clients = 0;
  };

  Client& take(QWebSocket* socket, std::shared_ptr<const memlog::Log> log, int shard);
  void pump(Client& client);  // sends what the client may have now
  void pumpAdapterClients();  // the adapter's log changed
  void pumpShardClients();    // on the GUI thread: some observed shard changed
  void watch(const std::shared_ptr<const memlog::Log>& log);
  void unwatch(const memlog::Log* log);
  void close(Client& client, int code, const QString& reason);
  void release(Client& client);  // lets go of its log (and stops watching it if no one else does)
  void remove(QWebSocket* socket);
  Client* find(QWebSocket* socket);
  void positionsChanged();

  LogAdapter* m_adapter;
  std::vector<std::unique_ptr<Client>> m_clients;
  QHash<QWebSocket*, Client*> m_bySocket;  // the same clients, found by their socket
  std::unordered_map<const memlog::Log*, ShardWatch> m_shardWatches;
  std::atomic<bool> m_shardsPosted{false};  // a pumpShardClients() is queued
  BatchCache m_cache;
  quint64 m_messagesSent = 0;
  QTimer m_changedTimer;  // merges changed()
  QTimer m_trimTimer;     // gives memory back after clients left
};
