// SPDX-License-Identifier: MIT
// The fan-out part: for a number of clients, a fresh log holds `records` records of 64 bytes
// (one segment, nothing purged); the clients connect with from=0 and the clock runs until
// every client has received every record, in order. The server (LogAdapter and LogServer) runs
// in the calling thread's event loop, as in the monitor; the clients run on a second thread,
// so their work does not hide the server's. Call from the main thread.
#pragma once

#include <QtGlobal>

#include <string>

namespace server_bench {

constexpr int kPayloadBytes = 64;

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

// Records received per second, over every client.
inline double recordsPerSecond(const FanoutRun& r) {
  return r.seconds > 0 ? static_cast<double>(r.delivered) / r.seconds : 0.0;
}

struct FanoutRow {
  int clients = 0;
  int runs = 0;
  FanoutRun median;
  double minTotal = 0, maxTotal = 0;
  bool ok = true;
  std::string problem;
};

// The median of up to `repeats` runs (no new run once the row has taken 15 s).
FanoutRow fanout(int clients, qint64 records, int repeats);

}  // namespace server_bench
