// SPDX-License-Identifier: MIT
#include "compare/record_copier.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

struct RecordCopier::Source {
  std::shared_ptr<const memlog::Log> log;
  std::atomic<memlog::Offset> position{-1};  // written by the thread, read for display
  std::atomic<memlog::Offset> until{-1};     // finish(): where the log ended then
  memlog::Subscription subscription;
};

// Wakes the copying thread on any append to the logs it reads: a counter it waits on (an atomic
// wait, a futex: the writer pays one increment and a notify per append, nothing more).
class RecordCopier::Wake final : public memlog::LogObserver {
 public:
  explicit Wake(std::shared_ptr<std::atomic<std::uint64_t>> appends) : m_appends(std::move(appends)) {}
  void on_append(memlog::Offset, memlog::Offset) override {
    m_appends->fetch_add(1, std::memory_order_release);
    m_appends->notify_all();
  }

 private:
  std::shared_ptr<std::atomic<std::uint64_t>> m_appends;
};

RecordCopier::RecordCopier() = default;

RecordCopier::~RecordCopier() { stop(); }

void RecordCopier::start(std::vector<std::shared_ptr<const memlog::Log>> from, std::vector<memlog::Offset> at,
                         Sink to) {
  assert(from.size() == at.size() && "RecordCopier: one start offset per log");
  assert(to && "RecordCopier: a sink is needed");
  stop();
  m_sources.clear();  // unsubscribes from the logs of the last start
  const auto wake = std::make_shared<Wake>(m_appends);
  for (std::size_t i = 0; i < from.size(); ++i) {
    auto source = std::make_unique<Source>();
    source->log = std::move(from[i]);
    source->position.store(at[i], std::memory_order_relaxed);
    source->subscription = source->log->observe(wake);
    m_sources.push_back(std::move(source));
  }
  m_thread = std::jthread([this, to = std::move(to)](const std::stop_token& stop) { run(stop, to); });
}

void RecordCopier::start(std::shared_ptr<const memlog::Log> from, memlog::Offset at, std::shared_ptr<memlog::Log> to) {
  start({std::move(from)}, {at},
        [to = std::move(to)](std::span<const std::byte> data) { return to->write(data).has_value(); });
}

void RecordCopier::stop() {
  if (!m_thread.joinable()) return;
  m_thread.request_stop();
  m_thread.join();
}

void RecordCopier::finish() {
  if (!m_thread.joinable()) return;
  for (const auto& source : m_sources) source->until.store(source->log->stats().next_offset, std::memory_order_relaxed);
  // Release: the thread that sees the flag sees every `until` above. The wake makes a thread that
  // is about to wait (it read the flag false) look again.
  m_finishing.store(true, std::memory_order_release);
  m_appends->fetch_add(1, std::memory_order_release);
  m_appends->notify_all();
  m_thread.join();  // it ends by itself once it reached every `until`
  m_finishing.store(false, std::memory_order_relaxed);
}

memlog::Offset RecordCopier::position() const noexcept {
  return m_sources.empty() ? -1 : m_sources.front()->position.load(std::memory_order_relaxed);
}

std::int64_t RecordCopier::behind() const {
  if (!running()) return 0;
  std::int64_t behind = 0;
  for (const auto& source : m_sources)
    behind +=
        std::max<std::int64_t>(0, source->log->stats().next_offset - source->position.load(std::memory_order_relaxed));
  return behind;
}

void RecordCopier::run(const std::stop_token& stop, const Sink& to) {
  // A stop wakes the thread where it waits for an append.
  const std::stop_callback wakeOnStop(stop, [appends = m_appends] {
    appends->fetch_add(1, std::memory_order_release);
    appends->notify_all();
  });
  std::vector<memlog::Record> batch(kBatch);
  while (!stop.stop_requested()) {
    // Read the counter before the logs: an append after a log was found read to its end bumps
    // it, so the wait below returns at once instead of missing that append.
    const std::uint64_t seen = m_appends->load(std::memory_order_acquire);
    const bool finishing = m_finishing.load(std::memory_order_acquire);
    bool progressed = false;
    bool left = false;  // finishing: a log was short of its `until` at this round's start
    for (const auto& source : m_sources) {
      if (stop.stop_requested()) return;
      const memlog::Offset from = source->position.load(std::memory_order_relaxed);
      if (finishing && from >= source->until.load(std::memory_order_relaxed)) continue;
      left = left || finishing;
      const memlog::BatchResult got = source->log->read_batch(from, batch);
      if (got.error == memlog::Errc::out_of_range) {
        // The purge overtook the copier here: what lies between its position and the earliest
        // retained record is gone for good. Count it and go on from there, so the copy stays live.
        const memlog::Offset earliest = memlog::first_readable(source->log->stats());
        if (earliest > from) {
          // Finishing, only what was written before finish() counts: the rest was never ours.
          const memlog::Offset end =
              finishing ? std::min(earliest, source->until.load(std::memory_order_relaxed)) : earliest;
          m_lost.fetch_add(static_cast<std::uint64_t>(end - from), std::memory_order_relaxed);
          source->position.store(earliest, std::memory_order_relaxed);
          progressed = true;
        }
        continue;
      }
      for (std::size_t i = 0; i < got.count; ++i) {
        if (to(batch[i].data()))
          m_copied.fetch_add(1, std::memory_order_relaxed);
        else
          m_refused.fetch_add(1, std::memory_order_relaxed);
        source->position.store(batch[i].offset() + 1, std::memory_order_relaxed);
        batch[i] = memlog::Record{};  // let go of the payload
      }
      progressed = progressed || got.count > 0;
    }
    // Finishing ends at the ends finish() saw (or if nothing moves: nothing more can be read).
    if (finishing && (!left || !progressed)) return;
    if (!progressed && !stop.stop_requested()) m_appends->wait(seen, std::memory_order_acquire);
  }
}
