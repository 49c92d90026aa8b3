// SPDX-License-Identifier: MIT
// What the LogServer suites share: HTTP requests answered as status and JSON (or raw bytes),
// and a WebSocket client that records every offset it is streamed, in order.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace served_log {

inline constexpr int kTimeout = 20000;  // generous: the machine is shared and loaded

inline QUrl httpUrl(quint16 port, const QString& pathAndQuery) {
  return {QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(pathAndQuery)};
}
inline QUrl wsUrl(quint16 port, const QString& pathAndQuery) {
  return {QStringLiteral("ws://127.0.0.1:%1%2").arg(port).arg(pathAndQuery)};
}

struct HttpResult {
  int status = 0;
  QJsonObject body;
};

inline HttpResult get(const QUrl& url) {
  QNetworkAccessManager manager;
  std::unique_ptr<QNetworkReply> reply(manager.get(QNetworkRequest(url)));
  QSignalSpy finished(reply.get(), &QNetworkReply::finished);
  if (!finished.wait(kTimeout)) return {};
  HttpResult result;
  result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
  result.body = QJsonDocument::fromJson(reply->readAll()).object();
  return result;
}

// Any method, with its status, headers and raw body (a HEAD answer must have none).
struct RawResult {
  int status = 0;
  QByteArray allow;
  QByteArray body;
};

inline RawResult send(const QUrl& url, const QByteArray& method) {
  QNetworkAccessManager manager;
  const QNetworkRequest request(url);
  std::unique_ptr<QNetworkReply> reply(method == "HEAD" ? manager.head(request)
                                                        : manager.sendCustomRequest(request, method, QByteArray()));
  QSignalSpy finished(reply.get(), &QNetworkReply::finished);
  if (!finished.wait(kTimeout)) return {};
  return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->rawHeader("Allow"),
          reply->readAll()};
}

// A WebSocket client that records every offset it receives, in order.
struct StreamClient {
  StreamClient() {
    QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString& message) {
      const QJsonArray records = QJsonDocument::fromJson(message.toUtf8()).array();
      ++messages;
      for (const auto& value : records) {
        const QJsonObject record = value.toObject();
        offsets.append(record.value(u"offset").toInteger());
        payloads.append(record.value(u"payload").toString());
      }
    });
  }
  void open(const QUrl& url) { socket.open(url); }
  QWebSocket socket;
  QList<qint64> offsets;
  QStringList payloads;
  int messages = 0;
};

// Every offset of [first, first + count) exactly once, in order.
inline bool isRun(const QList<qint64>& offsets, qint64 first, qint64 count) {
  if (offsets.size() != count) return false;
  for (qint64 i = 0; i < count; ++i)
    if (offsets[i] != first + i) return false;
  return true;
}

}  // namespace served_log
