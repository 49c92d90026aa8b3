// SPDX-License-Identifier: MIT
#include "server/stream_follower.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>
#include <QWebSocket>

#include "server/stream_clients.hpp"

using namespace Qt::StringLiterals;

StreamFollower::StreamFollower(QString name, QObject* parent) : QObject(parent), m_name(std::move(name)) {}

StreamFollower::~StreamFollower() {
  m_leaving = true;
  if (m_socket) m_socket->abort();
}

void StreamFollower::follow(const QHostAddress& address, quint16 port, const QString& from) {
  m_address = address;
  m_port = port;
  m_start = from;
  open(from);
}

void StreamFollower::disconnectNow() {
  if (!m_socket) return;
  m_leaving = true;
  m_socket->close();
  m_state = State::disconnected;
  emit changed();
}

void StreamFollower::reconnect() {
  if (m_port == 0 || m_state != State::disconnected) return;
  open(m_next >= 0 ? QString::number(m_next) : m_start);
}

void StreamFollower::open(const QString& from) {
  if (m_socket) {
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
  }
  m_leaving = false;
  m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
  connect(m_socket, &QWebSocket::connected, this, [this] {
    m_state = State::following;
    emit changed();
  });
  connect(m_socket, &QWebSocket::textMessageReceived, this, &StreamFollower::onMessage);
  connect(m_socket, &QWebSocket::disconnected, this, &StreamFollower::onClosed);
  m_state = State::connecting;
  ++m_connections;
  QUrl url;
  url.setScheme(u"ws"_s);
  url.setHost(m_address.toString());
  url.setPort(m_port);
  url.setPath(u"/stream"_s);
  QUrlQuery query;
  query.addQueryItem(u"from"_s, from);
  query.addQueryItem(u"name"_s,
                     QString(m_name).replace(u'%', u"%25"_s).replace(u'&', u"%26"_s).replace(u'+', u"%2B"_s));
  url.setQuery(query);
  m_socket->open(url);
  emit changed();
}

void StreamFollower::onMessage(const QString& message) {
  const QJsonArray records = QJsonDocument::fromJson(message.toUtf8()).array();
  if (records.isEmpty()) return;
  const auto first = static_cast<qint64>(records.first().toObject().value(u"offset"_s).toDouble(-1));
  const auto last = static_cast<qint64>(records.last().toObject().value(u"offset"_s).toDouble(-1));
  if (m_next >= 0 && first > m_next) ++m_gaps;
  if (m_next >= 0 && first < m_next) ++m_duplicates;
  m_received += records.size();
  m_next = last + 1;
  emit changed();
}

void StreamFollower::onClosed() {
  const int code = m_socket->closeCode();
  const QString reason = m_socket->closeReason();
  m_lastClose = u"%1 %2"_s.arg(code).arg(reason);
  m_state = State::disconnected;
  if (!m_leaving && code == StreamClients::kCloseLogReplaced && m_port != 0) {
    // "log replaced" (reconfigured, crashed and replayed): the new log goes on from its own
    // first offset; follow it again from where this client was (a 4000 then says what is gone).
    open(m_next >= 0 ? QString::number(m_next) : m_start);
    return;
  }
  if (!m_leaving && code == StreamClients::kCloseFellBehind) {
    // "fell behind the purge; earliest E": what lies before E is gone; follow again from E.
    static const QRegularExpression kEarliest(u"earliest (\\d+)"_s);
    const QRegularExpressionMatch match = kEarliest.match(reason);
    if (match.hasMatch()) {
      const qint64 earliest = match.captured(1).toLongLong();
      if (m_next >= 0 && earliest > m_next) m_lost += earliest - m_next;
      m_next = earliest;
      open(QString::number(earliest));
      return;
    }
  }
  emit changed();
}
