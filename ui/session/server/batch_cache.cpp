// SPDX-License-Identifier: MIT
#include "server/batch_cache.hpp"

#include <QByteArray>

#include "encoding/record_json.hpp"

const BatchCache::Batch* BatchCache::at(const memlog::Log& log, memlog::Offset position, std::error_code* error) {
  // Purged records are not sent, even from the cache: a client the purge overtook is told so.
  const memlog::Range range = log.range();
  if (!range.empty() && position < range.earliest) {
    *error = memlog::make_error_code(memlog::Errc::out_of_range);
    return nullptr;
  }
  if (const auto it = m_batches.find(position); it != m_batches.end()) return &it->second;

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
  Batch batch{position, count, std::move(message), held};
  ++m_encodings;

  // Keep it for the clients that come to this offset next, within kCacheBytes (oldest out).
  while (!m_order.empty() && m_bytes + batch.bytes > kCacheBytes) {
    const auto old = m_batches.find(m_order.front());
    m_order.pop_front();
    if (old == m_batches.end()) continue;
    m_bytes -= old->second.bytes;
    m_batches.erase(old);
  }
  m_bytes += batch.bytes;
  m_order.push_back(position);
  return &m_batches.insert_or_assign(position, std::move(batch)).first->second;
}

void BatchCache::clear() {
  m_batches.clear();
  m_order.clear();
  m_bytes = 0;
}
