// SPDX-License-Identifier: MIT
#include "compare/compare_session.hpp"

#include <algorithm>

#include "adapter/frame_clock.hpp"
#include "adapter/log_session.hpp"

namespace {
constexpr qint64 kRateWindowMs = 2000;  // long enough to smooth a burst, short enough to follow a rate change
constexpr qint64 kRateMinSpanMs = 500;  // less than this says more about the frame timing than the rate

const memlog::sim::ConsumerSnapshot* findById(const std::vector<memlog::sim::ConsumerSnapshot>& snapshots, int id) {
  const auto it = std::find_if(snapshots.begin(), snapshots.end(), [id](const auto& s) { return s.id == id; });
  return it == snapshots.end() ? nullptr : &*it;
}
}  // namespace

CompareSession::CompareSession(LogSession* a, memlog::Options other, QObject* parent)
    : QObject(parent), m_a(a), m_options(std::move(other)) {
  const auto log = a->adapter()->log();
  // b starts where a writes next: from then on both get the same records at the same offsets.
  const memlog::Offset start = log->stats().next_offset;
  m_options.start_offset = start;
  m_b = new LogSession(m_options, {}, {}, this);

  // Directly connected, and after a's own source and consumers (connected when a was made):
  // the copier lets go of the old log before the swap and starts on the new one after it.
  connect(a->adapter(), &LogAdapter::aboutToReplaceLog, this, [this] { m_copier.stop(); });
  connect(a->adapter(), &LogAdapter::logReplaced, this, &CompareSession::followReplacedLog);
  connect(a->consumers(), &ConsumerController::consumerAdded, this, [this](int id) {
    if (!m_adding) mirrorConsumer(id);
  });
  connect(a->consumers(), &ConsumerController::consumerRemoved, this, &CompareSession::forgetConsumer);
  connect(a->frames(), &FrameClock::frame, this, &CompareSession::refreshFigures);
  // a goes first (the monitor closes): nothing left to copy from.
  connect(a, &QObject::destroyed, this, &CompareSession::stop);

  for (const auto& consumer : a->consumers()->snapshots()) mirrorConsumer(consumer.id);
  startCopier(start);
  refreshFigures();
}

CompareSession::~CompareSession() { m_copier.stop(); }

LogSession* CompareSession::a() const { return m_a; }

void CompareSession::stop() {
  m_stopped = true;
  m_copier.stop();
}

std::int64_t CompareSession::copyLag() const {
  if (!m_a || !m_copier.running()) return 0;
  return std::max<std::int64_t>(0, m_a->adapter()->log()->stats().next_offset - m_copier.position());
}

void CompareSession::startCopier(memlog::Offset from) {
  m_copier.start(m_a->adapter()->log(), from, m_b->adapter()->log());
}

void CompareSession::followReplacedLog() {
  if (m_stopped || !m_a) return;
  const auto log = m_a->adapter()->log();
  // The new log may start anywhere (a checkpoint, 0, another shard's offsets): b starts again
  // there too, so offsets stay comparable. Everything the new log retains is copied — for a
  // fresh log that is exactly its records from its first one on.
  const memlog::Offset first = memlog::first_readable(log->stats());
  m_options.start_offset = first;
  auto fresh = memlog::Log::create(m_options);
  if (!fresh) {  // not reachable: b's options were valid and `first` is an offset; never copy into nothing
    qWarning("CompareSession: cannot recreate the compared log: %s", fresh.error().message().c_str());
    return stop();
  }
  m_b->adapter()->replaceLog(std::move(*fresh));  // b's consumers restart on it (from its earliest)
  startCopier(first);
}

int CompareSession::addConsumer(const memlog::sim::ConsumerOptions& options) {
  if (!m_a) return -1;
  m_adding = true;
  const int aId = m_a->consumers()->add(options);
  m_adding = false;
  memlog::sim::ConsumerOptions forB = options;
  // b never held the records before its start: they were not purged there, just not copied.
  if (forB.start == memlog::sim::ConsumerStart::offset &&
      forB.offset < memlog::first_readable(m_b->adapter()->log()->stats()))
    forB.start = memlog::sim::ConsumerStart::earliest;
  m_paired.emplace_back(aId, m_b->consumers()->add(forB));
  return aId;
}

