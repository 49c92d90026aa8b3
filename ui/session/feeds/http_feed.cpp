// SPDX-License-Identifier: MIT
#include "feeds/http_feed.hpp"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

#include <stop_token>

using namespace Qt::StringLiterals;
using memlog::SessionError;

namespace {
const QRegularExpression kCursor(u"\\{cursor(?::([^}]*))?\\}"_s);

std::string text(const QString& s) { return s.toStdString(); }

// The list of elements in a response, or nullopt when there is none.
std::optional<QJsonArray> elementsOf(const QJsonDocument& doc) {
  if (doc.isArray()) return doc.array();
  if (!doc.isObject()) return std::nullopt;
  const QJsonObject object = doc.object();
  for (const auto key : {"records", "items", "data", "entries", "results", "events"}) {
    const QJsonValue value = object.value(QLatin1StringView(key));
    if (value.isArray()) return value.toArray();
  }
  return std::nullopt;
}

// The element's id, or an undefined value when it has none.
QJsonValue idOf(const QJsonValue& element) {
  QJsonValue none(QJsonValue::Undefined);
  if (!element.isObject()) return none;
  const QJsonObject object = element.toObject();
  for (const auto key : {"id", "offset", "seq", "sequence"}) {
    QJsonValue value = object.value(QLatin1StringView(key));
    if (value.isDouble() || value.isString()) return value;
  }
  return none;
}

QString cursorText(const QJsonValue& value) {
  if (value.isString()) return value.toString();
  if (value.isDouble()) return QString::number(value.toInteger(static_cast<qint64>(value.toDouble())));
  return {};
}

QByteArray payloadOf(const QJsonValue& element) {
  if (element.isString()) return element.toString().toUtf8();
  if (element.isObject()) {
    const QJsonObject object = element.toObject();
    const QJsonValue payload = object.value(u"payload"_s);
    if (payload.isString()) {
      if (object.value(u"encoding"_s).toString() == u"base64"_s)
        return QByteArray::fromBase64(payload.toString().toLatin1());
      return payload.toString().toUtf8();
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
  }
  if (element.isArray()) return QJsonDocument(element.toArray()).toJson(QJsonDocument::Compact);
  // A bare number, boolean or null: its JSON text.
  return QJsonDocument(QJsonArray{element}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}
}  // namespace

HttpFeed::HttpFeed(const QString& url, std::shared_ptr<memlog::Log> log, std::chrono::milliseconds interval)
    : Feed("http:" + url.toStdString(), std::move(log)), m_template(url), m_interval(interval) {
  const QRegularExpressionMatch match = kCursor.match(url);
  if (match.hasMatch()) m_cursor = match.captured(1);
}

HttpFeed::~HttpFeed() { stop(); }

QString HttpFeed::url() const {
  std::lock_guard lock(m_mutex);
  QString url = m_template;
  url.replace(kCursor, QString::fromLatin1(QUrl::toPercentEncoding(m_cursor)));
  return url;
}

memlog::feed::Feed::SessionEnd HttpFeed::session(std::stop_token stop) {
  // Everything Qt here lives on this thread (QEventLoop gives it an event dispatcher).
  QNetworkAccessManager network;
  while (!stop.stop_requested()) {
    const QString address = url();
    QNetworkRequest request{QUrl(address)};
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(static_cast<int>(m_timeoutMs.load(std::memory_order_relaxed)));
    QNetworkReply* reply = network.get(request);
    {
      QEventLoop loop;
      QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
      // stop() wakes the wait at once: quit is queued to this thread's loop.
      std::stop_callback wake(stop,
                              [&loop] { QMetaObject::invokeMethod(&loop, &QEventLoop::quit, Qt::QueuedConnection); });
      if (!reply->isFinished()) loop.exec();
    }
    if (stop.stop_requested()) {
      reply->abort();
      delete reply;
      break;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();  // closed after a timeout
    const QNetworkReply::NetworkError error = reply->error();
    const QString errorText = reply->errorString();
    delete reply;
    if (status >= 400)
      throw SessionError(
          text(u"GET %1: HTTP %2 %3"_s.arg(address).arg(status).arg(QString::fromUtf8(body.left(200)).simplified())));
    if (error != QNetworkReply::NoError) throw SessionError(text(u"GET %1: %2"_s.arg(address, errorText)));
    take(body, stop);
    if (!sleep_for(m_interval, stop)) break;
  }
  return SessionEnd::finished;
}

bool HttpFeed::isNew(const QJsonValue& id) {
  if (id.isDouble()) {
    const double value = id.toDouble();
    if (m_highestNumber && value <= *m_highestNumber) return false;
    m_highestNumber = value;
    return true;
  }
  const QString value = id.toString();
  if (m_highestString && value <= *m_highestString) return false;
  m_highestString = value;
  return true;
}

void HttpFeed::take(const QByteArray& body, const std::stop_token& stop) {
  QJsonParseError parseError{};
  const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
  if (parseError.error != QJsonParseError::NoError)
    throw SessionError(text(u"the response is not JSON (%1 at byte %2): %3"_s.arg(parseError.errorString())
                                .arg(parseError.offset)
                                .arg(QString::fromUtf8(body.left(80)).simplified())));
  const std::optional<QJsonArray> elements = elementsOf(doc);
  if (!elements)
    throw SessionError(
        "the response is neither a JSON array nor an object with a \"records\", \"items\", \"data\", \"entries\", "
        "\"results\" or \"events\" array");

  connected();  // a good answer: reading (before the writes, so the state never lags them)
  std::unique_lock lock(m_mutex);
  qsizetype first = 0;
  const bool withIds = !elements->isEmpty() && !idOf(elements->first()).isUndefined();
  const bool paged = m_template.contains(kCursor);
  if (!withIds && !paged) {
    // A growing list: what is past the count already seen is new.
    if (elements->size() < m_seenCount) {
      lock.unlock();
      warn("the list shrank from " + std::to_string(m_seenCount) + " to " + std::to_string(elements->size()) +
           " elements (reset by the server?); reading it from its start");
      lock.lock();
      m_seenCount = 0;
    }
    first = m_seenCount;
    m_seenCount = elements->size();
  }
  std::vector<QByteArray> fresh;
  for (qsizetype i = first; i < elements->size(); ++i) {
    const QJsonValue element = elements->at(i);
    const QJsonValue id = idOf(element);
    if (withIds && !id.isUndefined() && !isNew(id)) continue;
    fresh.push_back(payloadOf(element));
  }
  // The cursor for the next request: the server's own, else the highest id seen.
  const QJsonObject object = doc.object();  // empty for an array
  const QString served = cursorText(object.contains(u"next"_s) ? object.value(u"next"_s) : object.value(u"cursor"_s));
  if (!served.isEmpty())
    m_cursor = served;
  else if (m_highestNumber)
    m_cursor = QString::number(static_cast<qint64>(*m_highestNumber));
  else if (m_highestString)
    m_cursor = *m_highestString;
  const QString position = m_cursor.isEmpty() ? u"%1 elements seen"_s.arg(m_seenCount) : u"cursor %1"_s.arg(m_cursor);
  lock.unlock();

  for (const QByteArray& payload : fresh) {
    if (payload.isEmpty()) continue;  // the log stores no empty records
    write(std::string_view(payload.constData(), static_cast<std::size_t>(payload.size())), stop);
    if (stop.stop_requested()) return;
  }
  set_position(text(position));
}
