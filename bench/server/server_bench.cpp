// SPDX-License-Identifier: MIT
// memlog_server_bench: how fast LogServer streams a log to WebSocket clients on loopback.
//
// For each client count (1, 4, 16) a fresh log holds kRecords records of kPayloadBytes
// (one segment, so nothing is purged); the clients connect with from=0 and the clock runs
// until every client has received every record. Each client checks that offsets arrive in
// order with no gap, so a fast wrong answer cannot pass. Server and clients share one event
// loop on one thread, as the monitor's GUI thread would: the figure is the whole pipeline
// (read_batch, JSON, WebSocket framing, TCP, and the client's share of the work).
//
// Usage: memlog_server_bench [records] (default 200000).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <QWebSocket>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "adapter/log_adapter.hpp"
#include "server/log_server.hpp"

using namespace Qt::StringLiterals;

namespace {

constexpr int kPayloadBytes = 64;
constexpr int kTimeoutMs = 300'000;

// A client that counts records and checks their order cheaply: it reads the first offset of
// each message and counts the records in it, instead of parsing all the JSON.
struct Client {
  QWebSocket socket;
  qint64 next = 0;  // the offset it expects next
  qint64 bytes = 0;
  bool broken = false;
};

struct Row {
  int clients = 0;
  double seconds = 0;
  qint64 delivered = 0;
  qint64 bytes = 0;
  bool ok = false;
};

Row run(int clientCount, qint64 records) {
  Row row;
  row.clients = clientCount;
  auto created = memlog::Log::create({.segment_size = static_cast<std::size_t>(records)});
  if (!created) return row;
  LogAdapter adapter(*created);
  const std::string payload(kPayloadBytes, 'p');
  for (qint64 i = 0; i < records; ++i)
    if (!adapter.log()->write(payload)) return row;

  LogServer server(&adapter);
  QString error;
  if (!server.listen(QHostAddress::LocalHost, 0, 0, &error)) {
    std::fprintf(stderr, "listen: %s\n", qPrintable(error));
    return row;
  }

  QEventLoop loop;
  int finished = 0;
  const QString marker = u"\"offset\":"_s;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < clientCount; ++i) {
    auto client = std::make_unique<Client>();
    Client* c = client.get();
    QObject::connect(&c->socket, &QWebSocket::textMessageReceived, [&, c](const QString& message) {
      c->bytes += message.size();
      qsizetype at = message.indexOf(marker);
      if (at < 0) {
        c->broken = true;
        return;
      }
      at += marker.size();
      qsizetype end = at;
      while (end < message.size() && message[end].isDigit()) ++end;
      if (QStringView(message).sliced(at, end - at).toLongLong() != c->next) c->broken = true;
      c->next += message.count(marker);
      if (c->next >= records || c->broken) {
        if (++finished == clientCount) loop.quit();
        c->socket.disconnect();  // count each client once
      }
    });
    clients.push_back(std::move(client));
  }

  QTimer::singleShot(kTimeoutMs, &loop, &QEventLoop::quit);
  QElapsedTimer clock;
  clock.start();
  const QUrl url(u"ws://127.0.0.1:%1/stream?from=0"_s.arg(server.webSocketPort()));
  for (const auto& c : clients) c->socket.open(url);
  loop.exec();
  row.seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;

  row.ok = finished == clientCount;
  for (const auto& c : clients) {
    row.delivered += c->next;
    row.bytes += c->bytes;
    row.ok = row.ok && !c->broken && c->next == records;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  qint64 records = 200'000;
  if (argc > 1) {
    bool ok = false;
    records = QString::fromLocal8Bit(argv[1]).toLongLong(&ok);
    if (!ok || records < 1) {
      std::fprintf(stderr, "usage: %s [records > 0]\n", argv[0]);
      return 2;
    }
  }

  std::printf("LogServer WebSocket streaming, loopback: %lld records of %d bytes per client\n\n",
              static_cast<long long>(records), kPayloadBytes);
  std::printf("%8s  %10s  %16s  %16s  %10s  %s\n", "clients", "seconds", "records/s total", "records/s/client", "MiB/s",
              "check");
  bool allOk = true;
  for (const int clients : {1, 4, 16}) {
    const Row row = run(clients, records);
    allOk = allOk && row.ok;
    const double total = row.seconds > 0 ? static_cast<double>(row.delivered) / row.seconds : 0;
    // Message sizes are counted in UTF-16 code units; the payloads are ASCII, so bytes on the wire.
    const double mib = row.seconds > 0 ? static_cast<double>(row.bytes) / row.seconds / (1 << 20) : 0;
    std::printf("%8d  %10.3f  %16.0f  %16.0f  %10.1f  %s\n", row.clients, row.seconds, total, total / clients, mib,
                row.ok ? "in order, complete" : "FAILED");
  }
  return allOk ? 0 : 1;
}
