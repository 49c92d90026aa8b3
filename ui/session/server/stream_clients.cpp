// SPDX-License-Identifier: MIT
#include "server/stream_clients.hpp"

#include <QHostAddress>
#include <QMetaObject>
#include <QSet>
#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>
#include <cassert>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "adapter/log_adapter.hpp"

using namespace Qt::StringLiterals;

namespace {
// A client's ?name=, fit to show in a table: printable, one line, at most kMaxName characters.
constexpr qsizetype kMaxName = 40;
QString clientName(const QUrl& url) {
  QString name = QUrlQuery(url).queryItemValue(u"name"_s, QUrl::FullyDecoded);
  for (QChar& c : name)
    if (!c.isPrint()) c = u' ';
  name = name.simplified();
  return name.size() > kMaxName ? name.left(kMaxName - 1) + u'…' : name;
}
}  // namespace

struct StreamClients::Client {
  QWebSocket* socket = nullptr;  // our child, deleted on disconnect
  QString peer;
  QString name;
  std::shared_ptr<const memlog::Log> log;  // the log it follows; null once closed (see close())
  int shard = -1;                          // -1: the adapter's log
  memlog::Offset position = 0;             // the next offset to send
  qint64 inFlight = 0;                     // bytes handed to the socket and not reported written yet
  bool closing = false;                    // closed by us: send nothing more, wait for disconnected
};

// Wakes the GUI thread when an observed shard Log grows or purges, as LogAdapter::Observer does
// for its log: a flag per shard, and at most one queued pumpShardClients() for all of them.
class StreamClients::ShardObserver final : public memlog::LogObserver {
 public:
  explicit ShardObserver(StreamClients* owner) : m_owner(owner) {}

  void on_append(memlog::Offset, memlog::Offset) override { wake(); }
  // A purge can overtake a client whose window is full: it is closed without waiting to drain.
  void on_purge(memlog::Offset, memlog::Offset, std::size_t, std::size_t) override { wake(); }

  // On the GUI thread, after clearing m_shardsPosted: whether the shard changed since last asked.
  bool takeChanged() { return m_changed.exchange(false, std::memory_order_seq_cst); }

 private:
  void wake() {
    // seq_cst store of m_changed, then seq_cst load of m_shardsPosted; pumpShardClients() does
    // the mirror image (clears posted, then takes changed). So either that pass sees this
    // change, or this writer sees posted false and queues another: no change goes unseen.
    m_changed.store(true, std::memory_order_seq_cst);
    std::atomic<bool>& posted = m_owner->m_shardsPosted;
    if (!posted.load(std::memory_order_seq_cst) && !posted.exchange(true, std::memory_order_seq_cst))
      QMetaObject::invokeMethod(m_owner, &StreamClients::pumpShardClients, Qt::QueuedConnection);
  }

  StreamClients* m_owner;  // outlives every callback: its destructor resets the subscriptions
  std::atomic<bool> m_changed{false};
};

StreamClients::StreamClients(LogAdapter* adapter, QObject* parent) : QObject(parent), m_adapter(adapter) {
  assert(adapter && "StreamClients needs an adapter");
  m_changedTimer.setSingleShot(true);
  m_changedTimer.setInterval(100);
  connect(&m_changedTimer, &QTimer::timeout, this, &StreamClients::changed);

  // Purges are checked too: a client held back by backpressure is closed as soon as it has
  // fallen behind, not when its socket drains.
  connect(m_adapter, &LogAdapter::appended, this, &StreamClients::pumpAdapterClients);
  connect(m_adapter, &LogAdapter::purged, this, &StreamClients::pumpAdapterClients);
  connect(m_adapter, &LogAdapter::logReplaced, this, [this] {
    m_cache.clear();  // the old log's messages will not be asked for again
    for (const auto& client : m_clients) {
      if (client->shard < 0) close(*client, kCloseLogReplaced, u"log replaced"_s);
    }
  });
  // Clients that left gave back their sockets' buffers to the allocator, which keeps them;
  // hand them to the system once the churn settles, so memory returns when clients leave.
  m_trimTimer.setSingleShot(true);
  m_trimTimer.setInterval(1000);
  connect(&m_trimTimer, &QTimer::timeout, this, [this] {
    if (m_clients.empty()) m_cache.clear();
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    emit memoryReturned();
  });
}

