// SPDX-License-Identifier: MIT
// ClientPool: the epoll loop, the WebSocket handshake and frames, and the cheap record check.
#include "client_pool.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace server_bench {

void ClientPool::start() {
  m_epoll = epoll_create1(EPOLL_CLOEXEC);
  m_thread = std::thread([this] { run(); });
}

// Asks the thread to stop, closes every socket (the clients leave) and joins.
void ClientPool::stop() {
  m_stop.store(true);
  if (m_thread.joinable()) m_thread.join();
  if (m_epoll >= 0) ::close(m_epoll);
  m_epoll = -1;
}

qint64 ClientPool::unreadBytes() {
  m_unread.store(-1);
  m_wantUnread.store(true);
  for (int i = 0; i < 100 && m_wantUnread.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return m_unread.load();
}

void ClientPool::run() {
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

void ClientPool::connectOne(std::size_t index) {
  Conn& c = m_conns[index];
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(m_config.port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only
  if (c.fd < 0 ||
      (::connect(c.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS)) {
    end(c, true, 0, "connect: " + errorText(errno));
    return;
  }
  epoll_event event{};
  event.events = EPOLLIN | EPOLLOUT;
  event.data.u32 = static_cast<std::uint32_t>(index);
  epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fd, &event);
}

void ClientPool::end(Conn& c, bool failed, int code, std::string reason) {
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

void ClientPool::handle(Conn& c, std::uint32_t events, std::vector<char>& buffer, Clock::time_point now) {
  if (c.state == Conn::State::connecting) {
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return end(c, true, 0, "connect: " + errorText(error));
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
    return end(c, true, 0, "read: " + errorText(errno));
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
std::size_t ClientPool::parseFrames(Conn& c, std::string_view data, Clock::time_point now) {
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
std::size_t ClientPool::nextRecord(std::string_view text, std::size_t from) {
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
void ClientPool::message(Conn& c, std::string_view text, Clock::time_point now) {
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

void ClientPool::publishMinNext() {
  qint64 least = std::numeric_limits<qint64>::max();
  for (const Conn& c : m_conns)
    if (c.state == Conn::State::open) least = std::min(least, c.next);
  m_minNext.store(least);
}

}  // namespace server_bench
