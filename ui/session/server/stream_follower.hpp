// SPDX-License-Identifier: MIT
// StreamFollower: a WebSocket client of LogServer's stream, as a program following the log
// would be one — used by the `serving` lesson to show what the protocol promises. It keeps
// its next offset (the offset after the last record it received) so that, when it goes away
// and comes back, it asks for ws://…/stream?from=NEXT and gets exactly the records it missed:
// no gap, no duplicate. Told "fell behind the purge; earliest E" (close code 4000), it counts
// the records it will never see (E − NEXT) and follows again from E, as a client should; told
// "log replaced" (4001), it follows the new log from NEXT.
//
// It checks what it receives: a message that does not start at its next offset counts as a
// gap (a jump forward) or a duplicate (a step back).
//
// Threading: a GUI-thread object (its socket lives on that thread).
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>

class QWebSocket;

class StreamFollower : public QObject {
  Q_OBJECT

 public:
  enum class State { disconnected, connecting, following };
  Q_ENUM(State)

  explicit StreamFollower(QString name, QObject* parent = nullptr);
  ~StreamFollower() override;

  // Follows ws://address:port/stream from `from`: "earliest", "latest" or an offset.
  void follow(const QHostAddress& address, quint16 port, const QString& from);
  // Goes away: the connection is closed, the next offset kept.
  void disconnectNow();
  // Comes back: from the next offset (or from where it first started, if it received nothing).
  void reconnect();

  QString name() const { return m_name; }
  State state() const { return m_state; }
  qint64 received() const { return m_received; }      // records, over every connection
  qint64 next() const { return m_next; }              // -1 until the first record
  qint64 lost() const { return m_lost; }              // records the purge took before they were read
  qint64 gaps() const { return m_gaps; }              // messages that skipped records (never, per protocol)
  qint64 duplicates() const { return m_duplicates; }  // messages that repeated records (never, per protocol)
  int connections() const { return m_connections; }   // connections opened, the first included
  QString lastClose() const { return m_lastClose; }   // "4000 fell behind the purge; earliest 600"

 signals:
  void changed();

 private:
  void open(const QString& from);
  void onMessage(const QString& message);
  void onClosed();

  QString m_name;
  QHostAddress m_address;
  quint16 m_port = 0;
  QString m_start;  // what follow() was told
  QWebSocket* m_socket = nullptr;
  State m_state = State::disconnected;
  bool m_leaving = false;  // disconnectNow(): the close is ours, not a reason to follow again
  qint64 m_received = 0;
  qint64 m_next = -1;
  qint64 m_lost = 0;
  qint64 m_gaps = 0;
  qint64 m_duplicates = 0;
  int m_connections = 0;
  QString m_lastClose;
};