StreamClients::~StreamClients() {
  // No shard observer runs after this (reset() waits for a running callback); a call it queued
  // dies with this object.
  m_shardWatches.clear();
  // The sockets are our children; disconnect first so that their destruction does not call
  // back into a half-destroyed object.
  for (const auto& client : m_clients) client->socket->disconnect(this);
}

void StreamClients::add(QWebSocket* socket, memlog::Offset position) {
  Client& client = take(socket, m_adapter->log(), -1);
  client.position = position;
  pump(client);
  positionsChanged();
}

void StreamClients::addShard(QWebSocket* socket, std::shared_ptr<const memlog::Log> log, int shard,
                             memlog::Offset position) {
  assert(log && shard >= 0 && "StreamClients::addShard needs a shard's log and its index");
  // Observed before the first pump: a record written in between wakes us, it is not missed.
  watch(log);
  Client& client = take(socket, std::move(log), shard);
  client.position = position;
  pump(client);
  positionsChanged();
}

void StreamClients::closeShards(int code, const QString& reason) {
  bool any = false;
  for (const auto& client : m_clients) {
    if (client->shard < 0) continue;
    close(*client, code, reason);
    any = true;
  }
  if (any) m_cache.clear();  // the old shards' messages will not be asked for again
}

void StreamClients::reject(QWebSocket* socket, int code, const QString& reason) {
  close(take(socket, nullptr, -1), code, reason);
}

StreamClients::Client& StreamClients::take(QWebSocket* socket, std::shared_ptr<const memlog::Log> log, int shard) {
  socket->setParent(this);
  auto client = std::make_unique<Client>();
  client->socket = socket;
  client->log = std::move(log);
  client->shard = shard;
  client->peer = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
  client->name = clientName(socket->requestUrl());
  // Queued: a socket may disconnect inside close(), while pump() or a pump loop still holds a
  // reference to its Client.
  connect(
      socket, &QWebSocket::disconnected, this, [this, socket] { remove(socket); }, Qt::QueuedConnection);
  connect(socket, &QWebSocket::bytesWritten, this, [this, socket](qint64 bytes) {
    Client* c = find(socket);
    if (!c) return;
    // The socket drained: read the next batch from the log. bytesWritten also counts frame
    // headers, which `inFlight` does not: clamp at zero.
    c->inFlight = std::max<qint64>(0, c->inFlight - bytes);
    if (c->inFlight < kWindowBytes) pump(*c);
  });
  Client& c = *client;
  m_bySocket.insert(socket, client.get());
  m_clients.push_back(std::move(client));
  return c;
}

void StreamClients::pump(Client& client) {
  if (client.closing) return;
  // Overtaken by the purge, checked before the window: a client that stopped reading keeps
  // its window full and would otherwise never be told (nor let go).
  const memlog::Log& log = *client.log;
  if (const memlog::Range range = log.range(); !range.empty() && client.position < range.earliest) {
    close(client, kCloseFellBehind, u"fell behind the purge; earliest %1"_s.arg(range.earliest));
    return;
  }
  const memlog::Offset before = client.position;
  // Pull: only while the client's window has room; its socket draining calls us again.
  while (client.inFlight < kWindowBytes) {
    std::error_code error;
    const BatchCache::Batch* batch = m_cache.at(log, client.position, &error);
    if (batch == nullptr) {
      if (error == memlog::Errc::out_of_range) {
        // A position before the log's earliest: purged, or before a replayed log's start.
        close(client, kCloseFellBehind, u"fell behind the purge; earliest %1"_s.arg(log.range().earliest));
      }
      break;  // caught up (future_offset), or closed
    }
    client.inFlight += client.socket->sendTextMessage(batch->message);
    client.position += static_cast<qint64>(batch->count);
    ++m_messagesSent;
  }
  if (client.position != before) positionsChanged();
}

