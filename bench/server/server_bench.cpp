// SPDX-License-Identifier: MIT
// memlog_server_bench: how LogServer serves a log to WebSocket clients on loopback.
//
// Three parts, each checked, so a fast wrong answer cannot pass:
//
// fan-out   For 1, 4, 16 and 64 clients, a fresh log holds `records` records of 64 bytes (one
//           segment, nothing purged); the clients connect with from=0 and the clock runs until
//           every client has received every record, in order. The server (LogAdapter and
//           LogServer) runs in this program's main thread and event loop, as in the monitor;
//           the clients run on a second thread, so their work does not hide the server's.
//           The median of --repeats runs per row (at least 5 for 1 and 4 clients: short runs;
//           no new run once a row has taken 15 s).
// latency   100 clients follow a log that a writer thread appends to at 1,000 records/s; each
//           payload is the steady_clock reading taken just before Log::write, and each client
//           takes its own reading when the message arrives. p50/p99 over every (client,
//           record) pair, after a warm-up.
// memory    The server's memory, so the server is its own process: the real memlog-monitor
//           --headless --serve (rate 1000, segments of 5000, no consumers), with
//           XDG_CONFIG_HOME in a temporary directory. Its VmRSS (/proc/PID/status): idle;
//           peak while 1000 clients follow the tail (each must receive every record from
//           where it joined, in order, be caught up at the end, and not be closed); after they
//           leave; and after each of three more rounds of 1000 clients joining and leaving.
//
// The clients are not QWebSockets: one epoll loop on its own thread speaks just enough
// WebSocket (RFC 6455: handshake, unmasked server frames, continuation, close, ping) and counts
// records cheaply — it finds each record's {"offset": key and checks the offset is the one
// expected, no JSON parse — so that a thousand of them cost the bench little and the figures
// are the server's. (A loopback client still costs a read per message: on two cores the
// clients' thread and the server's share the machine.)
//
// On stderr, besides progress: the machine's CPU pressure (/proc/pressure/cpu: the share of
// time some task waited for a CPU) at the start and the end, and for each fan-out run and the
// latency part how long the server's thread ran and how long it waited for a CPU
// (/proc/self/task/TID/schedstat) — on a shared machine, what the figures owe to others.
//
// Usage: memlog_server_bench [--json] [--records N] [--repeats N] [--clients C,C,...]
//                            [--latency-clients N] [--only fanout|latency|memory] [--monitor PATH]
//   --json     one JSON object on stdout instead of the table:
//              {"fanout":[{"clients":C,"records_per_second":R},...],
//               "latency":{"clients":100,"rate":1000,"p50_us":..,"p99_us":..},
//               "memory":{"clients":1000,"idle_mib":..,"peak_mib":..,"after_mib":..,
//                         "rounds_after_mib":[..,..,..]}}
//              (each part also has "ok": its checks passed). Progress goes to stderr.
//   --records  records per client in the fan-out (default 100000).
//   --repeats  runs per fan-out row (default 3).
//   --clients  the fan-out rows (default 1,4,16,64).
//   --latency-clients  clients in the latency part (default 100).
//   --monitor  the memlog-monitor binary (default: the one built with this bench).
// Exit code 0 when every check passed.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "adapter/log_adapter.hpp"
#include "server/log_server.hpp"

using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPayloadBytes = 64;
constexpr qint64 kRowBudgetMs = 15'000;  // fan-out: no new run of a row after this

// Progress and per-run figures go to stderr, so that stdout is the table or the JSON only.
__attribute__((format(printf, 1, 2))) void progress(const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fflush(stderr);
}

qint64 nowNs() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

// A thread's time on a CPU and waiting for one (runnable, not running), from the scheduler.
struct SchedStat {
  double runMs = 0, waitMs = 0;
};
SchedStat schedStat(pid_t tid, qint64 pid = 0) {
  SchedStat s;
  const std::string process = pid ? std::to_string(pid) : std::string("self");
  if (FILE* f = std::fopen(("/proc/" + process + "/task/" + std::to_string(tid) + "/schedstat").c_str(), "r")) {
    unsigned long long run = 0, wait = 0;
    if (std::fscanf(f, "%llu %llu", &run, &wait) == 2)
      s = {static_cast<double>(run) / 1e6, static_cast<double>(wait) / 1e6};
    std::fclose(f);
  }
  return s;
}

