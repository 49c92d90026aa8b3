// SPDX-License-Identifier: MIT
// The memory part: the server's memory, so the server is its own process — the real
// memlog-monitor --headless --serve (rate 1000, segments of 5000, no consumers), with
// XDG_CONFIG_HOME in a temporary directory. Its VmRSS (/proc/PID/status): idle; peak while
// 1000 clients follow the tail (each must receive every record from where it joined, in order,
// be caught up at the end, and not be closed); after they leave; and after each of three more
// rounds of 1000 clients joining and leaving. Blocking; call from one thread.
#pragma once

#include <QString>

#include <string>
#include <vector>

namespace server_bench {

struct Memory {
  int clients = 1000;
  double idleMib = 0, peakMib = 0, afterMib = 0;
  std::vector<double> roundsAfterMib;
  bool ok = false;
  std::string problem;
  double followSeconds = 0;
  qint64 recordsPerClient = 0;  // in the first phase, the least any client received
};

// Runs `binary` (a memlog-monitor) and measures it; the checks' outcome in `ok` and `problem`.
Memory memory(const QString& binary);

}  // namespace server_bench