void StreamClients::pumpAdapterClients() {
  // Index loop: pump() may close a client but never adds or removes one here (a close's
  // disconnected is queued); unlike an iterator, an index would survive an append.
  // NOLINTNEXTLINE(modernize-loop-convert)
  for (std::size_t i = 0; i < m_clients.size(); ++i) {
    if (m_clients[i]->shard < 0) pump(*m_clients[i]);
  }
}

void StreamClients::pumpShardClients() {
  m_shardsPosted.store(false, std::memory_order_seq_cst);  // first: see ShardObserver::wake()
  QSet<const memlog::Log*> changed;
  for (const auto& [log, watch] : m_shardWatches) {
    if (watch.observer->takeChanged()) changed.insert(log);
  }
  if (changed.isEmpty()) return;
  // NOLINTNEXTLINE(modernize-loop-convert): as in pumpAdapterClients()
  for (std::size_t i = 0; i < m_clients.size(); ++i) {
    Client& client = *m_clients[i];
    if (client.shard >= 0 && changed.contains(client.log.get())) pump(client);
  }
}

void StreamClients::watch(const std::shared_ptr<const memlog::Log>& log) {
  ShardWatch& watch = m_shardWatches[log.get()];
  if (watch.clients++ > 0) return;
  watch.observer = std::make_shared<ShardObserver>(this);
  watch.subscription = log->observe(watch.observer);
}

void StreamClients::unwatch(const memlog::Log* log) {
  const auto it = m_shardWatches.find(log);
  if (it == m_shardWatches.end() || --it->second.clients > 0) return;
  m_shardWatches.erase(it);  // unsubscribes: no callback of it runs after this
}

void StreamClients::close(Client& client, int code, const QString& reason) {
  if (client.closing) return;
  client.closing = true;
  // It is sent nothing more: a replaced log goes now, not when a slow peer finishes closing.
  release(client);
  client.socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
  positionsChanged();
}

void StreamClients::release(Client& client) {
  if (!client.log) return;
  // Unwatched while the client still holds the log: a watched address is a live Log.
  if (client.shard >= 0) unwatch(client.log.get());
  client.log.reset();
}

StreamClients::Client* StreamClients::find(QWebSocket* socket) {
  // Every socket write of every client asks: a hash, not a walk over a thousand clients.
  return m_bySocket.value(socket, nullptr);
}

void StreamClients::remove(QWebSocket* socket) {
  const auto it = std::find_if(m_clients.begin(), m_clients.end(),
                               [socket](const auto& client) { return client->socket == socket; });
  if (it == m_clients.end()) return;
  release(**it);
  m_bySocket.remove(socket);
  m_clients.erase(it);
  socket->deleteLater();
  positionsChanged();
  m_trimTimer.start();
}

void StreamClients::positionsChanged() {
  if (!m_changedTimer.isActive()) m_changedTimer.start();
}

QList<StreamClients::RemoteConsumer> StreamClients::remoteConsumers() const {
  QList<RemoteConsumer> out;
  out.reserve(static_cast<qsizetype>(m_clients.size()));
  // Clients of one log are usually next to each other: one stats() per run of them.
  const memlog::Log* log = nullptr;
  memlog::Offset next = 0;
  for (const auto& client : m_clients) {
    if (client->closing) continue;
    if (client->log.get() != log) {
      log = client->log.get();
      next = log->stats().next_offset;
    }
    out.append({client->peer, client->name, client->position, std::max<qint64>(0, next - client->position),
                client->inFlight, client->shard});
  }
  return out;
}