// How busy the machine is: the share of time some task waited for a CPU (Linux PSI), or "".
std::string cpuPressure() {
  std::string line;
  if (FILE* f = std::fopen("/proc/pressure/cpu", "r")) {
    char buffer[256];
    if (std::fgets(buffer, sizeof buffer, f)) line = buffer;
    std::fclose(f);
  }
  while (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

// --- WebSocket clients: one epoll loop on its own thread -------------------------------------

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

  void start() {
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_thread = std::thread([this] { run(); });
  }
  // Asks the thread to stop, closes every socket (the clients leave) and joins.
  void stop() {
    m_stop.store(true);
    if (m_thread.joinable()) m_thread.join();
    if (m_epoll >= 0) ::close(m_epoll);
    m_epoll = -1;
  }

  int open() const { return m_open.load(); }           // handshakes completed
  int ended() const { return m_ended.load(); }         // done, or closed/broken
  int failed() const { return m_failed.load(); }       // closed or broken
  bool finished() const { return m_finished.load(); }  // the thread has left its loop
  qint64 minNext() const { return m_minNext.load(); }  // the least `next` of open clients (-1: one has none)
  // Bytes the server has sent that the clients have not read yet (their sockets' receive
  // queues), counted by the clients' thread on request; -1 if it did not answer within 1 s.
  qint64 unreadBytes() {
    m_unread.store(-1);
    m_wantUnread.store(true);
    for (int i = 0; i < 100 && m_wantUnread.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return m_unread.load();
  }
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

  void run() {
    m_schedAtStart = schedStat(gettid());
    std::vector<char> buffer(256 << 10);
    std::vector<epoll_event> events(256);
    int opened = 0;
    int pending = 0;  // connecting or handshaking
    while (!m_stop.load(std::memory_order_relaxed)) {
      while (opened < m_config.clients && pending < kMaxPendingHandshakes) {
        Conn& c = m_conns[static_cast<std::size_t>(opened)];
        connectOne(static_cast<std::size_t>(opened++));
        if (c.state != Conn::State::ended) ++pending;
      }
      const int n = epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()), 20);
      const Clock::time_point now = Clock::now();
      for (int i = 0; i < n; ++i) {
        Conn& c = m_conns[events[static_cast<std::size_t>(i)].data.u32];
        const auto before = c.state;
        handle(c, events[static_cast<std::size_t>(i)].events, buffer, now);
        if (before != c.state && (before == Conn::State::connecting || before == Conn::State::handshake) &&
            c.state != Conn::State::connecting && c.state != Conn::State::handshake)
          --pending;
      }
      if (m_wantUnread.load(std::memory_order_relaxed)) {
        qint64 unread = 0;
        for (const Conn& c : m_conns) {
          int queued = 0;
          if (c.state == Conn::State::open && ioctl(c.fd, FIONREAD, &queued) == 0) unread += queued;
        }
        m_unread.store(unread);
        m_wantUnread.store(false);
      }
      if (now - m_published > std::chrono::milliseconds(10)) {  // O(clients): not on every wake-up
        publishMinNext();
        m_published = now;
      }
      if (m_config.until >= 0 && opened == m_config.clients && m_ended.load() == m_config.clients) break;
    }
    m_sched = schedStat(gettid());
    m_sched.runMs -= m_schedAtStart.runMs;
    m_sched.waitMs -= m_schedAtStart.waitMs;
    for (Conn& c : m_conns)
      if (c.fd >= 0) {
        ::close(c.fd);
        c.fd = -1;
      }
    m_finished.store(true);
  }

  void connectOne(std::size_t index) {
    Conn& c = m_conns[index];
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_config.port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only
    if (c.fd < 0 ||
        (::connect(c.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS)) {
      end(c, true, 0, "connect: " + std::string(std::strerror(errno)));
      return;
    }
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u32 = static_cast<std::uint32_t>(index);
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &event);
  }

  void end(Conn& c, bool failed, int code, std::string reason) {
    if (c.state == Conn::State::ended) return;
    c.state = Conn::State::ended;
    if (c.fd >= 0) {
      epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
      ::close(c.fd);
      c.fd = -1;
    }
    if (failed) {
      c.closed = true;
      c.closeCode = code;
      c.closeReason = std::move(reason);
      m_failed.fetch_add(1);
    }
    if (!c.done) m_ended.fetch_add(1);
  }

  void handle(Conn& c, std::uint32_t events, std::vector<char>& buffer, Clock::time_point now) {
    if (c.state == Conn::State::connecting) {
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
      if (error != 0) return end(c, true, 0, "connect: " + std::string(std::strerror(error)));
      if (!(events & EPOLLOUT)) return;
      const std::string request = "GET " + m_config.target +
                                  " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(m_config.port) +
                                  "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
      if (::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
        return end(c, true, 0, "handshake not sent");
      c.state = Conn::State::handshake;
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.u32 = static_cast<std::uint32_t>(&c - m_conns.data());
      epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &event);
      return;
    }
    if (c.state == Conn::State::ended) return;
    const ssize_t n = ::read(c.fd, buffer.data(), buffer.size());
    if (n == 0) return end(c, true, 0, "EOF");
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      return end(c, true, 0, "read: " + std::string(std::strerror(errno)));
    }
    std::string_view data(buffer.data(), static_cast<std::size_t>(n));
    if (!c.in.empty()) {
      c.in.append(data);
      data = c.in;
    }
    std::size_t used = 0;
    if (c.state == Conn::State::handshake) {
      const std::size_t headerEnd = data.find("\r\n\r\n");
      if (headerEnd == std::string_view::npos) {
        if (c.in.empty()) c.in.assign(data);
        return;
      }
      if (!data.starts_with("HTTP/1.1 101")) return end(c, true, 0, std::string(data.substr(0, data.find("\r\n"))));
      c.state = Conn::State::open;
      m_open.fetch_add(1);
      used = headerEnd + 4;
    }
    used += parseFrames(c, data.substr(used), now);
    if (c.state == Conn::State::ended) return;
    // Keep only the unparsed tail (a partial frame).
    if (!c.in.empty())
      c.in.erase(0, used);
    else if (used < data.size())
      c.in.assign(data.substr(used));
  }

  // Complete frames at the start of `data`: handled; returns the bytes they took.
  std::size_t parseFrames(Conn& c, std::string_view data, Clock::time_point now) {
    std::size_t at = 0;
    while (data.size() - at >= 2) {
      const auto* p = reinterpret_cast<const unsigned char*>(data.data() + at);
      const bool fin = (p[0] & 0x80) != 0;
      const int opcode = p[0] & 0x0f;
      const bool masked = (p[1] & 0x80) != 0;
      std::uint64_t length = p[1] & 0x7f;
      std::size_t header = 2;
      if (length == 126) {
        if (data.size() - at < 4) break;
        length = (std::uint64_t{p[2]} << 8) | p[3];
        header = 4;
      } else if (length == 127) {
        if (data.size() - at < 10) break;
        length = 0;
        for (int i = 0; i < 8; ++i) length = (length << 8) | p[2 + i];
        header = 10;
      }
      if (masked) header += 4;  // a server does not mask; tolerated, not unmasked
      if (data.size() - at < header + length) break;
      const std::string_view payload = data.substr(at + header, static_cast<std::size_t>(length));
      at += header + static_cast<std::size_t>(length);
      switch (opcode) {
        case 0x0:  // continuation
          c.fragments.append(payload);
          if (fin) {
            message(c, c.fragments, now);
            c.fragments.clear();
          }
          break;
        case 0x1:
        case 0x2:
          if (fin) {
            message(c, payload, now);
          } else {
            c.fragments.assign(payload);
          }
          break;
        case 0x8: {  // close
          const int code = payload.size() >= 2
                               ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1])
                               : 0;
          end(c, true, code, std::string(payload.size() > 2 ? payload.substr(2) : std::string_view{}));
          return at;
        }
        case 0x9: {  // ping: pong, masked with a zero key (the payload is unchanged)
          std::string pong{'\x8a', static_cast<char>(0x80 | std::min<std::size_t>(payload.size(), 125)), 0, 0, 0, 0};
          pong.append(payload.substr(0, 125));
          ::send(c.fd, pong.data(), pong.size(), MSG_NOSIGNAL);
          break;
        }
        default:
          break;  // pong
      }
      if (c.state == Conn::State::ended) break;  // a message was out of order
    }
    return at;
  }

  // Where the record at or after `from` starts (its {"offset": key), or npos. The text cannot
  // occur inside a payload: in a JSON string its quotes are escaped. memchr for '{' skips the
  // rest of a record quickly.
  static std::size_t nextRecord(std::string_view text, std::size_t from) {
    while (from < text.size()) {
      const void* brace = std::memchr(text.data() + from, '{', text.size() - from);
      if (brace == nullptr) return std::string_view::npos;
      const auto at = static_cast<std::size_t>(static_cast<const char*>(brace) - text.data());
      if (text.substr(at).starts_with(kRecord)) return at;
      from = at + 1;
    }
    return std::string_view::npos;
  }

  // One message: [{"offset":O,"created":"…","size":S,"payload":"…"},…]. Cheap: each record's
  // offset is checked against the one expected (in order, no gap), nothing else is parsed but,
  // for the latency, the payload's number.
  void message(Conn& c, std::string_view text, Clock::time_point now) {
    static constexpr std::string_view kPayload = "\"payload\":\"";
    // After a record's offset come at least ,"created":"<24>","size":S,"payload":""}.
    static constexpr std::size_t kRecordTail = 48;
    ++c.messages;
    c.bytes += static_cast<qint64>(text.size());
    std::size_t at = nextRecord(text, 0);
    if (at == std::string_view::npos) c.broken = true;
    const qint64 receivedNs = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    while (at != std::string_view::npos) {
      char* past = nullptr;
      const qint64 offset = std::strtoll(text.data() + at + kRecord.size(), &past, 10);
      if (c.next < 0) c.first = c.next = offset;  // from=latest: wherever it starts
      if (offset != c.next) {
        c.broken = true;
        break;
      }
      ++c.next;
      ++c.records;
      auto resume = static_cast<std::size_t>(past - text.data());
      if (m_config.latency) {
        const std::size_t payload = text.find(kPayload, resume);
        if (payload == std::string_view::npos) {
          c.broken = true;
          break;
        }
        if (offset >= m_config.latencyFrom) {
          const qint64 latency = receivedNs - std::strtoll(text.data() + payload + kPayload.size(), &past, 10);
          m_latencies.push_back(latency);
          // Per record, the first client's latency: the pipeline to one client, without the fan-out.
          const auto index = static_cast<std::size_t>(offset - m_config.latencyFrom);
          if (index >= m_firstLatencies.size()) m_firstLatencies.resize(index + 1, std::numeric_limits<qint64>::max());
          m_firstLatencies[index] = std::min(m_firstLatencies[index], latency);
        }
        resume = static_cast<std::size_t>(past - text.data());
      } else {
        resume += kRecordTail;
      }
      at = nextRecord(text, resume);
    }
    if (c.broken) {
      end(c, true, 0, "out of order");
      return;
    }
    if (m_config.until >= 0 && c.next >= m_config.until && !c.done) {
      c.done = true;
      m_lastDone = now;
      m_ended.fetch_add(1);
    }
  }

  void publishMinNext() {
    qint64 least = std::numeric_limits<qint64>::max();
    for (const Conn& c : m_conns)
      if (c.state == Conn::State::open) least = std::min(least, c.next);
    m_minNext.store(least);
  }

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

