// SPDX-License-Identifier: MIT
// What the mirror tests check in a stream, written once for the mirror of one log and the
// sharded mirror: entries in offset order with their IDs and payloads, a log's retained records
// all there, and the gaps (what a mirror must have counted as lost). Also the writer that keeps
// a log busy while Redis restarts.
#pragma once

#include <QTest>

#include <memlog/log.hpp>

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "redis_server.hpp"

inline qint64 offsetOf(const RedisClient::Entry& e) { return std::stoll(e.field("offset")); }

// Every entry: offsets strictly increasing, the ID's sequence part equal to the offset, and
// the payload the log was given for that offset.
inline void checkEntries(const std::vector<RedisClient::Entry>& entries,
                         const std::function<std::string(qint64)>& payloadAt) {
  qint64 previous = -1;
  for (const auto& e : entries) {
    const qint64 offset = offsetOf(e);
    QVERIFY2(offset > previous, e.id.c_str());
    previous = offset;
    QCOMPARE(e.id.substr(e.id.find('-') + 1), std::to_string(offset));
    QCOMPARE(e.field("payload"), payloadAt(offset));
    QVERIFY(!e.field("created").empty());
  }
}

// The log's retained records are all in the stream.
inline void checkHoldsTheLog(const memlog::Log& log, const std::vector<RedisClient::Entry>& entries) {
  std::set<qint64> inStream;
  for (const auto& e : entries) inStream.insert(offsetOf(e));
  const memlog::Range r = log.range();
  for (memlog::Offset o = r.earliest; o <= r.latest; ++o)
    QVERIFY2(inStream.contains(o), qPrintable(QString::number(o)));
}

// The offsets in [0, last] the stream lacks, as ranges [first, last], oldest first.
using Gaps = std::vector<std::pair<qint64, qint64>>;
inline Gaps missingRanges(const std::vector<RedisClient::Entry>& entries, qint64 last) {
  Gaps gaps;
  qint64 expected = 0;
  const auto gap = [&](qint64 first, qint64 end) {
    if (first < end) gaps.emplace_back(first, end - 1);
  };
  for (const auto& e : entries) {
    gap(expected, offsetOf(e));
    expected = offsetOf(e) + 1;
  }
  gap(expected, last + 1);
  return gaps;
}

// Writes ~20,000 records/s (100 every 5 ms, one `write_one()` each) on its own thread for
// ~1.5 s, and after that until released: a Redis restarted mid-run, the log purging meanwhile
// what Redis could not take. The destructor releases it too (a failed check ends the writer).
class SteadyWriter {
 public:
  explicit SteadyWriter(std::function<bool()> write_one)
      : m_thread([this, write = std::move(write_one)] {
          using namespace std::chrono_literals;
          for (int i = 0; i < 300 || !m_released; ++i) {
            for (int k = 0; k < 100; ++k) {
              if (!write()) return;
              ++m_written;
            }
            std::this_thread::sleep_for(5ms);
          }
          m_done = true;
        }) {}
  SteadyWriter(const SteadyWriter&) = delete;
  SteadyWriter& operator=(const SteadyWriter&) = delete;
  ~SteadyWriter() { release(); }  // then the thread is joined

  void release() { m_released = true; }
  int written() const { return m_written; }
  bool done() const { return m_done; }

 private:
  std::atomic<bool> m_released = false, m_done = false;
  std::atomic<int> m_written = 0;
  std::jthread m_thread;  // last: it starts once the counters exist
};
