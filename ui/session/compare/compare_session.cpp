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

CompareSession::CompareSession(LogSession* a, memlog::Options other, ShardingOptions sharding, QObject* parent)
    : QObject(parent), m_a(a), m_options(std::move(other)), m_sharding(std::move(sharding)) {
  // One log b starts where a writes next: from then on both get the same records at the same
  // offsets. A sharded b's shards start at 0, as the monitor's own do.
  const memlog::Offset start = a->isSharded() ? 0 : a->adapter()->log()->stats().next_offset;
  m_options.start_offset = m_sharding.sharded() ? 0 : start;
  memlog::sim::SourceOptions source;
  source.kind = a->source()->options().kind;  // b's router keys records as a's are keyed (followKeyField)
  m_b = new LogSession(m_options, source, m_sharding, this);
  followKeyField();

  if (!a->isSharded()) {
    // Directly connected, and after a's own source and consumers (connected when a was made):
    // the copier lets go of the old log before the swap and starts on the new one after it. A
    // sharded a swaps the adapter's log only to show another shard: the copier reads them all.
    // A sharded b goes on across the swap, so it first gets the old log's records the copier has
    // not reached yet (a's source and feed, connected earlier, have stopped writing it); a one
    // log b is made again at the new log's offsets: nothing of the old one matters to it.
    connect(a->adapter(), &LogAdapter::aboutToReplaceLog, this, [this] {
      if (m_b->isSharded() && !m_stopped)
        m_copier.finish();
      else
        m_copier.stop();
      // The old log's last purges count, and the new one's from its zero (not inferred later
      // from a count that went down: a busy new log may be past the old one by the next frame).
      const memlog::Stats old = m_a->adapter()->log()->stats();
      m_purgesA.replaced(old.purges);
      m_purgedA.replaced(old.records_purged);
    });
    connect(a->adapter(), &LogAdapter::logReplaced, this, &CompareSession::followReplacedLog);
  }
  connect(a->source(), &SourceController::stateChanged, this, &CompareSession::followKeyField);
  connect(a->feed(), &FeedController::openChanged, this, &CompareSession::followKeyField);
  connect(a->consumers(), &ConsumerController::consumerAdded, this, [this](int id) {
    if (!m_adding) mirrorConsumer(id);
  });
  connect(a->consumers(), &ConsumerController::consumerRemoved, this, &CompareSession::forgetConsumer);
  connect(a->frames(), &FrameClock::frame, this, &CompareSession::refreshFigures);
  // a goes first (the monitor closes): nothing left to copy from.
  connect(a, &QObject::destroyed, this, &CompareSession::stop);

  for (const auto& consumer : a->consumers()->snapshots()) mirrorConsumer(consumer.id);
  RateMeter scratch;
  const CompareFigures before = figuresOf(a, scratch);
  m_purgesA.last = before.purges;
  m_purgedA.last = before.recordsPurged;
  startCopier(start);
  refreshFigures();
}

CompareSession::~CompareSession() { m_copier.stop(); }

LogSession* CompareSession::a() const { return m_a; }

void CompareSession::stop() {
  m_stopped = true;
  m_copier.stop();
}

std::int64_t CompareSession::copyLag() const { return m_a ? m_copier.behind() : 0; }

bool CompareSession::sameLayout() const {
  const ShardingOptions& a = m_a->isSharded() ? m_a->shards()->options() : ShardingOptions{};
  return a.shards == m_sharding.shards && a.sharder == m_sharding.sharder;
}

void CompareSession::startCopier(memlog::Offset from) {
  // What is read: a's one log from `from`, or every shard of a from where it writes next.
  std::vector<std::shared_ptr<const memlog::Log>> logs;
  std::vector<memlog::Offset> at;
  if (const ShardSet* shards = m_a->shards()) {
    for (int i = 0; i < shards->count(); ++i) {
      logs.push_back(shards->log()->shard_ptr(static_cast<std::size_t>(i)));
      at.push_back(logs.back()->stats().next_offset);
    }
  } else {
    logs.push_back(m_a->adapter()->log());
    at.push_back(from);
  }
  // Where it goes: b's one log, or b's router (which keys and counts them as a's router does).
  RecordCopier::Sink sink;
  if (const ShardSet* shards = m_b->shards())
    sink = [router = shards->router()](std::span<const std::byte> data) {
      return router->write(std::string_view(reinterpret_cast<const char*>(data.data()), data.size())).has_value();
    };
  else
    sink = [log = m_b->adapter()->log()](std::span<const std::byte> data) { return log->write(data).has_value(); };
  m_copier.start(std::move(logs), std::move(at), std::move(sink));
}

