// SPDX-License-Identifier: MIT
#include "compare/record_copier.hpp"

#include <algorithm>
#include <utility>

#include <memlog/stream.hpp>

void RecordCopier::start(std::shared_ptr<const memlog::Log> from, memlog::Offset at, std::shared_ptr<memlog::Log> to) {
  stop();
  m_position.store(at, std::memory_order_relaxed);
  // The thread owns its shares of both logs: a replaced log lives on until it lets go.
  m_thread = std::jthread(
      [this, from = std::move(from), at, to = std::move(to)](const std::stop_token& stop) { run(stop, from, at, to); });
}

void RecordCopier::stop() {
  if (!m_thread.joinable()) return;
  m_thread.request_stop();
  m_thread.join();
}

void RecordCopier::run(const std::stop_token& stop, const std::shared_ptr<const memlog::Log>& from, memlog::Offset at,
                       const std::shared_ptr<memlog::Log>& to) {
  while (!stop.stop_requested()) {
    memlog::Stream stream = from->stream(at, stop);
    while (auto record = stream.next()) {
      if (to->write(record->data()))
        m_copied.fetch_add(1, std::memory_order_relaxed);
      else
        m_refused.fetch_add(1, std::memory_order_relaxed);
      m_position.store(stream.position(), std::memory_order_relaxed);
    }
    if (stream.error() != memlog::Errc::out_of_range) return;  // cancelled: the owner stops us
    // The purge overtook the copier: what lies between its position and the earliest retained
    // record is gone for good. Count it and go on from there, so the copy stays live.
    const memlog::Offset position = stream.position();
    const memlog::Offset earliest = memlog::first_readable(from->stats());
    if (earliest <= position) return;  // out_of_range without a purge: not ours to retry forever
    m_lost.fetch_add(static_cast<std::uint64_t>(earliest - position), std::memory_order_relaxed);
    m_position.store(earliest, std::memory_order_relaxed);
    at = earliest;
  }
}
