// SPDX-License-Identifier: MIT
// stream: consumers that read in offset order and wait, without polling, for new records.
//
// A Stream reads from a start offset on; next() (or a range-for) blocks until the record at
// position() is written. It ends:
//   - when its std::stop_token is triggered: error() == cancelled, at once, even while it waits;
//   - when its deadline passes: error() == deadline_exceeded;
//   - when the purge overtakes it: error() == out_of_range (see consumer_checkpoint).
// A Stream is used by one thread; any number of threads may write and stream the log at once.
#include <memlog/memlog.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

void expect(bool ok, std::string_view what) {
  if (!ok) {
    std::cerr << "stream: FAILED: " << what << '\n';
    std::exit(1);
  }
}

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

}  // namespace

int main() {
  auto created = memlog::Log::create({.segment_size = 1000});
  expect(created.has_value(), "Log::create");
  const std::shared_ptr<memlog::Log> log = *created;

  // --- 1. A stream that runs until its std::stop_token says stop ---------------------------
  // The reader thread is a std::jthread: it hands its own stop_token to the lambda, and
  // request_stop() (or the jthread's destructor) triggers it.
  constexpr int kRecords = 200;
  std::atomic<int> streamed{0};
  std::atomic<bool> in_order{true};
  std::error_code reader_error;
  std::jthread reader([&](std::stop_token stop) {
    memlog::Stream stream = log->stream(0, stop);
    for (const memlog::Record& record : stream) {  // waits for each record, ends on stop
      if (record.text() != "tick " + std::to_string(record.offset()) || record.offset() != streamed.load())
        in_order = false;
      ++streamed;
    }
    reader_error = stream.error();  // why it ended
  });

  // A writer thread: one record every 200 µs, so the reader mostly waits for the next one.
  std::jthread writer([&] {
    for (int i = 0; i < kRecords; ++i) {
      if (!log->write("tick " + std::to_string(i))) in_order = false;
      std::this_thread::sleep_for(200us);
    }
  });
  writer.join();

  // Wait (bounded) until the reader has seen every record; it then blocks in next() for a
  // record that never comes, until we stop it.
  const auto wait_start = Clock::now();
  while (streamed < kRecords && Clock::now() - wait_start < 30s) std::this_thread::sleep_for(1ms);
  expect(streamed == kRecords, "the stream read every record");
  expect(in_order, "the stream read the records in offset order, byte for byte");
  std::cout << "stream 1: read " << streamed << " records from a writer thread, in order\n";

  const auto stop_start = Clock::now();
  reader.request_stop();  // wakes the waiting next() at once
  reader.join();
  expect(reader_error == memlog::Errc::cancelled, "the stopped stream ends with cancelled");
  std::cout << "stream 1: stopped while waiting -> " << reader_error.message() << " after " << ms_since(stop_start)
            << " ms\n";

  // --- 2. A stream with a deadline -----------------------------------------------------------
  // It reads the records written before its deadline, then ends with deadline_exceeded. The
  // stop_token is empty here (never stops); one could give both, and the stop wins.
  const memlog::Offset start = log->stats().next_offset;
  const auto deadline_start = Clock::now();
  memlog::Stream timed = log->stream(start, {}, deadline_start + 1s);
  std::jthread late_writer([&] {
    for (int i = 0; i < 5; ++i) {
      std::this_thread::sleep_for(20ms);
      (void)log->write("late " + std::to_string(i));
    }
  });
  int late = 0;
  while (std::optional<memlog::Record> record = timed.next()) {
    expect(record->text() == "late " + std::to_string(late), "the deadline stream reads in order");
    ++late;
  }
  const long long waited = ms_since(deadline_start);
  late_writer.join();
  expect(late == 5, "the deadline stream read the 5 records written within its second");
  expect(timed.error() == memlog::Errc::deadline_exceeded, "the stream ends with deadline_exceeded");
  expect(waited >= 1000, "the stream waited until its deadline");
  expect(timed.position() == start + 5, "position() is the offset it would read next");
  std::cout << "stream 2: read " << late << " records, then " << timed.error().message() << " after " << waited
            << " ms (position " << timed.position() << ")\n";

  // An ended stream stays ended.
  expect(!timed.next().has_value(), "next() keeps returning nullopt once ended");
  std::cout << "stream: ok\n";
  return 0;
}
