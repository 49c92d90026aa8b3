// SPDX-License-Identifier: MIT
// The latency part: clients follow a log that a writer thread appends to at 1,000 records/s;
// each payload is the steady_clock reading taken just before Log::write, and each client takes
// its own reading when the message arrives. p50/p99 over every (client, record) pair, after a
// warm-up. The server runs in the calling thread's event loop: call from the main thread.
#pragma once

#include <QtGlobal>

#include <string>

namespace server_bench {

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

Latency latency(int clients);

}  // namespace server_bench
