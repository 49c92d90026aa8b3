// SPDX-License-Identifier: MIT
#include "headless_reporter.hpp"

#include <cstdio>

#include <memlog/source/payloads.hpp>

#include "adapter/log_session.hpp"
#include "controllers/status_text.hpp"
#include "server/log_server.hpp"
#include "shards/shard_text.hpp"

using namespace Qt::StringLiterals;

namespace {
void print(const QString& line) {
  std::fprintf(stdout, "%s\n", qPrintable(line));
  std::fflush(stdout);
}
}  // namespace

HeadlessReporter::HeadlessReporter(LogSession* session, LogServer* server, int intervalMs, QObject* parent)
    : QObject(parent), m_session(session), m_server(server) {
  m_clock.start();
  m_running.start();
  connect(&m_timer, &QTimer::timeout, this, [this] { print(statusLine()); });
  m_timer.start(intervalMs);
  connect(session->consumers(), &ConsumerController::consumerStateChanged, this,
          [](int, const QString& name, memlog::sim::ConsumerState, memlog::sim::ConsumerState to) {
            print(u"consumer %1: %2"_s.arg(name, QString::fromUtf8(memlog::sim::to_string(to).data())));
          });
  auto sourceOpened = [session] {
    if (session->feed()->isOpen()) print(u"source %1 opened"_s.arg(session->feed()->source()));
  };
  sourceOpened();  // opened from the command line, before this reporter
  connect(session->feed(), &FeedController::openChanged, this, sourceOpened);
  connect(session->feed(), &FeedController::problem, this,
          [](const QString& why) { print(u"source problem: %1"_s.arg(why)); });
#if MEMLOG_WITH_REDIS
  auto mirrorStarted = [session] {
    if (session->mirror()->isRunning()) print(u"mirror to %1 started"_s.arg(session->mirror()->target()));
  };
  mirrorStarted();
  connect(session->mirror(), &MirrorController::runningChanged, this, mirrorStarted);
  connect(session->mirror(), &MirrorController::problem, this,
          [](const QString& why) { print(u"mirror problem: %1"_s.arg(why)); });
#endif
  connect(session->source(), &SourceController::errorOccurred, this, [this](const QString& why) {
    ++m_refusedBySource;
    print(u"source paused: the log refused a record: %1"_s.arg(why));
  });
}

QString HeadlessReporter::statusLine() {
  const memlog::Stats s = m_session->adapter()->stats();
  const double seconds = std::max(0.001, static_cast<double>(m_clock.restart()) / 1000.0);
  // Sharded: what was routed to every shard (one line for any number of shards).
  const ShardSet* shards = m_session->shards();
  const auto written =
      shards ? static_cast<quint64>(shards->router()->counters().routed) : static_cast<quint64>(s.records_written);
  const double rate = written >= m_lastWritten ? static_cast<double>(written - m_lastWritten) / seconds : 0.0;
  m_lastWritten = written;
  QString consumers;
  for (const auto& c : m_session->consumers()->snapshots())
    consumers += u" %1=%2"_s.arg(QString::fromStdString(c.name).replace(u' ', u'_')).arg(c.lag);
  const QString lag = u" lag:%1"_s.arg(consumers.isEmpty() ? u" none"_s : consumers);
  QString line = shards ? shardStatusLine(shards->current(), rate) + lag
                        : u"offsets %1-%2 retained %3 purges %4 writes/s %5"_s.arg(s.range.earliest)
                                  .arg(s.range.latest)
                                  .arg(s.active_records + s.history_records)
                                  .arg(s.purges)
                                  .arg(qRound64(rate)) +
                              lag;
  if (m_server->isListening()) line += u" remote clients %1"_s.arg(m_server->remoteConsumers().size());
  if (FeedController* feed = m_session->feed(); feed->isOpen())
    line += u' ' + feedStatusLine(feed->source(), feed->status());
#if MEMLOG_WITH_REDIS
  if (MirrorController* mirror = m_session->mirror(); mirror->isRunning())
    line += u' ' + mirrorStatusLine(mirror->target(), mirror->status());
#endif
  return line;
}

QString HeadlessReporter::summaryLine(const QString& why) const {
  const memlog::Stats s = m_session->adapter()->stats();
  QString line = u"summary after %1 s"_s.arg(static_cast<double>(m_running.elapsed()) / 1000.0, 0, 'f', 1);
  if (!why.isEmpty()) line += u" ("_s + why + u')';
  line += u':';
  quint64 problems = m_refusedBySource;
  if (FeedController* feed = m_session->feed(); feed->isOpen()) {
    // Lines too long for the log are among the problems.
    const memlog::feed::FeedStatus f = feed->status();
    line += u' ' + feedSummary(feed->source(), f);
    problems += f.problems;
  } else {
    const std::string_view kind = memlog::sim::to_string(m_session->source()->options().kind);
    line += u" source %1"_s.arg(QString::fromUtf8(kind.data(), static_cast<qsizetype>(kind.size())));
  }
  if (const ShardSet* shards = m_session->shards()) {
    line += u' ' + shardSummary(shards->current());
  } else {
    // Written and the offsets from one snapshot of the log (the source may still be writing);
    // the offsets of this run (a log may start at --start-offset), and what is still retained.
    line += u" written %1"_s.arg(s.records_written);
    if (s.records_written > 0)
      line += u" offsets %1-%2"_s.arg(s.next_offset - static_cast<qint64>(s.records_written)).arg(s.next_offset - 1);
    else
      line += u" offsets none"_s;
    if (!s.range.empty()) line += u" retained %1-%2"_s.arg(s.range.earliest).arg(s.range.latest);
    line += u" purges %1"_s.arg(s.purges);
  }
#if MEMLOG_WITH_REDIS
  if (MirrorController* mirror = m_session->mirror(); mirror->isRunning()) {
    const memlog::redis::MirrorStatus m = mirror->status();
    line += u' ' + mirrorSummary(mirror->target(), m);
    problems += m.problems;
  }
#endif
  line += u" problems %1"_s.arg(problems);
  return line;
}

void HeadlessReporter::printSummary(const QString& why) {
  m_timer.stop();
  print(summaryLine(why));
}
