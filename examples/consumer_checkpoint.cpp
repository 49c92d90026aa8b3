// SPDX-License-Identifier: MIT
// consumer_checkpoint: a consumer that keeps a checkpoint, falls behind, is overtaken by the
// purge, and resumes -- from the earliest record (losing what was purged) or from its
// checkpoint (losing nothing, if the source can replay).
//
// The log keeps at most 2 x segment_size records: it never waits for a slow consumer. A
// consumer that falls further behind than that finds its next offset purged, and its stream
// ends with out_of_range. Its checkpoint -- the offset of the first record it has not
// processed yet, saved after each record it has -- says exactly what it missed.
#include <memlog/memlog.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

void expect(bool ok, std::string_view what) {
  if (!ok) {
    std::cerr << "consumer_checkpoint: FAILED: " << what << '\n';
    std::exit(1);
  }
}

// The legacy system's events. It is *durable*: it can send them again from any position
// (a database table, a file, a queue with retention...). Event i is written at offset i.
std::string event(memlog::Offset i) { return "event " + std::to_string(i); }

// A consumer: processes records in order and keeps its checkpoint.
struct Consumer {
  memlog::Offset checkpoint = 0;     // the next offset to process; saved after each record
  std::vector<memlog::Offset> seen;  // what it processed

  // Reads from `stream` until the stream has reached `until` (so never blocks here) or ended.
  void consume(memlog::Stream& stream, memlog::Offset until) {
    while (stream.position() < until) {
      std::optional<memlog::Record> record = stream.next();
      if (!record) return;  // ended: stream.error() says why
      expect(record->text() == event(record->offset()), "the record is the source's event");
      seen.push_back(record->offset());
      checkpoint = record->offset() + 1;  // processed: commit
    }
  }
};

}  // namespace

int main() {
  constexpr std::size_t kSegment = 10;  // the log holds at most 20 records
  auto created = memlog::Log::create({.segment_size = kSegment});
  expect(created.has_value(), "Log::create");
  std::shared_ptr<memlog::Log> log = *created;

  // The consumer starts with the log and processes the first 5 events.
  for (memlog::Offset i = 0; i < 5; ++i) expect(log->write(event(i)).has_value(), "write");
  Consumer consumer;
  memlog::Stream stream = log->stream(consumer.checkpoint);
  consumer.consume(stream, 5);
  expect(consumer.checkpoint == 5, "checkpoint after 5 records");
  std::cout << "consumer processed 0..4, checkpoint " << consumer.checkpoint << '\n';

  // Then it stalls while the source writes 30 more (offsets 5..34). Offset 20 sealed 10..19
  // and purged 0..9; offset 30 sealed 20..29 and purged 10..19: the log holds 20..34.
  for (memlog::Offset i = 5; i < 35; ++i) expect(log->write(event(i)).has_value(), "write");
  const memlog::Range range = log->range();
  expect(range.earliest == 20 && range.latest == 34, "the log holds 20..34");
  std::cout << "the source wrote up to 34; the log holds " << range.earliest << ".." << range.latest
            << " (0..19 purged)\n";

  // The consumer wakes up: its next record, 5, is gone. The stream ends with out_of_range at
  // its position, and the checkpoint is where it stopped.
  consumer.consume(stream, 35);
  expect(stream.ended() && stream.error() == memlog::Errc::out_of_range, "the overtaken stream ends out_of_range");
  expect(stream.position() == consumer.checkpoint, "the stream ended at the checkpoint");
  std::cout << "stream ended at " << stream.position() << ": " << stream.error().message() << '\n';
  const auto gone = log->read(consumer.checkpoint);
  expect(!gone && gone.error() == memlog::Errc::out_of_range, "read(checkpoint) is out_of_range");

  // --- Choice 1: resume from the earliest record. Simple, immediate -- and lossy: the records
  // from the checkpoint to the earliest offset were never processed and never will be.
  {
    Consumer resumed = consumer;
    const memlog::Offset earliest = log->range().earliest;
    const memlog::Offset lost = earliest - resumed.checkpoint;
    memlog::Stream from_earliest = log->stream(earliest);
    resumed.consume(from_earliest, 35);
    expect(resumed.seen.size() == 5 + 15 && resumed.seen.back() == 34, "resumed from the earliest up to 34");
    expect(lost == 15, "15 records lost");
    std::cout << "choice 1, resume from the earliest (" << earliest << "): read " << earliest << "..34, LOST "
              << consumer.checkpoint << ".." << earliest - 1 << " (" << lost << " records)\n";
  }

  // --- Choice 2: resume from the checkpoint. The log cannot give back what it purged, but a
  // durable source can: start a new log at the checkpoint (Options::start_offset) and have the
  // source replay from there. Every record gets its old offset again, so the checkpoint stays
  // valid and nothing is lost; the cost is the replay, and every reader of the old log must
  // move to the new one. (memlog-monitor's "Crash and replay from checkpoint" does this, from
  // the lowest checkpoint of all consumers.)
  {
    Consumer resumed = consumer;
    auto replayed = memlog::Log::create({.start_offset = resumed.checkpoint, .segment_size = kSegment});
    expect(replayed.has_value(), "Log::create at the checkpoint");
    log = *replayed;
    memlog::Stream from_checkpoint = log->stream(resumed.checkpoint);
    // The source replays in steps while the consumer keeps up, so nothing is purged under it.
    for (memlog::Offset i = resumed.checkpoint; i < 35; ++i) {
      const auto offset = log->write(event(i));
      expect(offset && *offset == i, "a replayed event gets its old offset");
      resumed.consume(from_checkpoint, i + 1);
    }
    expect(resumed.seen.size() == 35 && !from_checkpoint.ended(), "every event processed once");
    for (memlog::Offset i = 0; i < 35; ++i) expect(resumed.seen[static_cast<std::size_t>(i)] == i, "in order");
    std::cout << "choice 2, replay from the checkpoint (" << consumer.checkpoint << "): read " << consumer.checkpoint
              << "..34, lost nothing (0..34 processed exactly once)\n";
  }
  std::cout << "consumer_checkpoint: ok\n";
  return 0;
}
