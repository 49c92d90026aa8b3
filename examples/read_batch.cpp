// SPDX-License-Identifier: MIT
// read_batch: read many records at once into a buffer the caller owns and reuses.
//
// read_batch(from, out) fills `out` from index 0 in offset order and says how many it filled
// and why it stopped: {out.size(), {}} when it filled all of it, {n, future_offset} when it
// reached the end of the log first, {0, out_of_range} when `from` is purged or invalid.
// The buffer is reused from batch to batch, so a consumer reading this way allocates nothing
// per record.
#include <memlog/memlog.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

void expect(bool ok, std::string_view what) {
  if (!ok) {
    std::cerr << "read_batch: FAILED: " << what << '\n';
    std::exit(1);
  }
}

}  // namespace

int main() {
  auto created = memlog::Log::create({.segment_size = 8});
  expect(created.has_value(), "Log::create");
  const std::shared_ptr<memlog::Log> log = *created;

  // 20 records, offsets 0..19. With segments of 8, offset 16 sealed 8..15 and purged 0..7:
  // the log holds 8..19.
  for (int i = 0; i < 20; ++i) expect(log->write("reading " + std::to_string(i)).has_value(), "write");
  const memlog::Range range = log->range();
  expect(range.earliest == 8 && range.latest == 19, "the log holds 8..19");
  std::cout << "the log holds " << range.earliest << ".." << range.latest << '\n';

  // Read everything retained, five records at a time, into one reused buffer.
  std::vector<memlog::Record> batch(5);
  memlog::Offset from = range.earliest;
  int batches = 0;
  for (;;) {
    const memlog::BatchResult got = log->read_batch(from, batch);
    ++batches;
    std::cout << "read_batch(" << from << ") -> " << got.count << " records";
    for (std::size_t i = 0; i < got.count; ++i) {
      expect(batch[i].offset() == from + static_cast<memlog::Offset>(i), "records come in offset order");
      expect(batch[i].text() == "reading " + std::to_string(batch[i].offset()), "payload read back");
    }
    from += static_cast<memlog::Offset>(got.count);
    if (!got.error) {  // the buffer is full: there may be more
      expect(got.count == batch.size(), "no error means a full batch");
      std::cout << ", full\n";
      continue;
    }
    // The end of the log: the records filled so far are valid, the rest of the buffer is not.
    expect(got.error == memlog::Errc::future_offset, "the end of the log is future_offset");
    std::cout << ", then the end of the log (" << got.error.message() << ")\n";
    break;
  }
  expect(batches == 3 && from == 20, "8..19 in batches of 5, 5 and 2");

  // A purged start fills nothing.
  const memlog::BatchResult purged = log->read_batch(0, batch);
  expect(purged.count == 0 && purged.error == memlog::Errc::out_of_range, "read_batch(0) is out_of_range");
  std::cout << "read_batch(0) -> 0 records, " << purged.error.message() << '\n';

  // At the end of the log: nothing yet, future_offset; after a write, that record.
  const memlog::BatchResult at_end = log->read_batch(20, batch);
  expect(at_end.count == 0 && at_end.error == memlog::Errc::future_offset, "read_batch(20) is future_offset");
  expect(log->write("reading 20").has_value(), "write");
  const memlog::BatchResult one_more = log->read_batch(20, batch);
  expect(one_more.count == 1 && batch[0].text() == "reading 20", "the new record is read");
  std::cout << "read_batch(20) -> 0 records before the next write, 1 after it\n";

  // An empty buffer is not an error.
  const memlog::BatchResult nothing = log->read_batch(8, std::span<memlog::Record>{});
  expect(nothing.count == 0 && !nothing.error, "an empty buffer gives {0, {}}");
  std::cout << "read_batch: ok\n";
  return 0;
}