void CompareSession::followKeyField() {
  if (m_a && m_b->isSharded()) m_b->shards()->router()->set_key_field(m_a->routingKeyField());
}

void CompareSession::followReplacedLog() {
  if (m_stopped || !m_a) return;
  const auto log = m_a->adapter()->log();
  if (m_b->isSharded()) {
    // A sharded b has no offsets to keep in step with a's: it goes on, and gets what the new log
    // gets — a replay's records again, as any reader downstream of a replaying source would.
    startCopier(memlog::first_readable(log->stats()));
    return;
  }
  // The new log may start anywhere (a checkpoint, where the old one ended): b starts again
  // there too, so offsets stay comparable. Everything the new log retains is copied — for a
  // fresh log that is exactly its records from its first one on.
  const memlog::Offset first = memlog::first_readable(log->stats());
  m_options.start_offset = first;
  auto fresh = memlog::Log::create(m_options);
  if (!fresh) {  // not reachable: b's options were valid and `first` is an offset; never copy into nothing
    qWarning("CompareSession: cannot recreate the compared log: %s", fresh.error().message().c_str());
    return stop();
  }
  const memlog::Stats old = m_b->adapter()->log()->stats();
  m_purgesB.replaced(old.purges);
  m_purgedB.replaced(old.records_purged);
  m_b->adapter()->replaceLog(std::move(*fresh));  // b's consumers restart on it (from its earliest)
  startCopier(first);
}

int CompareSession::addConsumer(const memlog::sim::ConsumerOptions& options) {
  if (!m_a) return -1;
  m_adding = true;
  const int aId = m_a->consumers()->add(options);
  m_adding = false;
  if (options.shard >= 0 && !sameLayout()) {  // as mirrorConsumer: b's shards hold other keys
    m_paired.emplace_back(aId, kNotMirrored);
    return aId;
  }
  memlog::sim::ConsumerOptions forB = options;
  // b never held the records before its start: they were not purged there, just not copied.
  // And across layouts an offset names different records: b's consumer starts at its earliest.
  if (forB.start == memlog::sim::ConsumerStart::offset &&
      (!sameLayout() || m_b->isSharded() || forB.offset < memlog::first_readable(m_b->adapter()->log()->stats())))
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
  // A consumer of one shard has a counterpart only where the shards are the same.
  if (consumer->shard >= 0 && !sameLayout()) {
    m_paired.emplace_back(aId, kNotMirrored);
    return;
  }
  // The same name and pace, from where it reads on a, when b holds that offset (b holds the
  // same offsets from compare's start on); else from b's earliest (b holds nothing older, and
  // a consumer that has not read yet is at most at a's next offset, where b began). Sharded,
  // from b's earliest: all b holds is what was copied since compare began.
  memlog::sim::ConsumerOptions options;
  options.name = consumer->name;
  options.pace = consumer->pace;
  options.shard = consumer->shard;
  options.start = memlog::sim::ConsumerStart::earliest;
  const memlog::Stats b = m_b->adapter()->log()->stats();
  if (!m_b->isSharded() && !m_a->isSharded() && consumer->position >= memlog::first_readable(b) &&
      consumer->position <= b.next_offset) {
    options.start = memlog::sim::ConsumerStart::offset;
    options.offset = consumer->position;
  }
  m_paired.emplace_back(aId, m_b->consumers()->add(options));
}

void CompareSession::forgetConsumer(int aId) {
  const auto pair = std::find_if(m_paired.begin(), m_paired.end(), [aId](const auto& p) { return p.first == aId; });
  if (pair == m_paired.end()) return;
  if (pair->second != kNotMirrored) m_b->consumers()->remove(pair->second);
  m_paired.erase(pair);
}

void CompareSession::SinceStart::replaced(std::uint64_t finalCount) {
  total += finalCount >= last ? finalCount - last : 0;
  last = 0;
}

std::uint64_t CompareSession::SinceStart::add(std::uint64_t now) {
  total += now >= last ? now - last : now;  // less than before: a new log, counting from zero
  last = now;
  return total;
}

void CompareSession::RateMeter::add(const Frame& frame, std::uint64_t written) {
  if (frame.number == lastFrame) return;  // the same sample again
  lastFrame = frame.number;
  // Fewer records than before: a new log (replaced). Its rate is measured from scratch.
  if (!samples.empty() && written < samples.back().second) samples.clear();
  samples.emplace_back(frame.elapsedMs, written);
  while (samples.size() > 2 && frame.elapsedMs - samples.front().first > kRateWindowMs) samples.pop_front();
  const qint64 span = samples.back().first - samples.front().first;
  if (span >= kRateMinSpanMs)
    rate = static_cast<double>(samples.back().second - samples.front().second) * 1000.0 / static_cast<double>(span);
}

