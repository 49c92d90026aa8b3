// SPDX-License-Identifier: MIT
// The memory part: memlog-monitor --headless --serve in its own process, its VmRSS while 1000
// clients join, follow and leave.
#include "memory_bench.hpp"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <thread>

#include "bench_support.hpp"
#include "client_pool.hpp"

using namespace Qt::StringLiterals;

namespace server_bench {
namespace {

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
    const bool bound = ::bind(a, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
                       getsockname(a, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    const quint16 port = bound ? ntohs(address.sin_port) : 0;
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

}  // namespace

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

}  // namespace server_bench
