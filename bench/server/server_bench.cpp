// SPDX-License-Identifier: MIT
// memlog_server_bench: how LogServer serves a log to WebSocket clients on loopback.
//
// Three parts, each checked, so a fast wrong answer cannot pass:
//
// fan-out   (fanout_bench) For 1, 4, 16 and 64 clients, total records/s until every client
//           has received every record of a fresh log, in order, from the server in this
//           program's event loop. The median of --repeats runs per row (at least 5 for 1 and 4
//           clients: short runs; no new run once a row has taken 15 s).
// latency   (latency_bench) 100 clients follow a log written at 1,000 records/s: p50/p99 from
//           Log::write to receipt over every (client, record) pair, after a warm-up.
// memory    (memory_bench) The VmRSS of the real memlog-monitor --headless --serve in its own
//           process: idle, with 1000 clients following the tail, after they leave, and after
//           three more rounds of 1000 clients joining and leaving.
//
// The clients (client_pool) are not QWebSockets but one epoll loop on its own thread that
// speaks just enough WebSocket and counts records cheaply, so that a thousand of them cost the
// bench little and the figures are the server's. (A loopback client still costs a read per
// message: on two cores the clients' thread and the server's share the machine.)
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
//
// This file reads the options and runs the parts; report prints the table or the JSON.
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <sys/resource.h>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "fanout_bench.hpp"
#include "latency_bench.hpp"
#include "memory_bench.hpp"
#include "report.hpp"

using namespace Qt::StringLiterals;
using namespace server_bench;

namespace {

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
  const Results results{std::move(rows), std::move(lat), std::move(mem)};
  if (json)
    printJson(results);
  else
    printTable(results, records);
  return allOk ? 0 : 1;
}
