// SPDX-License-Identifier: MIT
// memlog_server_bench's output on stdout: the table, or the JSON object.
#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace server_bench {

void printJson(const Results& results) {
  const std::vector<FanoutRow>& rows = results.fanout;
  const std::optional<Latency>& lat = results.latency;
  const std::optional<Memory>& mem = results.memory;
  std::string out = "{";
  if (!rows.empty()) {
    out += "\"fanout\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      char line[256];
      std::snprintf(line, sizeof line, "%s{\"clients\": %d, \"records_per_second\": %.0f, \"runs\": %d, \"ok\": %s}",
                    i ? ", " : "", rows[i].clients, recordsPerSecond(rows[i].median), rows[i].runs,
                    rows[i].ok ? "true" : "false");
      out += line;
    }
    out += "]";
  }
  if (lat) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%s\"latency\": {\"clients\": %d, \"rate\": %d, \"p50_us\": %.0f, \"p99_us\": %.0f, \"max_us\": "
                  "%.0f, \"ok\": %s}",
                  out.size() > 1 ? ", " : "", lat->clients, lat->rate, lat->p50us, lat->p99us, lat->maxUs,
                  lat->ok ? "true" : "false");
    out += line;
  }
  if (mem) {
    char line[512];
    std::snprintf(line, sizeof line,
                  "%s\"memory\": {\"clients\": %d, \"idle_mib\": %.1f, \"peak_mib\": %.1f, \"after_mib\": %.1f, "
                  "\"rounds_after_mib\": [",
                  out.size() > 1 ? ", " : "", mem->clients, mem->idleMib, mem->peakMib, mem->afterMib);
    out += line;
    for (std::size_t i = 0; i < mem->roundsAfterMib.size(); ++i) {
      std::snprintf(line, sizeof line, "%s%.1f", i ? ", " : "", mem->roundsAfterMib[i]);
      out += line;
    }
    out += mem->ok ? "], \"ok\": true}" : "], \"ok\": false}";
  }
  out += "}\n";
  std::fputs(out.c_str(), stdout);
}

void printTable(const Results& results, qint64 records) {
  const std::vector<FanoutRow>& rows = results.fanout;
  const std::optional<Latency>& lat = results.latency;
  const std::optional<Memory>& mem = results.memory;
  if (!rows.empty()) {
    std::printf("\nFan-out: %lld records of %d bytes to each client, loopback; the median run of each row\n\n",
                static_cast<long long>(records), kPayloadBytes);
    std::printf("%8s  %5s  %8s  %16s  %16s  %23s  %8s  %s\n", "clients", "runs", "seconds", "records/s total",
                "records/s/client", "slowest-fastest run", "MiB/s", "check");
    for (const FanoutRow& row : rows) {
      const double t = recordsPerSecond(row.median);
      const double mib =
          row.median.seconds > 0 ? static_cast<double>(row.median.bytes) / row.median.seconds / (1 << 20) : 0;
      std::printf("%8d  %5d  %8.3f  %16.0f  %16.0f  %11.0f-%-11.0f  %8.1f  %s\n", row.clients, row.runs,
                  row.median.seconds, t, t / row.clients, row.minTotal, row.maxTotal, mib,
                  row.ok ? "in order, complete" : ("FAILED: " + row.problem).c_str());
    }
    const auto one = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.clients == 1; });
    const auto sixteen = std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.clients == 16; });
    if (one != rows.end() && sixteen != rows.end() && recordsPerSecond(one->median) > 0)
      std::printf("16 clients / 1 client: %.2fx (target >= 2x)\n",
                  recordsPerSecond(sixteen->median) / recordsPerSecond(one->median));
  }
  if (lat) {
    std::printf("\nLatency, Log::write to receipt, %d clients at %d records/s, %.0f s after %lld warm-up records:\n",
                lat->clients, lat->rate, lat->seconds, static_cast<long long>(lat->warmup));
    std::printf("  p50 %.0f us, p99 %.0f us (target <= 2000), max %.0f us over %lld samples; %s\n", lat->p50us,
                lat->p99us, lat->maxUs, static_cast<long long>(lat->samples),
                lat->ok ? "every record, in order" : ("FAILED: " + lat->problem).c_str());
    std::printf("  the first of the clients to receive each record: p50 %.0f us, p99 %.0f us\n", lat->firstP50us,
                lat->firstP99us);
  }
  if (mem) {
    std::printf("\nMemory of memlog-monitor --headless --serve (rate 1000, segments of 5000), VmRSS:\n");
    std::printf(
        "  idle %.1f MiB; peak with %d clients following %.1f MiB (target <= idle + 256); after they left "
        "%.1f MiB\n",
        mem->idleMib, mem->clients, mem->peakMib, mem->afterMib);
    std::printf("  after three more rounds of %d joining and leaving:", mem->clients);
    for (const double r : mem->roundsAfterMib) std::printf(" %.1f", r);
    std::printf(" MiB (target: last <= %.1f); %s\n", mem->afterMib + 32,
                mem->ok ? "every client got every record in order, none closed" : ("FAILED: " + mem->problem).c_str());
  }
}

}  // namespace server_bench
