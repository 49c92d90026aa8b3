// SPDX-License-Identifier: MIT
// bridge: why memlog exists. A legacy system has a JSON endpoint that must be polled; new clients
// want records pushed, each from where it left off. The bridge polls the endpoint (a JSON array of
// objects with increasing "id"s; each new id becomes a record) into a log and serves the log:
//   bridge --poll http://legacy.local/api/events --port 8765 [--interval-ms 1000]   # port 0: any
//   websocat 'ws://127.0.0.1:8765/?from=earliest'        # or ?from=OFFSET (a saved checkpoint)
// A client gets every record from its offset on, in order, one text message each:
// {"offset":N,"record":{...}}. One whose offset is purged is closed with code 4000.
#include <memlog/memlog.hpp>

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <vector>

int main(int argc, char* argv[]) {
  QCoreApplication app(argc, argv);
  auto option = [args = app.arguments()](const QString& name, const QString& otherwise) {
    const qsizetype i = args.indexOf(name);
    return i > 0 && i + 1 < args.size() ? args[i + 1] : otherwise;
  };
  const QUrl url(option("--poll", {}));
  const int port = option("--port", "8765").toInt(), interval = option("--interval-ms", "1000").toInt();
  if (!url.isValid() || url.scheme().isEmpty() || port < 0 || port > 65535 || interval <= 0)
    return std::fprintf(stderr, "usage: bridge --poll URL [--port N (0: any)] [--interval-ms MS]\n"), 2;
  const std::shared_ptr<memlog::Log> log = memlog::Log::create({.segment_size = 1000}).value();

  // Serving: each client has the offset it reads next; pump() sends it all the log has from there.
  QWebSocketServer server("memlog bridge", QWebSocketServer::NonSecureMode);
  std::map<QWebSocket*, memlog::Offset> clients;
  std::vector<memlog::Record> batch(256);  // reused: reading allocates nothing per record
  auto pump = [&](QWebSocket* client) {
    for (memlog::Offset& next = clients.at(client);;) {
      const memlog::BatchResult got = log->read_batch(next, batch);
      for (std::size_t i = 0; i < got.count; ++i)
        client->sendTextMessage(
            QString("{\"offset\":%1,\"record\":%2}").arg(batch[i].offset()).arg(QString::fromUtf8(batch[i].text())));
      next += static_cast<memlog::Offset>(got.count);
      if (got.error == memlog::Errc::out_of_range)  // purged (or negative): say where to resume
        return client->close(QWebSocketProtocol::CloseCode(4000), QString("earliest %1").arg(log->range().earliest));
      if (got.error) return;  // future_offset: it has all there is
    }
  };
  QObject::connect(&server, &QWebSocketServer::newConnection, [&] {
    while (QWebSocket* client = server.nextPendingConnection()) {
      QObject::connect(client, &QWebSocket::disconnected, [&clients, client] {
        clients.erase(client);
        client->deleteLater();
      });
      bool number = false;  // ?from=OFFSET, else the earliest record kept (0 while the log is empty)
      const memlog::Offset from = QUrlQuery(client->requestUrl()).queryItemValue("from").toLongLong(&number);
      clients[client] = number ? from : std::max<memlog::Offset>(log->range().earliest, 0);
      pump(client);
    }
  });
  if (!server.listen(QHostAddress::LocalHost, static_cast<quint16>(port)))
    return std::fprintf(stderr, "bridge: port %d: %s\n", port, qPrintable(server.errorString())), 1;

  // Polling, an interval after each answer: each object with a new id is written, then sent.
  QNetworkAccessManager network;
  qint64 last_id = -1;
  std::function<void()> poll = [&] {
    QNetworkReply* reply = network.get(QNetworkRequest(url));
    QObject::connect(reply, &QNetworkReply::finished, [&, reply] {
      reply->deleteLater();
      QTimer::singleShot(interval, poll);
      const QJsonDocument json = QJsonDocument::fromJson(reply->readAll());
      if (reply->error() || !json.isArray()) {  // tried again at the next poll
        std::fprintf(stderr, "bridge: %s\n", qPrintable(reply->error() ? reply->errorString() : "not a JSON array"));
        return;
      }
      for (const QJsonValue element : json.array()) {
        if (const qint64 id = element["id"].toInteger(-1); id > last_id) {
          const QByteArray record = QJsonDocument(element.toObject()).toJson(QJsonDocument::Compact);
          const auto offset = log->write(std::string_view(record.constData(), record.size()));  // copied
          std::fprintf(stderr, "bridge: id %lld -> %s\n", id,
                       offset ? ("offset " + std::to_string(*offset)).c_str() : offset.error().message().c_str());
          last_id = id;
        }
      }
      for (auto it = clients.begin(); it != clients.end();) pump((it++)->first);  // (pump may close it)
    });
  };
  poll();
  std::fprintf(stderr, "bridge: polling %s, serving ws://127.0.0.1:%d\n", qPrintable(url.url()), server.serverPort());
  return app.exec();
}