void CompareSession::mirrorConsumer(int aId) {
  const auto* consumer = findById(m_a->consumers()->snapshots(), aId);
  if (consumer == nullptr) {
    // consumerAdded comes before the controller's own refresh: take the snapshot now.
    m_a->consumers()->refresh();
    consumer = findById(m_a->consumers()->snapshots(), aId);
  }
  if (consumer == nullptr) return;
  // The same name and pace, from where it reads on a, when b holds that offset (b holds the
  // same offsets from compare's start on); else from b's earliest (b holds nothing older, and
  // a consumer that has not read yet is at most at a's next offset, where b began).
  memlog::sim::ConsumerOptions options;
  options.name = consumer->name;
  options.pace = consumer->pace;
  options.start = memlog::sim::ConsumerStart::earliest;
  const memlog::Stats b = m_b->adapter()->log()->stats();
  if (consumer->position >= memlog::first_readable(b) && consumer->position <= b.next_offset) {
    options.start = memlog::sim::ConsumerStart::offset;
    options.offset = consumer->position;
  }
  m_paired.emplace_back(aId, m_b->consumers()->add(options));
}

void CompareSession::forgetConsumer(int aId) {
  const auto pair = std::find_if(m_paired.begin(), m_paired.end(), [aId](const auto& p) { return p.first == aId; });
  if (pair == m_paired.end()) return;
  m_b->consumers()->remove(pair->second);
  m_paired.erase(pair);
}

void CompareSession::RateMeter::add(const Frame& frame) {
  if (frame.number == lastFrame) return;  // the same sample again
  lastFrame = frame.number;
  // Fewer records than before: a new log (replaced). Its rate is measured from scratch.
  if (!samples.empty() && frame.stats.records_written < samples.back().second) samples.clear();
  samples.emplace_back(frame.elapsedMs, frame.stats.records_written);
  while (samples.size() > 2 && frame.elapsedMs - samples.front().first > kRateWindowMs) samples.pop_front();
  const qint64 span = samples.back().first - samples.front().first;
  if (span >= kRateMinSpanMs)
    rate = static_cast<double>(samples.back().second - samples.front().second) * 1000.0 / static_cast<double>(span);
}

CompareFigures CompareSession::figuresOf(const Frame& frame, double rate) {
  const memlog::Stats& s = frame.stats;
  CompareFigures f;
  f.segmentSize = s.segment_size;
  f.retainedRecords = static_cast<std::int64_t>(s.active_records + s.history_records);
  f.maxRetainedRecords = static_cast<std::int64_t>(2 * s.segment_size);
  f.writeRate = rate;
  f.retainedSeconds = rate > 0 ? static_cast<double>(f.retainedRecords) / rate : -1;
  f.memoryBytes = s.memory_bytes;
  f.purges = s.purges;
  f.recordsPurged = s.records_purged;
  f.nextOffset = s.next_offset;
  return f;
}

void CompareSession::refreshFigures() {
  if (!m_a) return;
  const Frame& frameA = m_a->frames()->current();
  const Frame& frameB = m_b->frames()->current();
  m_rateA.add(frameA);
  m_rateB.add(frameB);
  m_figuresA = figuresOf(frameA, m_rateA.rate);
  m_figuresB = figuresOf(frameB, m_rateB.rate);
  for (const auto& [aId, bId] : m_paired) {
    const auto* onA = findById(frameA.consumers, aId);
    const auto* onB = findById(frameB.consumers, bId);
    if (onA == nullptr && onB == nullptr) continue;  // added since these frames: shown from the next
    memlog::sim::ConsumerSnapshot missing;           // stopped, no position
    missing.name = onA != nullptr ? onA->name : onB->name;
    m_figuresA.consumers.push_back(onA != nullptr ? *onA : missing);
    m_figuresB.consumers.push_back(onB != nullptr ? *onB : missing);
  }
  if (const std::uint64_t lost = m_copier.lost(); lost != m_lostSeen) {
    m_lostSeen = lost;
    emit lostToPurgeChanged(lost);
  }
  emit figuresChanged();
}
