// SPDX-License-Identifier: MIT
#include "lessons/lesson_highlight.hpp"

using namespace Qt::StringLiterals;

namespace {
// The largest offset a lesson may name: 2⁵³, as everywhere in a lesson file (a JSON number is
// exact up to there).
constexpr qint64 kMaxOffset = qint64{1} << 53;

QString checkRow(const QString& target) {
  const QString row = target.mid(4);
  if (row == u"latest"_s || row == u"earliest"_s) return {};
  // Digits only: toLongLong alone would take "+5", " 5" or "0x5".
  bool ok = !row.isEmpty() && std::all_of(row.begin(), row.end(), [](QChar c) { return c.isDigit(); });
  const qint64 offset = ok ? row.toLongLong(&ok) : -1;
  if (ok && offset <= kMaxOffset) return {};
  return u"highlights '%1', which is not a row: give row:latest, row:earliest or row:N, N an offset (a whole number "
         "from 0 to 9007199254740992)"_s.arg(target);
}

QString checkSeries(const QString& target, const std::set<QString>& consumers) {
  const QString rest = target.mid(7);
  const qsizetype colon = rest.indexOf(u':');
  const QString chart = rest.left(colon), name = colon < 0 ? QString() : rest.mid(colon + 1);
  const QString known = chartSeriesNames(chart);
  if (known.isEmpty() || colon < 0)
    return u"highlights '%1', which is not a chart's series: give series:CHART:NAME, CHART one of writes, lag, "
           "retained"_s.arg(target);
  // A consumer's series: the consumer must exist at that point, as for consumer:NAME.
  const bool lag = chart == u"lag"_s, reads = chart == u"writes"_s && name.startsWith(u"reads:"_s);
  if (lag || reads) {
    const QString consumer = reads ? name.mid(6) : name;
    if (!consumer.isEmpty() && !consumers.count(consumer))
      return u"highlights the %1 of consumer '%2', which does not exist at this point"_s.arg(
          lag ? u"lag"_s : u"reads"_s, consumer);
    if (!consumer.isEmpty()) return {};
  } else if (known.split(u", "_s).contains(name)) {
    return {};
  }
  return u"highlights '%1', which does not exist (the %2 chart's series: %3)"_s.arg(target, chart, known);
}
}  // namespace

QStringList highlightTargets() {
  QStringList targets = {u"segment:history"_s, u"segment:active"_s,      u"segment:purged"_s, u"chart:writes"_s,
                         u"chart:lag"_s,       u"chart:retained"_s,      u"table"_s,          u"panel:source"_s,
                         u"panel:consumers"_s, u"panel:configuration"_s, u"panel:shards"_s,   u"panel:routing"_s,
                         u"panel:skew"_s,      u"control:rate"_s,        u"control:step"_s,   u"control:crash"_s};
  if (MEMLOG_WITH_REDIS) targets << u"panel:mirror"_s;  // the mirror's panel, in the source panel
  return targets;
}

QString chartSeriesNames(const QString& chart) {
  if (chart == u"writes"_s) return u"writes, purges, reads:CONSUMER"_s;
  if (chart == u"lag"_s) return u"CONSUMER"_s;
  if (chart == u"retained"_s) return u"records, payload"_s;
  return {};
}

QString checkHighlight(const QString& target, const Lesson& lesson, const std::set<QString>& consumers) {
  if (target.isEmpty()) return {};
  if (target.startsWith(u"consumer:"_s)) {
    if (!consumers.count(target.mid(9)))
      return u"highlights consumer '%1', which does not exist at this point"_s.arg(target.mid(9));
    return {};
  }
  if (target.startsWith(u"row:"_s)) return checkRow(target);
  if (target.startsWith(u"series:"_s)) return checkSeries(target, consumers);
  if (!highlightTargets().contains(target))
    return u"highlights '%1', which does not exist (known: %2, consumer:NAME, row:latest, row:earliest, row:N, "
           "series:CHART:NAME)"_s.arg(target, highlightTargets().join(u", "_s));
  const bool shardPanel = target == u"panel:shards"_s || target == u"panel:routing"_s || target == u"panel:skew"_s;
  if (shardPanel && !lesson.sharding.sharded()) return u"highlights '%1', which only a sharded log has"_s.arg(target);
  if (target == u"control:crash"_s && lesson.sharding.sharded())
    return u"highlights 'control:crash', which a sharded log does not have"_s;
  return {};
}
