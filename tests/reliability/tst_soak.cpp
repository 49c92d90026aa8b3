// SPDX-License-Identifier: MIT
// Soak: writers, streams and readers for minutes, with purges every few milliseconds,
// checking every invariant as they go; RSS must stay flat. Labelled `soak`, so it is not part
// of the default run: `ctest --preset release -L soak` (MEMLOG_SOAK_SECONDS, default 120).
#include <QTest>

#include <memlog/memlog.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using memlog::Errc;
using memlog::Offset;

namespace {

long rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// A payload that carries its own check: writer id, sequence, size and a checksum byte.
std::string make_payload(int writer, std::uint64_t sequence) {
  const std::size_t size = 16 + (sequence * 7 + static_cast<std::uint64_t>(writer)) % 100;  // inline and shared
  std::string payload(size, '\0');
  std::snprintf(payload.data(), size, "%d:%llu:", writer, static_cast<unsigned long long>(sequence));
  unsigned char sum = 0;
  for (std::size_t i = 0; i + 1 < size; ++i)
    sum = static_cast<unsigned char>(sum * 31 + static_cast<unsigned char>(payload[i]));
  payload.back() = static_cast<char>(sum);
  return payload;
}

bool payload_intact(std::string_view payload) {
  unsigned char sum = 0;
  for (std::size_t i = 0; i + 1 < payload.size(); ++i)
    sum = static_cast<unsigned char>(sum * 31 + static_cast<unsigned char>(payload[i]));
  return !payload.empty() && static_cast<char>(sum) == payload.back();
}

}  // namespace

class TestSoak : public QObject {
  Q_OBJECT

 private slots:
  void soak() {
    const int seconds =
        qEnvironmentVariableIsSet("MEMLOG_SOAK_SECONDS") ? qEnvironmentVariableIntValue("MEMLOG_SOAK_SECONDS") : 120;
    auto log = *memlog::Log::create({.segment_size = 2000});
    std::atomic<bool> done{false};
    std::atomic<long> failures{0};
    std::atomic<std::uint64_t> reads{0}, streamed{0}, stream_restarts{0};
    std::stop_source stop;

    constexpr int kWriters = 2;
    std::vector<std::jthread> threads;
    threads.reserve(kWriters + 2);  // and a reader, a stream
    for (int w = 0; w < kWriters; ++w)
      threads.emplace_back([&, w] {
        for (std::uint64_t seq = 0; !done.load(std::memory_order_relaxed); ++seq)
          if (!log->write(make_payload(w, seq))) failures.fetch_add(1);
      });
    threads.emplace_back([&] {  // random reads and batches
      std::array<memlog::Record, 64> batch;
      for (std::uint64_t i = 0; !done.load(std::memory_order_relaxed); ++i) {
        const memlog::Range r = log->range();
        if (r.empty()) continue;
        const Offset o =
            r.earliest + static_cast<Offset>(i * 7919 % static_cast<std::uint64_t>(r.latest - r.earliest + 1));
        if (auto rec = log->read(o)) {
          if (rec->offset() != o || !payload_intact(rec->text())) failures.fetch_add(1);
        } else if (rec.error() != Errc::out_of_range) {
          failures.fetch_add(1);
        }
        const auto got = log->read_batch(o, batch);
        for (std::size_t k = 0; k < got.count; ++k)
          if (batch[k].offset() != o + static_cast<Offset>(k) || !payload_intact(batch[k].text()))
            failures.fetch_add(1);
        const memlog::Stats s = log->stats();
        if (s.active_records > s.segment_size || s.history_records > s.segment_size ||
            s.records_written != static_cast<std::uint64_t>(s.next_offset))
          failures.fetch_add(1);
        reads.fetch_add(1 + got.count, std::memory_order_relaxed);
      }
    });
    threads.emplace_back([&] {  // a stream that restarts from the earliest when overtaken
      Offset position = 0;
      while (!stop.stop_requested()) {
        auto stream = log->stream(position, stop.get_token());
        for (const memlog::Record& r : stream) {
          if (r.offset() != position || !payload_intact(r.text())) failures.fetch_add(1);
          ++position;
          streamed.fetch_add(1, std::memory_order_relaxed);
        }
        if (stream.error() == Errc::out_of_range) {
          position = log->range().earliest;
          stream_restarts.fetch_add(1, std::memory_order_relaxed);
        }
      }
    });

    std::this_thread::sleep_for(std::chrono::seconds(seconds) / 10);
    const long rss_early = rss_kib();
    std::this_thread::sleep_for(std::chrono::seconds(seconds) * 9 / 10);
    const long rss_late = rss_kib();
    done = true;
    stop.request_stop();
    threads.clear();

    const memlog::Stats s = log->stats();
    std::printf(
        "soak %ds: %llu written, %llu purges, %llu reads, %llu streamed, %llu stream restarts, RSS %ld -> %ld KiB\n",
        seconds, static_cast<unsigned long long>(s.records_written), static_cast<unsigned long long>(s.purges),
        static_cast<unsigned long long>(reads.load()), static_cast<unsigned long long>(streamed.load()),
        static_cast<unsigned long long>(stream_restarts.load()), rss_early, rss_late);
    QCOMPARE(failures.load(), 0L);
    QVERIFY(s.purges > static_cast<std::uint64_t>(seconds));  // purges every few milliseconds at least
    QVERIFY2(rss_late - rss_early < 8L * 1024, "RSS grew by more than 8 MiB");
  }
};

QTEST_GUILESS_MAIN(TestSoak)
#include "tst_soak.moc"
