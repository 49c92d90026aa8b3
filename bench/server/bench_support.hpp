// SPDX-License-Identifier: MIT
// memlog_server_bench's shared helpers: the clock, progress on stderr, what the scheduler says
// about a thread and the machine, and running the in-process server's event loop until a
// condition holds. Call them from any thread, except spinUntil: from the server's (main) one.
#pragma once

#include <QtGlobal>

#include <sys/types.h>
#include <chrono>
#include <functional>
#include <string>

namespace server_bench {

using Clock = std::chrono::steady_clock;

// Progress and per-run figures go to stderr, so that stdout is the table or the JSON only.
__attribute__((format(printf, 1, 2))) void progress(const char* format, ...);

qint64 nowNs();

// A thread's time on a CPU and waiting for one (runnable, not running), from the scheduler.
struct SchedStat {
  double runMs = 0, waitMs = 0;
};
// Of thread `tid` of this process, or of process `pid` when it is not 0.
SchedStat schedStat(pid_t tid, qint64 pid = 0);

// How busy the machine is: the share of time some task waited for a CPU (Linux PSI), or "".
std::string cpuPressure();

// errno's text for `error`, safe on any thread (strerror is not).
std::string errorText(int error);

// Runs this thread's event loop (the in-process server's) until `done` or `timeoutMs`.
bool spinUntil(const std::function<bool()>& done, int timeoutMs);

}  // namespace server_bench
