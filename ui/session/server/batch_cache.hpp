// SPDX-License-Identifier: MIT
// BatchCache: the WebSocket stream's messages, encoded once and shared by every client.
//
// A message is a JSON array of consecutive records read from the log from a first offset: at
// most kStreamBatch records, and it stops growing past kMessageBytes, so a message is a handful
// of TCP segments, not megabytes. The first client at an offset has it encoded; it is kept,
// implicitly shared, keyed by that log and that offset, and every client at the same offset of
// the same log sends the same message: sixteen clients at the tail cost one encoding. The cache
// holds at most kCacheBytes (what its messages hold in memory, UTF-16); the oldest go first.
//
// One cache serves many logs (the adapter's and a sharded log's shards): every shard has an
// offset 5, so the key is the log *and* the offset. A log is known by its address, which another
// log can take only once the first is destroyed; a kept message also holds a weak_ptr to its
// log, so one whose log is gone is never handed out, even if a new log has the same address.
// Purged records are never handed out, not even from the cache: at() checks the log's range
// first. The owner clears the cache when a log is replaced, to give the memory back early.
//
// Threading: not thread-safe; one thread uses it (the server's, the GUI thread).
#pragma once

#include <QString>

#include <cstddef>
#include <deque>
#include <memory>
#include <system_error>
#include <unordered_map>
#include <vector>

#include <memlog/log.hpp>

class BatchCache {
 public:
  static constexpr std::size_t kStreamBatch = 512;   // records per message, at most
  static constexpr qint64 kMessageBytes = 32 << 10;  // a message stops growing past this
  static constexpr qint64 kCacheBytes = 8 << 20;     // encoded messages kept for sharing

  struct Batch {
    memlog::Offset first = 0;
    std::size_t count = 0;                 // records in the message
    QString message;                       // implicitly shared by every client that sends it
    qint64 bytes = 0;                      // what it holds in memory (UTF-16), counted against kCacheBytes
    std::weak_ptr<const memlog::Log> log;  // expired: the log is gone, the message is stale
  };

  // The message that starts at `position` in `log` (encoded now if no one asked for it yet), or
  // null when there is nothing to send; *error says why: out_of_range before the log's earliest
  // (purged, or before a replayed log's start), future_offset when `position` is caught up.
  // `log` is owned by a shared_ptr (Log::create makes every log so). The pointer is valid until
  // the next call or clear().
  const Batch* at(const memlog::Log& log, memlog::Offset position, std::error_code* error);
  void clear();

  quint64 encodings() const { return m_encodings; }  // batches encoded so far
  qint64 bytes() const { return m_bytes; }           // what the kept messages hold

 private:
  struct Key {
    const memlog::Log* log = nullptr;
    memlog::Offset position = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept;
  };
  void evict(const Key& key);  // drops the message at `key`, if one is kept

  std::vector<memlog::Record> m_records;  // read buffer, reused
  std::unordered_map<Key, Batch, KeyHash> m_batches;
  std::deque<Key> m_order;  // oldest first, for eviction
  qint64 m_bytes = 0;
  quint64 m_encodings = 0;
};
