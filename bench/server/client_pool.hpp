// SPDX-License-Identifier: MIT
// ClientPool: the bench's WebSocket clients, not QWebSockets: one epoll loop on its own thread
// speaks just enough WebSocket (RFC 6455: handshake, unmasked server frames, continuation,
// close, ping) and counts records cheaply — it finds each record's {"offset": key and checks
// the offset is the one expected, no JSON parse — so that a thousand of them cost the bench
// little and the figures are the server's.
//
// Threading: start() and stop() from one thread; the counters (open(), ended(), failed(),
// finished(), minNext()) are atomics, readable from any thread at any time; unreadBytes() asks
// the clients' thread and waits for its answer; everything else is valid only after stop().
#pragma once

#include <QtGlobal>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_support.hpp"

namespace server_bench {

struct ClientConfig {
  quint16 port = 0;
  std::string target;  // "/stream?from=0"
  int clients = 0;
  qint64 until = -1;       // a client is done once it has every offset below this; -1: never
  bool latency = false;    // payloads are steady_clock nanoseconds: collect write-to-receipt
  qint64 latencyFrom = 0;  // ... for offsets from this one (the warm-up before is skipped)
};

struct Conn {
  int fd = -1;
  enum class State { connecting, handshake, open, ended } state = State::connecting;
  std::string in;         // bytes not parsed yet (a partial frame or handshake)
  std::string fragments;  // a fragmented message so far
  qint64 first = -1;      // the first offset received
  qint64 next = -1;       // the offset expected next; -1 until the first message (from=latest)
  qint64 records = 0;
  qint64 bytes = 0;
  qint64 messages = 0;
  bool done = false;
  bool broken = false;  // a gap, a repeat, or a message without records
  bool closed = false;  // by the server (close frame, EOF, error) or never connected
  int closeCode = 0;
  std::string closeReason;
};

class ClientPool {
 public:
  explicit ClientPool(ClientConfig config)
      : m_config(std::move(config)), m_conns(static_cast<std::size_t>(m_config.clients)) {}
  ~ClientPool() { stop(); }
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  // Starts the thread: it connects the clients, a few at a time, and reads what they receive.
  void start();
  // Asks the thread to stop, closes every socket (the clients leave) and joins.
  void stop();

  int open() const { return m_open.load(); }           // handshakes completed
  int ended() const { return m_ended.load(); }         // done, or closed/broken
  int failed() const { return m_failed.load(); }       // closed or broken
  bool finished() const { return m_finished.load(); }  // the thread has left its loop
  qint64 minNext() const { return m_minNext.load(); }  // the least `next` of open clients (-1: one has none)
  // Bytes the server has sent that the clients have not read yet (their sockets' receive
  // queues), counted by the clients' thread on request; -1 if it did not answer within 1 s.
  qint64 unreadBytes();
  // The thread's time on a CPU and waiting for one, over its life (after stop()).
  SchedStat sched() const { return m_sched; }
  Clock::time_point lastDone() const { return m_lastDone; }  // valid after stop()

  // Valid after stop().
  const std::vector<Conn>& conns() const { return m_conns; }
  std::vector<qint64>& latenciesNs() { return m_latencies; }
  std::vector<qint64>& firstLatenciesNs() { return m_firstLatencies; }

 private:
  static constexpr int kMaxPendingHandshakes = 32;  // the server's accept backlog is small
  static constexpr std::string_view kRecord = "{\"offset\":";

  void run();
  void connectOne(std::size_t index);
  void end(Conn& c, bool failed, int code, std::string reason);
  void handle(Conn& c, std::uint32_t events, std::vector<char>& buffer, Clock::time_point now);
  std::size_t parseFrames(Conn& c, std::string_view data, Clock::time_point now);
  static std::size_t nextRecord(std::string_view text, std::size_t from);
  void message(Conn& c, std::string_view text, Clock::time_point now);
  void publishMinNext();

  ClientConfig m_config;
  std::vector<Conn> m_conns;
  std::vector<qint64> m_latencies;
  std::vector<qint64> m_firstLatencies;  // per record (from latencyFrom), the least over the clients
  int m_epoll = -1;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
  std::atomic<bool> m_finished{false};
  std::atomic<int> m_open{0};
  std::atomic<int> m_ended{0};
  std::atomic<int> m_failed{0};
  std::atomic<qint64> m_minNext{-1};
  std::atomic<bool> m_wantUnread{false};
  std::atomic<qint64> m_unread{-1};
  SchedStat m_schedAtStart, m_sched;
  Clock::time_point m_lastDone{};
  Clock::time_point m_published{};
};

}  // namespace server_bench
