// SPDX-License-Identifier: MIT
#include "adapter/log_session.hpp"

namespace {
std::shared_ptr<memlog::Log> make_log(const memlog::Options& options) {
  auto log = memlog::Log::create(options);
  // A programmer's error (options are validated first, with log_limits::validate), but never
  // undefined behaviour: a release build stops here with the reason too.
  if (!log)
    qFatal("LogSession: options must be validated first (log_limits::validate): %s", log.error().message().c_str());
  return std::move(*log);
}

std::shared_ptr<memlog::ShardedLog> make_sharded_log(const memlog::Options& options, const ShardingOptions& sharding) {
  memlog::ShardedOptions sharded;
  sharded.shards = static_cast<std::size_t>(sharding.shards);
  sharded.log = options;
  sharded.sharder = sharding.sharder.make();
  auto log = memlog::ShardedLog::create(sharded);
  if (!log)
    qFatal("LogSession: sharding must be validated first (sharding::validate): %s", log.error().message().c_str());
  return std::move(*log);
}
}  // namespace

LogSession::LogSession(const memlog::Options& options, const memlog::sim::SourceOptions& source,
                       const ShardingOptions& sharding, QObject* parent)
    : LogSession(options, source, sharding, sharding.sharded() ? make_sharded_log(options, sharding) : nullptr,
                 parent) {}

LogSession::LogSession(const memlog::Options& options, const memlog::sim::SourceOptions& source,
                       const ShardingOptions& sharding, const std::shared_ptr<memlog::ShardedLog>& sharded,
                       QObject* parent)
    : QObject(parent),
      m_adapter(new LogAdapter(sharded ? sharded->shard_ptr(0) : make_log(options), this)),
      m_source(new SourceController(m_adapter, source, this)),
      m_consumers(new ConsumerController(m_adapter, this)),
      m_feed(new FeedController(m_adapter, this)),
#if MEMLOG_WITH_REDIS
      m_mirror(new MirrorController(m_adapter, this)),
#endif
      m_frames(new FrameClock(m_adapter, m_consumers, m_source, this)),
      m_sharding(sharding) {
  if (!sharded) return;
  auto router = std::make_shared<memlog::shard::ShardRouter>(sharded, sharding.keyFieldFor(source.kind));
  m_shards = new ShardSet(sharded, router, sharding, this);
  m_source->routeTo(router);
  m_feed->routeTo(router);
  m_consumers->useShards(sharded);
#if MEMLOG_WITH_REDIS
  m_mirror->useShards(sharded);  // every shard into a stream of its own, not the shard shown
#endif
  connect(m_shards, &ShardSet::focusChanged, m_consumers, &ConsumerController::setShownShard);
  connect(m_frames, &FrameClock::frame, m_shards, [this](const Frame& frame) { m_shards->sample(frame.elapsedMs); });
  connect(m_shards, &ShardSet::focusRequested, this, &LogSession::focusShard);
  // The simulation's natural key follows its system (device, sku, ticket) unless one was named.
  connect(m_source, &SourceController::stateChanged, this, [this] {
    if (!m_feed->isOpen()) m_shards->router()->set_key_field(m_sharding.keyFieldFor(m_source->options().kind));
  });
  m_shards->sample(m_frames->current().elapsedMs);
}

void LogSession::focusShard(int shard) {
  if (!m_shards || shard < 0 || shard >= m_shards->count()) return;
  m_adapter->replaceLog(m_shards->log()->shard_ptr(static_cast<std::size_t>(shard)));
  m_shards->setFocused(shard);
}

LogSession::~LogSession() = default;

memlog::Offset LogSession::crashAndReplay() {
  if (m_shards) return -1;
  const auto old = m_adapter->log();
  memlog::Offset checkpoint = m_consumers->lowestCheckpoint();
  if (checkpoint < 0) {
    const memlog::Stats s = old->stats();
    checkpoint = memlog::first_readable(s);
  }
  memlog::Options options = old->options();
  options.start_offset = checkpoint;
  // The "crashed" log is dropped; the new one starts at the checkpoint, the source replays
  // from there (same payloads at the same offsets) and every consumer resumes at its own.
  m_source->replayFrom(checkpoint);
  m_consumers->replayNext();
  m_adapter->replaceLog(make_log(options));
  emit replayed(checkpoint);
  return checkpoint;
}

std::string LogSession::routingKeyField() const {
  if (m_shards) return m_shards->router()->key_field();
  return m_feed->isOpen() ? m_sharding.keyField.toStdString() : m_sharding.keyFieldFor(m_source->options().kind);
}

bool LogSession::useFeed(const QString& source, QString* error) {
  const bool simulating = m_source->isRunning();
  m_source->pause();  // one writer: the real source
  // A real source's key: the field named, else the whole line.
  if (m_shards) m_shards->router()->set_key_field(m_sharding.keyField.toStdString());
  if (m_feed->open(source, error)) return true;
  if (m_shards) m_shards->router()->set_key_field(m_sharding.keyFieldFor(m_source->options().kind));
  if (simulating) m_source->resume();
  return false;
}

void LogSession::useSimulation() {
  m_feed->close();
  if (m_shards) m_shards->router()->set_key_field(m_sharding.keyFieldFor(m_source->options().kind));
  m_source->resume();
}
