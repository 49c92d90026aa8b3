// SPDX-License-Identifier: MIT
// HttpFeed: polls a JSON REST endpoint — the legacy API case — and writes one record per new
// element of the list it returns.
//
// The response is a JSON array, or an object holding the array under "records", "items",
// "data", "entries", "results" or "events". An element that is an object with a "payload"
// string (memlog's own /records) becomes that payload (decoded when "encoding" is "base64");
// a string element becomes its text; anything else its compact JSON text.
//
// Where it left off, so that every element is written once:
//  - elements that carry an id ("id", "offset", "seq" or "sequence"; numbers compared as
//    numbers, strings as strings) are written only when above the highest id seen;
//  - without ids, the list is taken to grow at its end: elements past the count already seen
//    are new (a list that shrank was reset by the server: reported, read from its start);
//  - "{cursor}" in the URL (or "{cursor:DEFAULT}") is replaced by the response's "next" or
//    "cursor" value when it has one, else by the highest id seen — the endpoint then returns
//    only what is new, e.g. http://legacy/api/events?after={cursor:0} or another monitor's
//    http://127.0.0.1:8080/records?from={cursor:earliest}.
//
// Unreachable endpoints, HTTP errors and malformed JSON are reported and retried with
// back-off (memlog::feed::Feed). The requests run on the feed's own thread.
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <atomic>
#include <chrono>
#include <optional>

#include <memlog/source/feed.hpp>

class HttpFeed final : public memlog::feed::Feed {
 public:
  HttpFeed(const QString& url, std::shared_ptr<memlog::Log> log,
           std::chrono::milliseconds interval = std::chrono::milliseconds(1000));
  ~HttpFeed() override;

  // May be called while the feed runs (its thread reads it per request).
  void setRequestTimeout(std::chrono::milliseconds timeout) {
    m_timeoutMs.store(timeout.count(), std::memory_order_relaxed);
  }
  QString url() const;  // the URL of the next request, with the cursor filled in

 private:
  SessionEnd session(std::stop_token stop) override;
  // Writes what is new in one response; throws SessionError when it is not a list of records.
  void take(const QByteArray& body, const std::stop_token& stop);
  bool isNew(const QJsonValue& id);

  QString m_template;  // the URL as given, with its {cursor} placeholder
  std::chrono::milliseconds m_interval;
  std::atomic<std::chrono::milliseconds::rep> m_timeoutMs{10'000};

  mutable std::mutex m_mutex;  // guards the position below (url() reads it from other threads)
  QString m_cursor;            // what {cursor} is replaced with
  std::optional<double> m_highestNumber;
  std::optional<QString> m_highestString;
  qsizetype m_seenCount = 0;  // elements seen, for lists without ids
};
