// SPDX-License-Identifier: MIT
// write_read: write records, read them back by offset, and meet the log's errors as values.
//
// memlog never throws for an expected outcome: write() and read() return memlog::Result<T>,
// which is std::expected<T, std::error_code>, and the error codes compare equal to the
// memlog::Errc values (future_offset, out_of_range, record_too_large, ...).
#include <memlog/memlog.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace {

// Ends the example with a message when the log does not behave as this example says.
void expect(bool ok, std::string_view what) {
  if (!ok) {
    std::cerr << "write_read: FAILED: " << what << '\n';
    std::exit(1);
  }
}

}  // namespace

int main() {
  // A small log: segments of 3 records, records of at most 64 bytes.
  memlog::Result<std::shared_ptr<memlog::Log>> created =
      memlog::Log::create({.segment_size = 3, .max_record_bytes = 64});
  expect(created.has_value(), "Log::create");
  const std::shared_ptr<memlog::Log> log = *created;

  // write() copies the payload and returns the offset it got: 0, 1, 2, ...
  for (std::string_view text : {"first", "second", "third"}) {
    const memlog::Result<memlog::Offset> offset = log->write(text);
    expect(offset.has_value(), "write");
    std::cout << "write " << text << " -> offset " << *offset << '\n';
  }

  // read() by offset returns the Record: its offset, its creation time and its bytes.
  const memlog::Result<memlog::Record> second = log->read(1);
  expect(second && second->offset() == 1 && second->text() == "second", "read(1) is the second record");
  std::cout << "read(1) -> \"" << second->text() << "\" (" << second->size() << " bytes)\n";

  // Error 1: an offset not written yet is future_offset (a reader that wants to wait for it
  // uses a stream instead: see the stream example).
  const auto future = log->read(3);
  expect(!future && future.error() == memlog::Errc::future_offset, "read(3) is future_offset");
  std::cout << "read(3) -> error: " << future.error().message() << '\n';

  // Error 2: a payload over max_record_bytes is record_too_large, and the failed write
  // consumes no offset: the next write still gets 3. (An empty payload is empty_record.)
  const auto too_large = log->write(std::string(65, 'x'));
  expect(!too_large && too_large.error() == memlog::Errc::record_too_large, "65 bytes is record_too_large");
  std::cout << "write 65 bytes -> error: " << too_large.error().message() << '\n';
  const auto empty = log->write("");
  expect(!empty && empty.error() == memlog::Errc::empty_record, "an empty payload is empty_record");
  std::cout << "write 0 bytes -> error: " << empty.error().message() << '\n';
  const auto fourth = log->write("fourth");
  expect(fourth && *fourth == 3, "the failed writes consumed no offset");
  std::cout << "write fourth -> offset " << *fourth << " (the failed writes took no offset)\n";

  // Error 3: purged. Offset 3 started a new active segment (3..5) and 0..2 became the history.
  // Writing offset 6 seals 3..5, which becomes the history, and purges 0..2 whole.
  for (std::string_view text : {"fifth", "sixth", "seventh"}) expect(log->write(text).has_value(), "write");
  const memlog::Range range = log->range();
  expect(range.earliest == 3 && range.latest == 6, "after the purge the log holds 3..6");
  std::cout << "range -> " << range.earliest << ".." << range.latest << " (0..2 purged)\n";
  const auto purged = log->read(0);
  expect(!purged && purged.error() == memlog::Errc::out_of_range, "read(0) is out_of_range once purged");
  std::cout << "read(0) -> error: " << purged.error().message() << '\n';
  const auto negative = log->read(-1);
  expect(!negative && negative.error() == memlog::Errc::out_of_range, "read(-1) is out_of_range");

  // A Record is a value: one read before the purge stays valid after it.
  expect(second->text() == "second", "a Record outlives the purge of its offset");

  // The errors are std::error_code values of the "memlog" category.
  expect(std::string_view(purged.error().category().name()) == "memlog", "error category");

  const memlog::Stats stats = log->stats();
  expect(stats.records_written == 7 && stats.records_purged == 3 && stats.purges == 1, "stats");
  std::cout << "stats -> " << stats.records_written << " written, " << stats.records_purged << " purged in "
            << stats.purges << " purge, next offset " << stats.next_offset << '\n';
  std::cout << "write_read: ok\n";
  return 0;
}
