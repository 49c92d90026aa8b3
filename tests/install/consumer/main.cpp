// SPDX-License-Identifier: MIT
// A tiny outside program built against the installed memlog package: writes, reads, batches
// and streams a few records and checks every answer. Exit code 0 only if all are right.
#include <memlog/memlog.hpp>

#include <cstdio>
#include <stop_token>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "memlog_consumer: FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  check(std::string(memlog::kVersion).size() > 0, "version string");

  auto created = memlog::Log::create({.start_offset = 5, .segment_size = 2});
  check(created.has_value(), "Log::create");
  if (!created) return 1;
  auto log = *created;

  const std::vector<std::string> payloads{"alpha", "beta", std::string(100, 'g')};  // the last one is shared
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    const auto offset = log->write(payloads[i]);
    check(offset.has_value() && *offset == static_cast<memlog::Offset>(5 + i), "write gets the next offset");
  }
  const auto empty = log->write("");
  check(!empty && empty.error() == memlog::Errc::empty_record, "empty_record");

  for (std::size_t i = 0; i < payloads.size(); ++i) {
    const auto record = log->read(static_cast<memlog::Offset>(5 + i));
    check(record && record->text() == payloads[i], "read back byte for byte");
  }
  const auto future = log->read(8);
  check(!future && future.error() == memlog::Errc::future_offset, "future_offset");
  check(log->range() == memlog::Range{5, 7}, "range");

  std::vector<memlog::Record> batch(5);
  const memlog::BatchResult got = log->read_batch(5, batch);
  check(got.count == 3 && got.error == memlog::Errc::future_offset, "read_batch stops at the end");

  std::stop_source stop;
  std::vector<std::string> streamed;
  for (const memlog::Record& r : log->stream(5, stop.get_token())) {
    streamed.emplace_back(r.text());
    if (streamed.size() == payloads.size()) stop.request_stop();
  }
  check(streamed == payloads, "stream reads every record in order");

  // Two more writes: the second seals 7..8 and purges 5..6.
  check(log->write("delta").has_value() && log->write("epsilon").has_value(), "more writes");
  const auto purged = log->read(5);
  check(!purged && purged.error() == memlog::Errc::out_of_range, "purged offset is out_of_range");
  check(std::string_view(purged.error().category().name()) == "memlog", "error category");

  auto sharded = memlog::ShardedLog::create();
  check(sharded && (*sharded)->write("key", "value").has_value(), "sharded log");

  if (failures == 0) std::puts("memlog_consumer: all checks passed");
  return failures == 0 ? 0 : 1;
}
