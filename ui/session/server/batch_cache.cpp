// SPDX-License-Identifier: MIT
#include "server/batch_cache.hpp"

#include <QByteArray>

#include <cassert>
#include <functional>

#include "encoding/record_json.hpp"

std::size_t BatchCache::KeyHash::operator()(const Key& key) const noexcept {
  // Offsets are consecutive and logs few: spread the offset, mix in the log.
  return std::hash<const void*>{}(key.log) ^ (std::hash<memlog::Offset>{}(key.position) * 0x9e3779b97f4a7c15ULL);
}

const BatchCache::Batch* BatchCache::at(const memlog::Log& log, memlog::Offset position, std::error_code* error) {
  // Purged records are not sent, even from the cache: a client the purge overtook is told so.
  const memlog::Range range = log.range();
  if (!range.empty() && position < range.earliest) {
    *error = memlog::make_error_code(memlog::Errc::out_of_range);
    return nullptr;
  }
  const Key key{&log, position};
  if (const auto it = m_batches.find(key); it != m_batches.end()) {
    // Its log still alive: that log is `log`, as no two live logs share an address.
    if (!it->second.log.expired()) return &it->second;
    evict(key);  // a destroyed log's message, at an address reused by `log`
  }
  std::weak_ptr<const memlog::Log> owner = log.weak_from_this();
  assert(!owner.expired() && "BatchCache::at needs a log owned by a shared_ptr (Log::create)");

  if (m_records.size() < kStreamBatch) m_records.resize(kStreamBatch);
  const memlog::BatchResult result = log.read_batch(position, m_records);
  if (result.count == 0) {
    *error = result.error;
    return nullptr;
  }
  // Encode up to kMessageBytes: a message is a handful of TCP segments, not megabytes.
  QByteArray json;
  json.reserve(kMessageBytes + 4096);
  json += '[';
  std::size_t count = 0;
  while (count < result.count && (count == 0 || json.size() < kMessageBytes)) {
    if (count > 0) json += ',';
    record_json::appendRecord(json, m_records[count]);
    ++count;
  }
  json += ']';
  QString message = QString::fromUtf8(json);
  const qint64 held = message.size() * static_cast<qint64>(sizeof(QChar));
  Batch batch{position, count, std::move(message), held, std::move(owner)};
  ++m_encodings;

  // Keep it for the clients that come to this offset next, within kCacheBytes (oldest out).
  while (!m_order.empty() && m_bytes + batch.bytes > kCacheBytes) {
    const Key oldest = m_order.front();
    m_order.pop_front();
    evict(oldest);
  }
  m_bytes += batch.bytes;
  m_order.push_back(key);
  return &m_batches.insert_or_assign(key, std::move(batch)).first->second;
}

void BatchCache::evict(const Key& key) {
  // m_order may still name a key evicted early (a stale message): then there is nothing to drop.
  const auto it = m_batches.find(key);
  if (it == m_batches.end()) return;
  m_bytes -= it->second.bytes;
  m_batches.erase(it);
}

void BatchCache::clear() {
  m_batches.clear();
  m_order.clear();
  m_bytes = 0;
}