CompareFigures CompareSession::figuresOf(const LogSession* side, RateMeter& rate) {
  const Frame& frame = side->frames()->current();
  const ShardSet* shards = side->shards();
  // A sharded log's figures are its shards' summed (its consumers' lag is their total already).
  memlog::Stats s = frame.stats;
  if (shards != nullptr) {
    s = {};
    s.segment_size = frame.stats.segment_size;
    s.next_offset = -1;
    for (const ShardSample& shard : shards->current().shards) {
      s.active_records += shard.stats.active_records;
      s.history_records += shard.stats.history_records;
      s.memory_bytes += shard.stats.memory_bytes;
      s.purges += shard.stats.purges;
      s.records_purged += shard.stats.records_purged;
      s.records_written += shard.stats.records_written;
    }
  }
  rate.add(frame, s.records_written);
  CompareFigures f;
  f.segmentSize = s.segment_size;
  f.retainedRecords = static_cast<std::int64_t>(s.active_records + s.history_records);
  f.maxRetainedRecords = static_cast<std::int64_t>(2 * s.segment_size);
  f.writeRate = rate.rate;
  f.retainedSeconds = rate.rate > 0 ? static_cast<double>(f.retainedRecords) / rate.rate : -1;
  f.memoryBytes = s.memory_bytes;
  f.purges = s.purges;
  f.recordsPurged = s.records_purged;
  f.nextOffset = s.next_offset;
  if (shards == nullptr) return f;

  const ShardFrame& sharded = shards->current();
  f.shards = shards->count();
  f.sharder = std::string(shards->options().sharder.name());
  f.maxRetainedRecords *= f.shards;
  f.skew = sharded.meanRate > 0 ? sharded.skew() : -1;
  // A record is kept as long as its shard keeps it: the shard that turns over fastest says how
  // long a record can count on. Shards written to nothing lately keep theirs indefinitely.
  // Until a shard has sealed, what it holds says how long it has been written, not how long it
  // keeps: the shards that sealed are asked first, the others only while none has.
  f.retainedSeconds = -1;
  for (const bool sealedOnly : {true, false}) {
    for (std::size_t i = 0; i < sharded.shards.size(); ++i) {
      const ShardSample& shard = sharded.shards[i];
      if (shard.rate <= 0 || (sealedOnly && shard.stats.segments_sealed == 0)) continue;
      const double seconds = static_cast<double>(shard.retained()) / shard.rate;
      if (f.retainedSeconds < 0 || seconds < f.retainedSeconds) {
        f.retainedSeconds = seconds;
        f.shortestShard = static_cast<int>(i);
      }
    }
    if (f.retainedSeconds >= 0) break;
  }
  return f;
}

void CompareSession::refreshFigures() {
  if (!m_a) return;
  const Frame& frameA = m_a->frames()->current();
  const Frame& frameB = m_b->frames()->current();
  m_figuresA = figuresOf(m_a, m_rateA);
  m_figuresB = figuresOf(m_b, m_rateB);
  m_figuresA.purges = m_purgesA.add(m_figuresA.purges);
  m_figuresA.recordsPurged = m_purgedA.add(m_figuresA.recordsPurged);
  m_figuresB.purges = m_purgesB.add(m_figuresB.purges);
  m_figuresB.recordsPurged = m_purgedB.add(m_figuresB.recordsPurged);
  for (const auto& [aId, bId] : m_paired) {
    const auto* onA = findById(frameA.consumers, aId);
    const auto* onB = bId == kNotMirrored ? nullptr : findById(frameB.consumers, bId);
    if (onA == nullptr && onB == nullptr) continue;  // added since these frames: shown from the next
    memlog::sim::ConsumerSnapshot missing;           // stopped, no position
    missing.name = onA != nullptr ? onA->name : onB->name;
    m_figuresA.consumers.push_back(onA != nullptr ? *onA : missing);
    if (bId == kNotMirrored) missing.id = CompareFigures::kAbsent;
    m_figuresB.consumers.push_back(onB != nullptr ? *onB : missing);
  }
  if (const std::uint64_t lost = m_copier.lost(); lost != m_lostSeen) {
    m_lostSeen = lost;
    emit lostToPurgeChanged(lost);
  }
  emit figuresChanged();
}