// Runs this thread's event loop (the in-process server's) until `done` or `timeoutMs`.
bool spinUntil(const std::function<bool()>& done, int timeoutMs) {
  QEventLoop loop;
  QTimer poll;
  poll.setInterval(5);
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    if (done()) loop.quit();
  });
  QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
  poll.start();
  if (!done()) loop.exec();
  return done();
}

// --- fan-out ---------------------------------------------------------------------------------

// Batches encoded and messages sent, where the server counts them (it did not always).
template <class Server>
std::pair<quint64, quint64> encodingsAndMessages(const Server& server) {
  if constexpr (requires {
                  server.encodings();
                  server.messagesSent();
                })
    return {server.encodings(), server.messagesSent()};
  else
    return {0, 0};
}

struct FanoutRun {
  double seconds = 0;
  qint64 delivered = 0;
  qint64 bytes = 0;
  quint64 encodings = 0;
  quint64 messages = 0;
  double serverRunMs = 0, serverWaitMs = 0, clientsRunMs = 0;  // CPU time; waiting for a CPU
  bool ok = false;
  std::string problem;
};

FanoutRun fanoutOnce(int clients, qint64 records) {
  FanoutRun run;
  auto created = memlog::Log::create({.segment_size = static_cast<std::size_t>(records)});
  if (!created) return run;
  LogAdapter adapter(*created);
  const std::string payload(kPayloadBytes, 'p');
  for (qint64 i = 0; i < records; ++i)
    if (!adapter.log()->write(payload)) return run;
  LogServer server(&adapter);
  QString error;
  if (!server.listen(QHostAddress::LocalHost, 0, 0, &error)) {
    run.problem = "listen: " + error.toStdString();
    return run;
  }

  ClientPool pool({.port = server.webSocketPort(), .target = "/stream?from=0", .clients = clients, .until = records});
  const SchedStat before = schedStat(gettid());
  const Clock::time_point start = Clock::now();
  pool.start();
  spinUntil([&] { return pool.finished(); }, 60'000);
  const SchedStat after = schedStat(gettid());
  pool.stop();
  run.serverRunMs = after.runMs - before.runMs;
  run.serverWaitMs = after.waitMs - before.waitMs;
  run.clientsRunMs = pool.sched().runMs;
  std::tie(run.encodings, run.messages) = encodingsAndMessages(server);
  run.seconds = std::chrono::duration<double>(pool.lastDone() - start).count();
  run.ok = pool.failed() == 0;
  for (const Conn& c : pool.conns()) {
    run.delivered += std::max<qint64>(0, c.records);
    run.bytes += c.bytes;
    if (!c.done || c.broken || c.closed || c.first != 0) {
      run.ok = false;
      if (run.problem.empty())
        run.problem = c.broken ? "out of order" : c.closed ? "closed: " + c.closeReason : "incomplete (timeout)";
    }
  }
  return run;
}

struct FanoutRow {
  int clients = 0;
  int runs = 0;
  FanoutRun median;
  double minTotal = 0, maxTotal = 0;
  bool ok = true;
  std::string problem;
};

FanoutRow fanout(int clients, qint64 records, int repeats) {
  FanoutRow row;
  row.clients = clients;
  std::vector<FanoutRun> runs;
  QElapsedTimer spent;
  spent.start();
  // Bounded: no new run once a row has taken kRowBudgetMs (a slow server gets fewer runs).
  for (int i = 0; i < repeats && (i == 0 || spent.elapsed() < kRowBudgetMs); ++i) {
    FanoutRun run = fanoutOnce(clients, records);
    progress(
        "  fan-out %2d clients, run %d: %.3f s, %.0f records/s; %llu encodings for %llu messages; server thread "
        "ran %.0f ms, waited %.0f ms for a CPU; clients' thread ran %.0f ms%s\n",
        clients, i + 1, run.seconds, run.seconds > 0 ? static_cast<double>(run.delivered) / run.seconds : 0.0,
        static_cast<unsigned long long>(run.encodings), static_cast<unsigned long long>(run.messages), run.serverRunMs,
        run.serverWaitMs, run.clientsRunMs, run.ok ? "" : (" FAILED: " + run.problem).c_str());
    row.ok = row.ok && run.ok;
    if (!run.ok && row.problem.empty()) row.problem = run.problem;
    runs.push_back(run);
  }
  auto total = [](const FanoutRun& r) { return r.seconds > 0 ? static_cast<double>(r.delivered) / r.seconds : 0.0; };
  std::sort(runs.begin(), runs.end(), [&](const auto& a, const auto& b) { return total(a) < total(b); });
  row.runs = static_cast<int>(runs.size());
  row.median = runs[(runs.size() - 1) / 2];  // of an even count, the lower
  row.minTotal = total(runs.front());
  row.maxTotal = total(runs.back());
  return row;
}

// --- latency ---------------------------------------------------------------------------------

struct Latency {
  int clients = 100;
  int rate = 1000;
  double seconds = 4.0;
  qint64 warmup = 500;  // records
  double p50us = 0, p99us = 0, maxUs = 0;
  double firstP50us = 0, firstP99us = 0;  // per record, the first client to receive it
  qint64 samples = 0;
  bool ok = false;
  std::string problem;
};

Latency latency(int clients) {
  Latency result;
  result.clients = clients;
  const qint64 total = result.warmup + static_cast<qint64>(result.seconds * result.rate);
  auto created = memlog::Log::create({.segment_size = static_cast<std::size_t>(total + 1)});
  if (!created) return result;
  LogAdapter adapter(*created);
  LogServer server(&adapter);
  if (!server.listen(QHostAddress::LocalHost, 0, 0)) return result;

  ClientPool pool({.port = server.webSocketPort(),
                   .target = "/stream?from=0",
                   .clients = result.clients,
                   .until = total,
                   .latency = true,
                   .latencyFrom = result.warmup});
  pool.start();
  if (!spinUntil([&] { return pool.open() == result.clients || pool.failed() > 0; }, 20'000) || pool.failed() > 0) {
    result.problem = "clients did not connect";
    return result;
  }
  spinUntil([] { return false; }, 200);  // let the accepts settle

  const std::shared_ptr<memlog::Log> log = adapter.log();
  std::atomic<bool> writeFailed{false};
  const SchedStat serverBefore = schedStat(gettid());
  const Clock::time_point writing = Clock::now();
  std::thread writer([&] {
    // A fixed schedule: record i is due at start + i / rate, whatever the previous one cost.
    const Clock::time_point start = Clock::now();
    const auto period = std::chrono::nanoseconds(1'000'000'000 / result.rate);
    for (qint64 i = 0; i < total; ++i) {
      std::this_thread::sleep_until(start + i * period);
      const std::string payload = std::to_string(nowNs());
      if (!log->write(payload)) writeFailed.store(true);
    }
  });
  spinUntil([&] { return pool.finished(); }, static_cast<int>(result.seconds * 1000) + 15'000);
  const double wallMs = std::chrono::duration<double, std::milli>(Clock::now() - writing).count();
  const SchedStat serverAfter = schedStat(gettid());
  writer.join();
  pool.stop();
  progress(
      "  latency: in %.0f ms the server's thread ran %.0f ms and waited %.0f ms for a CPU; the clients' thread "
      "(from its start) ran %.0f ms and waited %.0f ms\n",
      wallMs, serverAfter.runMs - serverBefore.runMs, serverAfter.waitMs - serverBefore.waitMs, pool.sched().runMs,
      pool.sched().waitMs);

  result.ok = !writeFailed.load() && pool.failed() == 0;
  for (const Conn& c : pool.conns())
    if (!c.done || c.broken || c.closed) {
      result.ok = false;
      result.problem = c.broken ? "out of order" : c.closed ? "closed: " + c.closeReason : "incomplete";
    }
  std::vector<qint64>& samples = pool.latenciesNs();
  result.samples = static_cast<qint64>(samples.size());
  if (samples.empty()) return result;
  auto percentile = [](std::vector<qint64>& v, double q) {
    std::sort(v.begin(), v.end());
    return static_cast<double>(v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]) /
           1e3;
  };
  result.p50us = percentile(samples, 0.50);
  result.p99us = percentile(samples, 0.99);
  result.maxUs = static_cast<double>(samples.back()) / 1e3;
  std::vector<qint64>& first = pool.firstLatenciesNs();
  if (!first.empty()) {
    result.firstP50us = percentile(first, 0.50);
    result.firstP99us = percentile(first, 0.99);
  }
  progress(
      "  latency: p50 %.0f us, p99 %.0f us, max %.0f us; the first client to get each record: p50 %.0f us, "
      "p99 %.0f us\n",
      result.p50us, result.p99us, result.maxUs, result.firstP50us, result.firstP99us);
  if (result.samples != (total - result.warmup) * result.clients) {
    result.ok = false;
    if (result.problem.empty()) result.problem = "missing samples";
  }
  return result;
}

// --- memory: the real memlog-monitor in its own process ---------------------------------------

struct Memory {
  int clients = 1000;
  double idleMib = 0, peakMib = 0, afterMib = 0;
  std::vector<double> roundsAfterMib;
  bool ok = false;
  std::string problem;
  double followSeconds = 0;
  qint64 recordsPerClient = 0;  // in the first phase, the least any client received
};

double rssMib(qint64 pid) {
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
  if (!f) return -1;
  char line[256];
  double kib = -1;
  while (std::fgets(line, sizeof line, f))
    if (std::strncmp(line, "VmRSS:", 6) == 0) kib = std::strtod(line + 6, nullptr);
  std::fclose(f);
  return kib / 1024.0;
}

// GET path on 127.0.0.1:port; the body, or nothing on failure.
std::optional<std::string> httpGet(quint16 port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
      // Until the body is complete: the server may keep the connection open.
      char buffer[4096];
      ssize_t n;
      while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
        response.append(buffer, static_cast<std::size_t>(n));
        const std::size_t headerEnd = response.find("\r\n\r\n");
        if (headerEnd == std::string::npos) continue;
        std::size_t length = response.find("\r\nContent-Length: ");
        if (length == std::string::npos) length = response.find("\r\ncontent-length: ");
        if (length != std::string::npos && length < headerEnd &&
            response.size() >= headerEnd + 4 + std::strtoull(response.c_str() + length + 18, nullptr, 10))
          break;
      }
    }
  }
  ::close(fd);
  if (!response.starts_with("HTTP/1.1 200")) return std::nullopt;
  const std::size_t body = response.find("\r\n\r\n");
  if (body == std::string::npos) return std::nullopt;
  return response.substr(body + 4);
}

