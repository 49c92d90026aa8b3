// SPDX-License-Identifier: MIT
// memlog_server_bench's output on stdout: the three parts' results as a table for people, or
// as one JSON object (--json) for scripts. Parts that did not run are left out.
#pragma once

#include <QtGlobal>

#include <optional>
#include <vector>

#include "fanout_bench.hpp"
#include "latency_bench.hpp"
#include "memory_bench.hpp"

namespace server_bench {

struct Results {
  std::vector<FanoutRow> fanout;
  std::optional<Latency> latency;
  std::optional<Memory> memory;
};

// {"fanout": [...], "latency": {...}, "memory": {...}} and a newline.
void printJson(const Results& results);
// `records`: per client in the fan-out, for its title.
void printTable(const Results& results, qint64 records);

}  // namespace server_bench
