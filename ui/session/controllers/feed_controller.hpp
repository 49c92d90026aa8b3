// SPDX-License-Identifier: MIT
// FeedController: the real source the monitor reads (standard input, a file, an HTTP
// endpoint, a Redis stream) as a QObject for the source panel, the status bar and --headless.
// It follows the adapter's log: writes wait during a replacement, then go to the new log.
// Every new problem of the feed (unreachable, bad data, a record too large) is signalled once
// (WorkerController).
//
// Threading: a GUI-thread object; the feed reads and writes on its own thread.
#pragma once

#include <QString>

#include <chrono>
#include <memory>

#include <memlog/source/feed.hpp>

#include "controllers/worker_controller.hpp"

class LogAdapter;

class FeedController : public WorkerController {
  Q_OBJECT

 public:
  explicit FeedController(LogAdapter* adapter, QObject* parent = nullptr);
  ~FeedController() override;

  // Starts reading `source` ("stdin", "file:PATH", "http:URL", "redis:HOST:PORT/STREAM[@ID]"),
  // instead of the current one. A malformed name: false, the reason in `error`, nothing changes.
  bool open(const QString& source, QString* error = nullptr);
  void close();

  bool isOpen() const { return m_feed != nullptr; }
  QString source() const;  // the normalized name of the open source; empty when none
  memlog::feed::FeedStatus status() const;

  // How often an http: source polls (applies to sources opened afterwards).
  void setPollInterval(std::chrono::milliseconds interval) { m_pollInterval = interval; }
  std::chrono::milliseconds pollInterval() const { return m_pollInterval; }

  // A sharded session: sources opened from now on write through `router` to every shard, and
  // do not follow the adapter (which then only shows one shard of the log).
  void routeTo(std::shared_ptr<memlog::shard::ShardRouter> router) { m_router = std::move(router); }

 signals:
  void openChanged();  // a source was opened or closed (statusChanged and problem: WorkerController)

 private:
  std::optional<memlog::WorkerHealth> health() const override;

  LogAdapter* m_adapter;
  std::unique_ptr<memlog::feed::Feed> m_feed;
  std::chrono::milliseconds m_pollInterval{1000};
  std::shared_ptr<memlog::shard::ShardRouter> m_router;
};
