// SPDX-License-Identifier: MIT
#include "lessons/lesson_highlight.hpp"

using namespace Qt::StringLiterals;

QStringList highlightTargets() {
  return {u"segment:history"_s, u"segment:active"_s,      u"segment:purged"_s, u"chart:writes"_s,
          u"chart:lag"_s,       u"chart:retained"_s,      u"table"_s,          u"panel:source"_s,
          u"panel:consumers"_s, u"panel:configuration"_s, u"panel:shards"_s,   u"panel:routing"_s,
          u"panel:skew"_s,      u"control:rate"_s,        u"control:step"_s,   u"control:crash"_s};
}

QString checkHighlight(const QString& target, const Lesson& lesson, const std::set<QString>& consumers) {
  if (target.isEmpty()) return {};
  if (target.startsWith(u"consumer:"_s)) {
    if (!consumers.count(target.mid(9)))
      return u"highlights consumer '%1', which does not exist at this point"_s.arg(target.mid(9));
    return {};
  }
  if (!highlightTargets().contains(target))
    return u"highlights '%1', which does not exist (known: %2, consumer:NAME)"_s.arg(target,
                                                                                     highlightTargets().join(u", "_s));
  const bool shardPanel = target == u"panel:shards"_s || target == u"panel:routing"_s || target == u"panel:skew"_s;
  if (shardPanel && !lesson.sharding.sharded()) return u"highlights '%1', which only a sharded log has"_s.arg(target);
  if (target == u"control:crash"_s && lesson.sharding.sharded())
    return u"highlights 'control:crash', which a sharded log does not have"_s;
  return {};
}
