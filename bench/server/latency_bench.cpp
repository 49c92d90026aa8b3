// SPDX-License-Identifier: MIT
// The latency part: Log::write to receipt, for clients of the in-process LogServer.
#include "latency_bench.hpp"

#include <QHostAddress>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "adapter/log_adapter.hpp"
#include "bench_support.hpp"
#include "client_pool.hpp"
#include "server/log_server.hpp"

namespace server_bench {

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

}  // namespace server_bench
