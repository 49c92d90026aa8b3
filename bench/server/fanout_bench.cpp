// SPDX-License-Identifier: MIT
// The fan-out part: records per second from the in-process LogServer to 1..N clients.
#include "fanout_bench.hpp"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QString>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <tuple>
#include <utility>
#include <vector>

#include "adapter/log_adapter.hpp"
#include "bench_support.hpp"
#include "client_pool.hpp"
#include "server/log_server.hpp"

namespace server_bench {

namespace {

constexpr qint64 kRowBudgetMs = 15'000;  // no new run of a row after this

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

}  // namespace

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
        clients, i + 1, run.seconds, recordsPerSecond(run), static_cast<unsigned long long>(run.encodings),
        static_cast<unsigned long long>(run.messages), run.serverRunMs, run.serverWaitMs, run.clientsRunMs,
        run.ok ? "" : (" FAILED: " + run.problem).c_str());
    row.ok = row.ok && run.ok;
    if (!run.ok && row.problem.empty()) row.problem = run.problem;
    runs.push_back(run);
  }
  std::sort(runs.begin(), runs.end(),
            [](const auto& a, const auto& b) { return recordsPerSecond(a) < recordsPerSecond(b); });
  row.runs = static_cast<int>(runs.size());
  row.median = runs[(runs.size() - 1) / 2];  // of an even count, the lower
  row.minTotal = recordsPerSecond(runs.front());
  row.maxTotal = recordsPerSecond(runs.back());
  return row;
}

}  // namespace server_bench
