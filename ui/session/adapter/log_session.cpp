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
}  // namespace

LogSession::LogSession(const memlog::Options& options, const memlog::sim::SourceOptions& source, QObject* parent)
    : QObject(parent),
      m_adapter(new LogAdapter(make_log(options), this)),
      m_source(new SourceController(m_adapter, source, this)),
      m_consumers(new ConsumerController(m_adapter, this)),
      m_feed(new FeedController(m_adapter, this)),
#if MEMLOG_WITH_REDIS
      m_mirror(new MirrorController(m_adapter, this)),
#endif
      m_frames(new FrameClock(m_adapter, m_consumers, m_source, this)) {
}

LogSession::~LogSession() = default;

memlog::Offset LogSession::crashAndReplay() {
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

bool LogSession::useFeed(const QString& source, QString* error) {
  const bool simulating = m_source->isRunning();
  m_source->pause();  // one writer: the real source
  if (m_feed->open(source, error)) return true;
  if (simulating) m_source->resume();
  return false;
}

void LogSession::useSimulation() {
  m_feed->close();
  m_source->resume();
}
