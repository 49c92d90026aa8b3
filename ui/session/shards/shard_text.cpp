// SPDX-License-Identifier: MIT
#include "shards/shard_text.hpp"

using namespace Qt::StringLiterals;

namespace {
QString rate(double perSecond) { return QString::number(qRound64(perSecond)); }
}  // namespace

QString shardingText(const ShardingOptions& options, const std::string& keyField) {
  const QString by = keyField.empty() ? u"the whole line"_s : u"\"%1\""_s.arg(QString::fromStdString(keyField));
  const QString sharder = options.sharder.kind == memlog::shard::SharderSpec::Kind::fnv ? u"fnv"_s : u"key list"_s;
  return u"%1 shards (%2 by %3)"_s.arg(options.shards).arg(sharder, by);
}

QString shardLoadText(const ShardFrame& frame, const QString& separator) {
  if (frame.shards.empty()) return {};
  QString text = u"busiest #%1 %2/s"_s.arg(frame.busiest).arg(rate(frame.maxRate));
  text += separator + u"idlest #%1 %2/s"_s.arg(frame.idlest).arg(rate(frame.shards[frame.idlest].rate));
  text += separator + (frame.skew() > 0 ? u"skew %1×"_s.arg(frame.skew(), 0, 'f', 1) : u"skew –"_s);
  return text;
}

QString refusedText(const memlog::shard::RouterCounters& counters) {
  if (counters.refused == 0 || !counters.last_refused) return {};
  return u"refused %1 (the last: record %2, %3)"_s.arg(counters.refused)
      .arg(counters.last_refused->number)
      .arg(QString::fromStdString(counters.last_refused->reason));
}

QString shardStatusLine(const ShardFrame& frame, double writesPerSecond) {
  return u"shards %1 written %2 retained %3 writes/s %4 busiest #%5 %6/s idlest #%7 %8/s skew %9 refused %10"_s
      .arg(frame.shards.size())
      .arg(frame.router.routed)
      .arg(frame.retained)
      .arg(rate(writesPerSecond))
      .arg(frame.busiest)
      .arg(rate(frame.maxRate))
      .arg(frame.idlest)
      .arg(frame.shards.empty() ? u"0"_s : rate(frame.shards[frame.idlest].rate))
      .arg(frame.skew(), 0, 'f', 1)
      .arg(frame.router.refused);
}

QString shardSummary(const ShardFrame& frame) {
  quint64 purges = 0;
  int most = 0, least = 0;
  for (std::size_t i = 0; i < frame.shards.size(); ++i) {
    const memlog::Stats& s = frame.shards[i].stats;
    purges += s.purges;
    if (s.records_written > frame.shards[static_cast<std::size_t>(most)].stats.records_written)
      most = static_cast<int>(i);
    if (s.records_written < frame.shards[static_cast<std::size_t>(least)].stats.records_written)
      least = static_cast<int>(i);
  }
  QString line = u"written %1 over %2 shards retained %3 purges %4"_s.arg(frame.router.routed)
                     .arg(frame.shards.size())
                     .arg(frame.retained)
                     .arg(purges);
  if (!frame.shards.empty())
    line += u" busiest #%1 (%2 written) idlest #%3 (%4 written)"_s.arg(most)
                .arg(frame.shards[static_cast<std::size_t>(most)].stats.records_written)
                .arg(least)
                .arg(frame.shards[static_cast<std::size_t>(least)].stats.records_written);
  line += u" refused %1"_s.arg(frame.router.refused);
  return line;
}
