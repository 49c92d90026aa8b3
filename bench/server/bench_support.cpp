// SPDX-License-Identifier: MIT
// memlog_server_bench's shared helpers: progress, the scheduler's figures, the event loop.
#include "bench_support.hpp"

#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace server_bench {

void progress(const char* format, ...) {
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fflush(stderr);
}

namespace {
// strerror_r comes in two flavours: GNU's returns the text (not always in the buffer), POSIX's
// fills the buffer and returns 0; whichever the C library has picks its overload.
[[maybe_unused]] std::string strerrorText(const char* text, const char* /*buffer*/) { return text; }
[[maybe_unused]] std::string strerrorText(int /*status*/, const char* buffer) { return buffer; }
}  // namespace

std::string errorText(int error) {
  char buffer[256] = "";
  return strerrorText(::strerror_r(error, buffer, sizeof buffer), buffer);
}

qint64 nowNs() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

SchedStat schedStat(pid_t tid, qint64 pid) {
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

}  // namespace server_bench
