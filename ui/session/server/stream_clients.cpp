// SPDX-License-Identifier: MIT
#include "server/stream_clients.hpp"

#include <QHostAddress>
#include <QWebSocket>

#include <algorithm>
#include <cassert>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "adapter/log_adapter.hpp"

using namespace Qt::StringLiterals;

struct StreamClients::Client {
  QWebSocket* socket = nullptr;  // our child, deleted on disconnect
  QString peer;
  memlog::Offset position = 0;  // the next offset to send
  qint64 inFlight = 0;          // bytes handed to the socket and not reported written yet
  bool closing = false;         // closed by us: send nothing more, wait for disconnected
};

StreamClients::StreamClients(LogAdapter* adapter, QObject* parent) : QObject(parent), m_adapter(adapter) {
  assert(adapter && "StreamClients needs an adapter");
  m_changedTimer.setSingleShot(true);
  m_changedTimer.setInterval(100);
  connect(&m_changedTimer, &QTimer::timeout, this, &StreamClients::changed);

  // Purges are checked too: a client held back by backpressure is closed as soon as it has
  // fallen behind, not when its socket drains.
  connect(m_adapter, &LogAdapter::appended, this, &StreamClients::pumpAll);
  connect(m_adapter, &LogAdapter::purged, this, &StreamClients::pumpAll);
  connect(m_adapter, &LogAdapter::logReplaced, this, [this] {
    m_cache.clear();  // the new log's offsets may name other records
    for (const auto& client : m_clients) close(*client, kCloseLogReplaced, u"log replaced"_s);
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
  // The sockets are our children; disconnect first so that their destruction does not call
  // back into a half-destroyed object.
  for (const auto& client : m_clients) client->socket->disconnect(this);
}

void StreamClients::add(QWebSocket* socket, memlog::Offset position) {
  Client& client = take(socket);
  client.position = position;
  pump(client);
  positionsChanged();
}

void StreamClients::reject(QWebSocket* socket, int code, const QString& reason) { close(take(socket), code, reason); }

StreamClients::Client& StreamClients::take(QWebSocket* socket) {
  socket->setParent(this);
  auto client = std::make_unique<Client>();
  client->socket = socket;
  client->peer = socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
  // Queued: a socket may disconnect inside close(), while pump() or pumpAll() still holds a
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
  if (const memlog::Range range = m_adapter->log()->range(); !range.empty() && client.position < range.earliest) {
    close(client, kCloseFellBehind, u"fell behind the purge; earliest %1"_s.arg(range.earliest));
    return;
  }
  const memlog::Offset before = client.position;
  // Pull: only while the client's window has room; its socket draining calls us again.
  while (client.inFlight < kWindowBytes) {
    std::error_code error;
    const BatchCache::Batch* batch = m_cache.at(*m_adapter->log(), client.position, &error);
    if (batch == nullptr) {
      if (error == memlog::Errc::out_of_range) {
        // A position before the log's earliest: purged, or before a replayed log's start.
        close(client, kCloseFellBehind,
              u"fell behind the purge; earliest %1"_s.arg(m_adapter->log()->range().earliest));
      }
      break;  // caught up (future_offset), or closed
    }
    client.inFlight += client.socket->sendTextMessage(batch->message);
    client.position += static_cast<qint64>(batch->count);
    ++m_messagesSent;
  }
  if (client.position != before) positionsChanged();
}

void StreamClients::pumpAll() {
  // Index loop: pump() may close a client but never adds or removes one here (a close's
  // disconnected is queued); unlike an iterator, an index would survive an append.
  // NOLINTNEXTLINE(modernize-loop-convert)
  for (std::size_t i = 0; i < m_clients.size(); ++i) pump(*m_clients[i]);
}

void StreamClients::close(Client& client, int code, const QString& reason) {
  if (client.closing) return;
  client.closing = true;
  client.socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
  positionsChanged();
}

StreamClients::Client* StreamClients::find(QWebSocket* socket) {
  // Every socket write of every client asks: a hash, not a walk over a thousand clients.
  return m_bySocket.value(socket, nullptr);
}

void StreamClients::remove(QWebSocket* socket) {
  const auto it = std::find_if(m_clients.begin(), m_clients.end(),
                               [socket](const auto& client) { return client->socket == socket; });
  if (it == m_clients.end()) return;
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
  const memlog::Offset next = m_adapter->log()->stats().next_offset;
  QList<RemoteConsumer> out;
  out.reserve(static_cast<qsizetype>(m_clients.size()));
  for (const auto& client : m_clients) {
    if (client->closing) continue;
    out.append({client->peer, client->position, std::max<qint64>(0, next - client->position), client->inFlight});
  }
  return out;
}