qint64 jsonInteger(const std::string& body, const std::string& key) {
  const std::size_t at = body.find("\"" + key + "\":");
  return at == std::string::npos ? -1 : std::strtoll(body.c_str() + at + key.size() + 3, nullptr, 10);
}

// Two consecutive free ports on loopback (HTTP, WebSocket), found by binding; 0 if none.
quint16 freePortPair() {
  for (int attempt = 0; attempt < 20; ++attempt) {
    const int a = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(a, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    getsockname(a, reinterpret_cast<sockaddr*>(&address), &length);
    const quint16 port = ntohs(address.sin_port);
    ::close(a);
    if (port == 0 || port == 65535) continue;
    const int b = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    address.sin_port = htons(static_cast<quint16>(port + 1));
    const bool free = ::bind(b, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(b);
    if (free) return port;
  }
  return 0;
}

class Monitor {
 public:
  bool start(const QString& binary, QString* problem) {
    if (!m_config.isValid()) {
      *problem = u"no temporary directory"_s;
      return false;
    }
    for (int attempt = 0; attempt < 3; ++attempt) {
      m_port = freePortPair();
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
      m_process.setProcessEnvironment(env);
      m_process.setStandardOutputFile(m_config.filePath(u"stdout.txt"_s));
      m_process.setStandardErrorFile(m_config.filePath(u"stderr.txt"_s));
      m_process.start(binary, {u"--headless"_s, u"--serve"_s, u"127.0.0.1:%1"_s.arg(m_port), u"--rate"_s, u"1000"_s,
                               u"--segment-size"_s, u"5000"_s, u"--consumers"_s, u"0"_s});
      if (!m_process.waitForStarted(10'000)) {
        *problem = u"cannot start %1: %2"_s.arg(binary, m_process.errorString());
        return false;
      }
      const Clock::time_point deadline = Clock::now() + std::chrono::seconds(15);
      while (Clock::now() < deadline && m_process.state() == QProcess::Running) {
        if (httpGet(m_port, "/range")) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        m_process.waitForFinished(0);
      }
      QFile err(m_config.filePath(u"stderr.txt"_s));
      err.open(QIODevice::ReadOnly);
      *problem =
          u"memlog-monitor did not serve on %1: %2"_s.arg(m_port).arg(QString::fromUtf8(err.readAll()).trimmed());
      stop();
    }
    return false;
  }
  void stop() {
    if (m_process.state() == QProcess::NotRunning) return;
    m_process.terminate();
    if (!m_process.waitForFinished(10'000)) {
      m_process.kill();
      m_process.waitForFinished(5'000);
    }
  }
  ~Monitor() { stop(); }
  // The monitor's last line (after stop(): its summary of the run).
  QString lastLine() const {
    QFile out(m_config.filePath(u"stdout.txt"_s));
    if (!out.open(QIODevice::ReadOnly)) return {};
    const QList<QByteArray> lines = out.readAll().trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.back());
  }
  qint64 pid() const { return m_process.processId(); }
  quint16 httpPort() const { return m_port; }
  quint16 wsPort() const { return static_cast<quint16>(m_port + 1); }
  bool running() { return m_process.state() == QProcess::Running; }

 private:
  QTemporaryDir m_config;
  QProcess m_process;
  quint16 m_port = 0;
};

Memory memory(const QString& binary) {
  Memory result;
  Monitor monitor;
  QString problem;
  if (!monitor.start(binary, &problem)) {
    result.problem = problem.toStdString();
    return result;
  }
  const qint64 pid = monitor.pid();
  auto sleepSampling = [&](double seconds, double* peak) {
    const Clock::time_point until =
        Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (Clock::now() < until) {
      if (peak) *peak = std::max(*peak, rssMib(pid));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  auto fail = [&](std::string why) {
    if (result.problem.empty()) result.problem = std::move(why);
    result.ok = false;
  };

  sleepSampling(3.0, nullptr);
  result.idleMib = rssMib(pid);
  progress("  memory: idle %.1f MiB\n", result.idleMib);
  result.ok = true;

  // One round: the clients join at the tail, follow it, are checked, and leave.
  auto phase = [&](double followSeconds, const char* name) {
    ClientPool pool({.port = monitor.wsPort(), .target = "/stream?from=latest", .clients = result.clients});
    double peak = rssMib(pid);
    const SchedStat serverBefore = schedStat(static_cast<pid_t>(pid), pid);  // the monitor's main thread
    const Clock::time_point joining = Clock::now();
    pool.start();
    const Clock::time_point joinDeadline = joining + std::chrono::seconds(10);
    while (pool.open() + pool.failed() < result.clients && Clock::now() < joinDeadline) sleepSampling(0.05, &peak);
    if (pool.open() < result.clients)
      fail(std::string(name) + ": " + std::to_string(pool.open()) + " of " + std::to_string(result.clients) +
           " connected");
    const Clock::time_point joined = Clock::now();
    sleepSampling(followSeconds, &peak);
    // Caught up: every client has every record up to the log's next offset of now.
    const Clock::time_point asked = Clock::now();
    std::optional<std::string> range;
    for (int attempt = 0; attempt < 3 && !range; ++attempt) range = httpGet(monitor.httpPort(), "/range");
    const qint64 next = range ? jsonInteger(*range, "next") : -1;
    const Clock::time_point answered = Clock::now();
    const Clock::time_point catchUp = answered + std::chrono::seconds(5);
    while (next > 0 && pool.minNext() < next && Clock::now() < catchUp) sleepSampling(0.01, &peak);
    const double caughtUp = std::chrono::duration<double>(Clock::now() - answered).count();
    const qint64 least = pool.minNext();
    // If some are behind: is it the server (nothing queued for them) or the clients (unread data)?
    const qint64 unread = least < next ? pool.unreadBytes() : 0;
    const SchedStat serverAfter = schedStat(static_cast<pid_t>(pid), pid);
    const double phaseMs = std::chrono::duration<double, std::milli>(Clock::now() - joining).count();
    pool.stop();  // the clients leave
    result.peakMib = std::max(result.peakMib, peak);
    int closed = 0, broken = 0, behind = 0;
    qint64 fewest = std::numeric_limits<qint64>::max();
    std::string reason;
    for (const Conn& c : pool.conns()) {
      closed += c.closed ? 1 : 0;
      broken += c.broken ? 1 : 0;
      behind += (c.next < next) ? 1 : 0;
      fewest = std::min(fewest, c.records);
      if (c.closed && reason.empty()) reason = std::to_string(c.closeCode) + " " + c.closeReason;
    }
    progress(
        "  memory: %s: %d clients joined in %.1f s, followed %.0f s, peak %.1f MiB; GET /range took %.0f ms: "
        "next %lld; %s %lld %.2f s later; fewest records %lld; closed %d, out of order %d, behind %d%s%s\n",
        name, pool.open(), std::chrono::duration<double>(joined - joining).count(), followSeconds, peak,
        std::chrono::duration<double, std::milli>(answered - asked).count(), static_cast<long long>(next),
        least >= next ? "every client there" : "slowest at", static_cast<long long>(least), caughtUp,
        static_cast<long long>(fewest), closed, broken, behind, reason.empty() ? "" : "; ", reason.c_str());
    progress(
        "  memory: %s: in %.0f ms the monitor's main thread ran %.0f ms and waited %.0f ms for a CPU; the clients' "
        "thread ran %.0f ms and waited %.0f ms%s\n",
        name, phaseMs, serverAfter.runMs - serverBefore.runMs, serverAfter.waitMs - serverBefore.waitMs,
        pool.sched().runMs, pool.sched().waitMs,
        least < next ? ("; unread in the clients' receive queues: " + std::to_string(unread >> 10) + " KiB").c_str()
                     : "");
    if (next <= 0) fail(std::string(name) + ": GET /range failed");
    if (closed || broken || behind)
      fail(std::string(name) + ": " + std::to_string(closed) + " closed (" + reason + "), " + std::to_string(broken) +
           " out of order, " + std::to_string(behind) + " behind");
    return fewest;
  };

  result.followSeconds = 5;
  result.recordsPerClient = phase(result.followSeconds, "first");
  sleepSampling(3.0, nullptr);  // the server trims a second after the last client left
  result.afterMib = rssMib(pid);
  progress("  memory: after they left %.1f MiB\n", result.afterMib);
  for (int i = 0; i < 3; ++i) {
    phase(2.0, ("round " + std::to_string(i + 1)).c_str());
    sleepSampling(3.0, nullptr);
    result.roundsAfterMib.push_back(rssMib(pid));
    progress("  memory: after round %d %.1f MiB\n", i + 1, result.roundsAfterMib.back());
  }
  if (!monitor.running()) fail("memlog-monitor exited");
  monitor.stop();
  progress("  memory: memlog-monitor said: %s\n", qPrintable(monitor.lastLine()));
  return result;
}

void raiseOpenFiles() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max && limit.rlim_cur < 8192) {
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 8192);
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  raiseOpenFiles();
  bool json = false;
  qint64 records = 100'000;
  int repeats = 3;
  std::vector<int> fanoutClients{1, 4, 16, 64};
  int latencyClients = 100;
  QString only;
#ifdef MEMLOG_MONITOR_BINARY
  QString monitor = QString::fromLocal8Bit(MEMLOG_MONITOR_BINARY);
#else
  QString monitor;
#endif
  const QStringList args = QCoreApplication::arguments();
  auto usage = [&] {
    std::fprintf(stderr,
                 "usage: %s [--json] [--records N] [--repeats N] [--clients C,C,...] [--latency-clients N] "
                 "[--only fanout|latency|memory] [--monitor PATH]\n",
                 argv[0]);
    return 2;
  };
  for (qsizetype i = 1; i < args.size(); ++i) {
    const QString& a = args[i];
    bool ok = true;
    if (a == u"--json"_s) {
      json = true;
    } else if (a == u"--records"_s && i + 1 < args.size()) {
      records = args[++i].toLongLong(&ok);
      ok = ok && records > 0;
    } else if (a == u"--repeats"_s && i + 1 < args.size()) {
      repeats = args[++i].toInt(&ok);
      ok = ok && repeats > 0;
    } else if (a == u"--only"_s && i + 1 < args.size()) {
      only = args[++i];
      ok = only == u"fanout"_s || only == u"latency"_s || only == u"memory"_s;
    } else if (a == u"--clients"_s && i + 1 < args.size()) {
      fanoutClients.clear();
      for (const QString& part : args[++i].split(u',')) {
        fanoutClients.push_back(part.toInt(&ok));
        if (!ok || fanoutClients.back() < 1 || fanoutClients.back() > 1000) return usage();
      }
    } else if (a == u"--latency-clients"_s && i + 1 < args.size()) {
      latencyClients = args[++i].toInt(&ok);
      ok = ok && latencyClients > 0 && latencyClients <= 1000;
    } else if (a == u"--monitor"_s && i + 1 < args.size()) {
      monitor = args[++i];
    } else if (!a.startsWith(u'-')) {  // the old form: memlog_server_bench [records]
      records = a.toLongLong(&ok);
      ok = ok && records > 0;
    } else {
      ok = false;
    }
    if (!ok) return usage();
  }
  auto want = [&](const char* part) { return only.isEmpty() || only == QString::fromLatin1(part); };

  bool allOk = true;
  progress("machine: %s\n", cpuPressure().c_str());
  std::vector<FanoutRow> rows;
  if (want("fanout")) {
    progress("fan-out: %lld records of %d bytes to each client\n", static_cast<long long>(records), kPayloadBytes);
    for (const int clients : fanoutClients) {
      // One and four clients make short runs: more of them, for a steadier median.
      rows.push_back(fanout(clients, records, clients <= 4 ? std::max(repeats, 5) : repeats));
      allOk = allOk && rows.back().ok;
    }
  }
  std::optional<Latency> lat;
  if (want("latency")) {
    progress("latency: %d clients, 1000 records/s\n", latencyClients);
    lat = latency(latencyClients);
    allOk = allOk && lat->ok;
  }
  std::optional<Memory> mem;
  if (want("memory")) {
    progress("memory: %s\n", qPrintable(monitor));
    if (monitor.isEmpty()) {
      mem.emplace();
      mem->problem = "no memlog-monitor (--monitor PATH)";
    } else {
      mem = memory(monitor);
    }
    allOk = allOk && mem->ok;
  }

  progress("machine: %s\n", cpuPressure().c_str());
  auto total = [](const FanoutRun& r) { return r.seconds > 0 ? static_cast<double>(r.delivered) / r.seconds : 0.0; };
  if (json) {
    std::string out = "{";
    if (!rows.empty()) {
      out += "\"fanout\": [";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        char line[256];
        std::snprintf(line, sizeof line, "%s{\"clients\": %d, \"records_per_second\": %.0f, \"runs\": %d, \"ok\": %s}",
                      i ? ", " : "", rows[i].clients, total(rows[i].median), rows[i].runs,
                      rows[i].ok ? "true" : "false");
        out += line;
      }
      out += "]";
    }
    if (lat) {
      char line[256];
      std::snprintf(line, sizeof line,
                    "%s\"latency\": {\"clients\": %d, \"rate\": %d, \"p50_us\": %.0f, \"p99_us\": %.0f, \"max_us\": "
                    "%.0f, \"ok\": %s}",
                    out.size() > 1 ? ", " : "", lat->clients, lat->rate, lat->p50us, lat->p99us, lat->maxUs,
                    lat->ok ? "true" : "false");
      out += line;
    }
    if (mem) {
      char line[512];
      std::snprintf(line, sizeof line,
                    "%s\"memory\": {\"clients\": %d, \"idle_mib\": %.1f, \"peak_mib\": %.1f, \"after_mib\": %.1f, "
                    "\"rounds_after_mib\": [",
                    out.size() > 1 ? ", " : "", mem->clients, mem->idleMib, mem->peakMib, mem->afterMib);
      out += line;
      for (std::size_t i = 0; i < mem->roundsAfterMib.size(); ++i) {
        std::snprintf(line, sizeof line, "%s%.1f", i ? ", " : "", mem->roundsAfterMib[i]);
        out += line;
      }
      out += mem->ok ? "], \"ok\": true}" : "], \"ok\": false}";
    }
    out += "}\n";
    std::fputs(out.c_str(), stdout);
  } else {
    if (!rows.empty()) {
      std::printf("\nFan-out: %lld records of %d bytes to each client, loopback; the median run of each row\n\n",
                  static_cast<long long>(records), kPayloadBytes);
      std::printf("%8s  %5s  %8s  %16s  %16s  %23s  %8s  %s\n", "clients", "runs", "seconds", "records/s total",
                  "records/s/client", "slowest-fastest run", "MiB/s", "check");
      for (const FanoutRow& row : rows) {
        const double t = total(row.median);
        const double mib =
            row.median.seconds > 0 ? static_cast<double>(row.median.bytes) / row.median.seconds / (1 << 20) : 0;
        std::printf("%8d  %5d  %8.3f  %16.0f  %16.0f  %11.0f-%-11.0f  %8.1f  %s\n", row.clients, row.runs,
                    row.median.seconds, t, t / row.clients, row.minTotal, row.maxTotal, mib,
                    row.ok ? "in order, complete" : ("FAILED: " + row.problem).c_str());
      }
      const auto one = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.clients == 1; });
      const auto sixteen = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.clients == 16; });
      if (one != rows.end() && sixteen != rows.end() && total(one->median) > 0)
        std::printf("16 clients / 1 client: %.2fx (target >= 2x)\n", total(sixteen->median) / total(one->median));
    }
    if (lat) {
      std::printf("\nLatency, Log::write to receipt, %d clients at %d records/s, %.0f s after %lld warm-up records:\n",
                  lat->clients, lat->rate, lat->seconds, static_cast<long long>(lat->warmup));
      std::printf("  p50 %.0f us, p99 %.0f us (target <= 2000), max %.0f us over %lld samples; %s\n", lat->p50us,
                  lat->p99us, lat->maxUs, static_cast<long long>(lat->samples),
                  lat->ok ? "every record, in order" : ("FAILED: " + lat->problem).c_str());
      std::printf("  the first of the clients to receive each record: p50 %.0f us, p99 %.0f us\n", lat->firstP50us,
                  lat->firstP99us);
    }
    if (mem) {
      std::printf("\nMemory of memlog-monitor --headless --serve (rate 1000, segments of 5000), VmRSS:\n");
      std::printf(
          "  idle %.1f MiB; peak with %d clients following %.1f MiB (target <= idle + 256); after they left "
          "%.1f MiB\n",
          mem->idleMib, mem->clients, mem->peakMib, mem->afterMib);
      std::printf("  after three more rounds of %d joining and leaving:", mem->clients);
      for (const double r : mem->roundsAfterMib) std::printf(" %.1f", r);
      std::printf(
          " MiB (target: last <= %.1f); %s\n", mem->afterMib + 32,
          mem->ok ? "every client got every record in order, none closed" : ("FAILED: " + mem->problem).c_str());
    }
  }
  return allOk ? 0 : 1;
}
